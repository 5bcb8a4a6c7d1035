import { createRoute, z } from '@hono/zod-openapi';
import {
  listConversations, createConversation, getConversation, updateConversation, listMessagesJson, postMessage, receiveMessage,
  ListConversationsInput, CreateConversationInput, ConversationSchema, UpdateConversationInput, MessageSchema, PostMessageInput, InboundMessageInput,
} from '../../domains/conversations/index.ts';
import { router, json, body, errors, page, IdParam, PageQuery } from '../context.ts';

const tags = ['conversations'];
const WithMessages = ConversationSchema.extend({ messages: z.array(MessageSchema) }).openapi('ConversationWithMessages');
const MessagePage = z.object({ conversation: ConversationSchema, data: z.array(MessageSchema), nextCursor: z.string().nullable() }).openapi('MessagePage');
const Received = z.object({ duplicate: z.boolean(), message: MessageSchema, conversation: ConversationSchema.nullable(), customerCreated: z.boolean() }).openapi('Received');

export function conversationRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'get', path: '/conversations', tags, summary: 'The inbox: filter by status, assignee, team, channel, priority, tag, service area, customer',
    request: { query: ListConversationsInput }, responses: { 200: json(page(ConversationSchema, 'ConversationPage')), ...errors },
  }), async (c) => c.json(await listConversations({ ctx: c.get('ctx'), input: c.req.valid('query') }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/conversations', tags, summary: 'Start a conversation with a first message (honours Idempotency-Key)',
    request: body(CreateConversationInput), responses: { 201: json(WithMessages, 'Created'), ...errors },
  }), async (c) => c.json(await createConversation({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));

  r.openapi(createRoute({
    method: 'get', path: '/conversations/{id}', tags, summary: 'One conversation',
    request: { params: IdParam }, responses: { 200: json(ConversationSchema), ...errors },
  }), async (c) => c.json(await getConversation({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'patch', path: '/conversations/{id}', tags, summary: 'Change status, assignee, team, priority, tags, subject',
    request: { params: IdParam, ...body(UpdateConversationInput) }, responses: { 200: json(ConversationSchema), ...errors },
  }), async (c) => c.json(await updateConversation({ ctx: c.get('ctx'), id: c.req.valid('param').id, input: c.req.valid('json') }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/conversations/{id}/messages', tags, summary: 'Messages oldest first, with the conversation',
    request: { params: IdParam, query: PageQuery }, responses: { 200: json(MessagePage), ...errors },
  }), async (c) => c.body(await listMessagesJson({ ctx: c.get('ctx'), conversationId: c.req.valid('param').id, input: c.req.valid('query') }), 200, { 'content-type': 'application/json' }) as any);

  r.openapi(createRoute({
    method: 'post', path: '/conversations/{id}/messages', tags, summary: 'Reply (queued for delivery), add a note, or record a customer message',
    request: { params: IdParam, ...body(PostMessageInput) }, responses: { 201: json(MessageSchema, 'Created'), ...errors },
  }), async (c) => c.json(await postMessage({ ctx: c.get('ctx'), conversationId: c.req.valid('param').id, input: c.req.valid('json') }) as any, 201));

  r.openapi(createRoute({
    method: 'post', path: '/messages/inbound', tags, summary: 'Ingest an inbound message from any channel: resolves the sender, threads it, commits, then answers',
    request: body(InboundMessageInput), responses: { 200: json(Received, 'Duplicate: nothing changed'), 201: json(Received, 'Accepted'), ...errors },
  }), async (c) => {
    const result = await receiveMessage({ ctx: c.get('ctx'), input: c.req.valid('json') });
    return c.json(result as any, result.duplicate ? 200 : 201);
  });
  return r;
}
