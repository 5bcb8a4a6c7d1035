import { createRoute, z } from '@hono/zod-openapi';
import {
  listReasons, upsertReason, setConversationReason, listReasonModels, requestRetrain, listReasonCounts, analyseText,
  ReasonSchema, UpsertReasonInput, SetReasonInput, ReasonModelSchema, ReasonCountsQuery, ReasonCountSchema, AnalyseTextInput, TextLabelsSchema,
} from '../../domains/understanding/index.ts';
import { ConversationSchema } from '../../domains/conversations/index.ts';
import { router, json, body, errors, IdParam } from '../context.ts';

const tags = ['understanding'];

/** Contact reasons, their model's versions, agents' confirmations, the per-area counts, and labelling any text. */
export function understandingRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'get', path: '/reasons', tags, summary: "The workspace's contact reasons (its taxonomy), in order",
    request: { query: z.object({ includeArchived: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ data: z.array(ReasonSchema) })), ...errors },
  }), async (c) => c.json({ data: await listReasons({ ctx: c.get('ctx'), includeArchived: c.req.valid('query').includeArchived === 'true' }) }, 200));

  r.openapi(createRoute({
    method: 'put', path: '/reasons', tags, summary: 'Create or change a contact reason, adding seed examples (admins)',
    request: body(UpsertReasonInput), responses: { 200: json(ReasonSchema), ...errors },
  }), async (c) => c.json(await upsertReason({ ctx: c.get('ctx'), input: c.req.valid('json') }), 200));

  r.openapi(createRoute({
    method: 'put', path: '/conversations/{id}/reason', tags, summary: "Confirm or correct a conversation's contact reason (a training example)",
    request: { params: IdParam, ...body(SetReasonInput) }, responses: { 200: json(ConversationSchema), ...errors },
  }), async (c) => c.json(await setConversationReason({ ctx: c.get('ctx'), id: c.req.valid('param').id, input: c.req.valid('json') }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/reasons/models', tags, summary: 'Every version of the reason model with its held-back figures (admins)',
    responses: { 200: json(z.object({ data: z.array(ReasonModelSchema) })), ...errors },
  }), async (c) => c.json({ data: await listReasonModels({ ctx: c.get('ctx') }) } as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/reasons/models', tags, summary: 'Retrain the reason model now (a job; promoted only if no worse on held-back examples)',
    responses: { 202: json(z.object({ jobId: z.string(), queued: z.boolean() }), 'Queued (or already waiting)'), ...errors },
  }), async (c) => c.json(await requestRetrain({ ctx: c.get('ctx') }), 202));

  r.openapi(createRoute({
    method: 'get', path: '/reasons/counts', tags, summary: 'Conversations per reason, service area and 5-minute bucket of their start',
    request: { query: ReasonCountsQuery }, responses: { 200: json(z.object({ data: z.array(ReasonCountSchema) })), ...errors },
  }), async (c) => c.json({ data: await listReasonCounts({ ctx: c.get('ctx'), input: c.req.valid('query') }) }, 200));

  r.openapi(createRoute({
    method: 'post', path: '/understanding/analyse', tags, summary: 'Reason, sentiment and language of any text (a survey comment, a post, a transcript)',
    request: body(AnalyseTextInput), responses: { 200: json(TextLabelsSchema), ...errors },
  }), async (c) => c.json(await analyseText({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));
  return r;
}
