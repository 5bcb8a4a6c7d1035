import { createRoute, z } from '@hono/zod-openapi';
import { createChannel, updateChannel, listChannels, listQuarantine, CreateChannelInput, UpdateChannelInput, ChannelSchema } from '../../domains/channels/index.ts';
import { router, json, body, errors, IdParam, PageQuery } from '../context.ts';

const tags = ['channels'];

export function channelRoutes() {
  const r = router();
  r.openapi(createRoute({ method: 'get', path: '/channels', tags, summary: 'Configured channels (secrets never shown)', responses: { 200: json(z.object({ data: z.array(ChannelSchema) })), ...errors } }),
    async (c) => c.json({ data: await listChannels({ ctx: c.get('ctx') }) } as any, 200));
  r.openapi(createRoute({ method: 'post', path: '/channels', tags, summary: 'Configure a channel (admin); the webhook path is in the answer', request: body(CreateChannelInput), responses: { 201: json(ChannelSchema, 'Created'), ...errors } }),
    async (c) => c.json(await createChannel({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));
  r.openapi(createRoute({ method: 'patch', path: '/channels/{id}', tags, summary: 'Change a channel (admin)', request: { params: IdParam, ...body(UpdateChannelInput) }, responses: { 200: json(ChannelSchema), ...errors } }),
    async (c) => c.json(await updateChannel({ ctx: c.get('ctx'), id: c.req.valid('param').id, input: c.req.valid('json') }) as any, 200));
  r.openapi(createRoute({ method: 'get', path: '/quarantine', tags, summary: 'Inbound items that could not be read (admin)', request: { query: PageQuery }, responses: { 200: json(z.object({ data: z.array(z.any()), nextCursor: z.string().nullable() })), ...errors } }),
    async (c) => c.json(await listQuarantine({ ctx: c.get('ctx'), input: c.req.valid('query') }) as any, 200));
  return r;
}
