import { createRoute, z } from '@hono/zod-openapi';
import { completeDeletionRequest, createSignInLink, listDeletionRequests } from '../../domains/portal/index.ts';
import { getWorkspace } from '../../domains/workspaces/index.ts';
import { authorize } from '../../platform/authz.ts';
import { router, json, body, errors, IdParam } from '../context.ts';

const tags = ['portal (admin)'];
const RequestSchema = z.object({ id: z.string(), customerId: z.string(), status: z.string(), createdAt: z.string(), completedAt: z.string().nullable(), note: z.string().nullable().optional(), text: z.string() }).openapi('PortalRequest');

/** Admins: customers' deletion requests, and one-time portal sign-in links for support. */
export function portalAdminRoutes() {
  const r = router();
  r.openapi(createRoute({ method: 'get', path: '/portal-requests', tags, summary: 'Customers\' deletion requests, open first (admins)', responses: { 200: json(z.object({ data: z.array(RequestSchema) }).openapi('PortalRequestList')), ...errors } }),
    async (c) => c.json(await listDeletionRequests({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ method: 'post', path: '/portal-requests/{id}/complete', tags, summary: 'Complete a deletion request: erase the profile, identities and message texts (admins)', request: { params: IdParam }, responses: { 200: json(RequestSchema), ...errors } }),
    async (c) => c.json(await completeDeletionRequest({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));
  r.openapi(createRoute({ method: 'post', path: '/portal-links', tags, summary: 'A one-time portal sign-in URL for a customer, by email or phone (admins; valid 24 h, once)',
    request: body(z.object({ customer: z.string().min(3).max(200) })), responses: { 201: json(z.object({ customerId: z.string(), url: z.string(), expiresAt: z.string() }).openapi('PortalLink')), ...errors } }), async (c) => {
    const ctx = c.get('ctx');
    authorize(ctx, 'workspace:admin');
    const ws = await getWorkspace({ ctx });
    return c.json(await createSignInLink({ ctx, input: { customer: c.req.valid('json').customer, slug: ws.slug } }) as any, 201);
  });
  return r;
}
