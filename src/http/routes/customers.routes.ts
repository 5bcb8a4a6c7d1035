import { createRoute, z } from '@hono/zod-openapi';
import {
  createCustomer, getCustomer, listCustomers, updateCustomer, linkIdentity, mergeCustomers, getTimeline,
  CreateCustomerInput, UpdateCustomerInput, CustomerSchema, IdentityInput, IdentitySchema, TimelineEntrySchema,
} from '../../domains/customers/index.ts';
import { router, json, body, errors, page, IdParam, PageQuery } from '../context.ts';

const tags = ['customers'];
const Timeline = z.object({ customerId: z.string(), data: z.array(TimelineEntrySchema), nextCursor: z.string().nullable() }).openapi('TimelinePage');

export function customerRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'get', path: '/customers', tags, summary: 'List customers, newest first; q searches name and identities',
    request: { query: PageQuery.extend({ q: z.string().max(200).optional() }) }, responses: { 200: json(page(CustomerSchema, 'CustomerPage')), ...errors },
  }), async (c) => c.json(await listCustomers({ ctx: c.get('ctx'), input: c.req.valid('query') }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/customers', tags, summary: 'Create a customer with identities (honours Idempotency-Key)',
    request: body(CreateCustomerInput), responses: { 201: json(CustomerSchema, 'Created'), ...errors },
  }), async (c) => c.json(await createCustomer({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}', tags, summary: 'A customer; a merged-away id answers with the surviving customer',
    request: { params: IdParam }, responses: { 200: json(CustomerSchema), ...errors },
  }), async (c) => c.json(await getCustomer({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'patch', path: '/customers/{id}', tags, summary: 'Update profile, language, consent, channel preferences',
    request: { params: IdParam, ...body(UpdateCustomerInput) }, responses: { 200: json(CustomerSchema), ...errors },
  }), async (c) => c.json(await updateCustomer({ ctx: c.get('ctx'), id: c.req.valid('param').id, input: c.req.valid('json') }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/customers/{id}/identities', tags, summary: 'Link an identity to a customer',
    request: { params: IdParam, ...body(IdentityInput) }, responses: { 201: json(IdentitySchema, 'Linked'), ...errors },
  }), async (c) => {
    const row = await linkIdentity({ ctx: c.get('ctx'), customerId: c.req.valid('param').id, input: c.req.valid('json') });
    return c.json({ id: row.id, kind: row.kind, value: row.value, verified: row.verified }, 201);
  });

  r.openapi(createRoute({
    method: 'post', path: '/customers/{id}/merge', tags, summary: 'Merge another customer (sourceId) into this one, keeping everything of both',
    request: { params: IdParam, ...body(z.object({ sourceId: z.string().uuid() })) }, responses: { 200: json(CustomerSchema), ...errors },
  }), async (c) => c.json(await mergeCustomers({ ctx: c.get('ctx'), input: { targetId: c.req.valid('param').id, sourceId: c.req.valid('json').sourceId } }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}/timeline', tags, summary: "The customer's whole story, newest first",
    request: { params: IdParam, query: PageQuery.extend({ kinds: z.string().optional().openapi({ description: 'comma-separated kinds' }) }) },
    responses: { 200: json(Timeline), ...errors },
  }), async (c) => {
    const q = c.req.valid('query');
    return c.json(await getTimeline({ ctx: c.get('ctx'), customerId: c.req.valid('param').id, input: { ...q, kinds: q.kinds?.split(',').filter(Boolean) } }) as any, 200);
  });
  return r;
}
