import { createRoute, z } from '@hono/zod-openapi';
import {
  createIncident, createMaintenance, postIncidentUpdate, publishIncident, getIncident, listIncidents, decideIncidentCredits, listCustomerCredits,
  statusSettings, updateStatusSettings, listStatusComponents, listSuspicions, publishSuspicion, dismissSuspicion,
  upsertStatement, listStatements, upsertNetworkUpgrade, listNetworkUpgrades, UpsertStatementInput, UpsertUpgradeInput, SuspicionSchema,
  CreateIncidentInput, CreateMaintenanceInput, PostUpdateInput, IncidentSchema, IncidentListQuery, StatusSettingsSchema, ComponentSchema,
} from '../../domains/status/index.ts';
import { listOutbox } from '../../domains/outbox/index.ts';
import { authorize } from '../../platform/authz.ts';
import { router, json, body, errors, IdParam } from '../context.ts';

const tags = ['status'];
const Statement = z.object({ key: z.string(), title: z.string(), bodyMd: z.string(), position: z.number().int(), updatedAt: z.string() }).openapi('TransparencyStatement');
const Upgrade = z.object({ id: z.string(), serviceAreaId: z.string(), title: z.string(), description: z.string(), status: z.enum(['planned', 'in_progress', 'done']), plannedFor: z.string().nullable(), doneAt: z.string().nullable() }).openapi('NetworkUpgrade');
const list = <T extends z.ZodType>(item: T, name: string) => z.object({ data: z.array(item) }).openapi(name);

/** Incidents, maintenance, components and the status page's settings (the agent app and integrations). */
export function statusRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'post', path: '/incidents', tags, summary: 'Declare an incident on service areas; published, it shows in /api/v2 at once and affected customers are told',
    request: body(CreateIncidentInput), responses: { 201: json(IncidentSchema, 'Declared'), ...errors },
  }), async (c) => c.json(await createIncident({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));

  r.openapi(createRoute({
    method: 'get', path: '/incidents', tags, summary: 'Incidents and maintenance, newest first (state: open, resolved, suspected, all)',
    request: { query: IncidentListQuery }, responses: { 200: json(list(IncidentSchema, 'IncidentList')), ...errors },
  }), async (c) => c.json(await listIncidents({ ctx: c.get('ctx'), input: c.req.valid('query') }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/incidents/{id}', tags, summary: 'One incident: components, updates, notices { queued, sent, failed, skipped }, linked contacts, credits',
    request: { params: IdParam }, responses: { 200: json(IncidentSchema), ...errors },
  }), async (c) => c.json(await getIncident({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/incidents/{id}/updates', tags, summary: 'Post an update (status, impact, component state, words); resolving computes credits',
    request: { params: IdParam, ...body(PostUpdateInput) }, responses: { 201: json(IncidentSchema, 'Posted'), ...errors },
  }), async (c) => c.json(await postIncidentUpdate({ ctx: c.get('ctx'), id: c.req.valid('param').id, input: c.req.valid('json') }) as any, 201));

  r.openapi(createRoute({
    method: 'post', path: '/incidents/{id}/publish', tags, summary: 'Publish a draft incident',
    request: { params: IdParam }, responses: { 200: json(IncidentSchema), ...errors },
  }), async (c) => c.json(await publishIncident({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/incidents/{id}/credits', tags, summary: 'Apply or reject the credits an incident proposed',
    request: { params: IdParam, ...body(z.object({ decision: z.enum(['apply', 'reject']) })) },
    responses: { 200: json(z.object({ decided: z.number().int(), totalCents: z.number().int() })), ...errors },
  }), async (c) => c.json(await decideIncidentCredits({ ctx: c.get('ctx'), id: c.req.valid('param').id, decision: c.req.valid('json').decision }), 200));

  r.openapi(createRoute({
    method: 'post', path: '/maintenances', tags, summary: 'Schedule maintenance on service areas',
    request: body(CreateMaintenanceInput), responses: { 201: json(IncidentSchema, 'Scheduled'), ...errors },
  }), async (c) => c.json(await createMaintenance({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));

  r.openapi(createRoute({
    method: 'get', path: '/status/components', tags, summary: 'Components (services × service areas) with their state now',
    responses: { 200: json(list(ComponentSchema, 'StatusComponentList')), ...errors },
  }), async (c) => c.json({ data: await listStatusComponents({ ctx: c.get('ctx') }) } as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/status/settings', tags, summary: "The status page's settings", responses: { 200: json(StatusSettingsSchema), ...errors },
  }), async (c) => { authorize(c.get('ctx'), 'status:read'); return c.json(await statusSettings(c.get('ctx')), 200); });

  r.openapi(createRoute({
    method: 'patch', path: '/status/settings', tags, summary: 'Change services, SLA target, uptime rules, quiet hours, credit policy, detection (admins)',
    request: body(StatusSettingsSchema.partial()), responses: { 200: json(StatusSettingsSchema), ...errors },
  }), async (c) => c.json(await updateStatusSettings({ ctx: c.get('ctx'), input: c.req.valid('json') as any }), 200));

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}/credits', tags, summary: "A customer's outage credits: applied (on the next bill) and proposed",
    request: { params: IdParam }, responses: { 200: json(z.object({ customerId: z.string(), data: z.array(z.any()) })), ...errors },
  }), async (c) => c.json(await listCustomerCredits({ ctx: c.get('ctx'), customerId: c.req.valid('param').id }), 200));

  r.openapi(createRoute({
    method: 'get', path: '/outbox', tags: ['outbox'], summary: 'The workspace outbox (admins): what would have been sent where no relay or provider is configured',
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), before: z.string().uuid().optional(), channel: z.string().optional(), to: z.string().optional() }) },
    responses: { 200: json(z.object({ data: z.array(z.any()), nextCursor: z.string().nullable() })), ...errors },
  }), async (c) => c.json(await listOutbox({ ctx: c.get('ctx'), input: c.req.valid('query') }), 200));
  r.openapi(createRoute({
    method: 'get', path: '/outage-suspicions', tags, summary: 'Suspected incidents raised by outage detection, with their evidence',
    request: { query: z.object({ status: z.enum(['open', 'published', 'dismissed']).optional() }) }, responses: { 200: json(list(SuspicionSchema, 'SuspicionList')), ...errors },
  }), async (c) => c.json({ data: await listSuspicions({ ctx: c.get('ctx'), status: c.req.valid('query').status }) } as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/outage-suspicions/{id}/publish', tags, summary: 'Publish a suspected incident in one click (affected customers are told)',
    request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(200).optional(), impact: z.enum(['minor', 'major', 'critical']).optional(), body: z.string().min(1).max(10_000).optional() }) } } } },
    responses: { 201: json(IncidentSchema, 'Published'), ...errors },
  }), async (c) => {
    const input = (c.req.header('content-type') ?? '').includes('json') ? c.req.valid('json') ?? {} : {};
    return c.json(await publishSuspicion({ ctx: c.get('ctx'), id: c.req.valid('param').id, input }) as any, 201);
  });

  r.openapi(createRoute({
    method: 'post', path: '/outage-suspicions/{id}/dismiss', tags, summary: 'Dismiss a suspected incident (remembered for the cool-down)',
    request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ note: z.string().max(2000).optional() }) } } } },
    responses: { 200: json(SuspicionSchema), ...errors },
  }), async (c) => {
    const input = (c.req.header('content-type') ?? '').includes('json') ? c.req.valid('json') ?? {} : {};
    return c.json(await dismissSuspicion({ ctx: c.get('ctx'), id: c.req.valid('param').id, note: input.note }) as any, 200);
  });

  r.openapi(createRoute({
    method: 'get', path: '/status/statements', tags, summary: 'Transparency statements (markdown)', responses: { 200: json(list(Statement, 'StatementList')), ...errors },
  }), async (c) => c.json({ data: await listStatements({ ctx: c.get("ctx") }) } as any, 200));
  r.openapi(createRoute({
    method: 'put', path: '/status/statements', tags, summary: 'Create or replace a transparency statement by key (admins)',
    request: body(UpsertStatementInput), responses: { 200: json(Statement), ...errors },
  }), async (c) => c.json(await upsertStatement({ ctx: c.get('ctx'), input: c.req.valid('json') }), 200));
  r.openapi(createRoute({
    method: 'get', path: '/network-upgrades', tags, summary: 'The network upgrade roadmap', responses: { 200: json(list(Upgrade, 'UpgradeList')), ...errors },
  }), async (c) => c.json({ data: await listNetworkUpgrades({ ctx: c.get("ctx") }) } as any, 200));
  r.openapi(createRoute({
    method: 'put', path: '/network-upgrades', tags, summary: 'Add (no id) or change (id) a network upgrade of an area',
    request: body(UpsertUpgradeInput), responses: { 200: json(Upgrade), ...errors },
  }), async (c) => c.json(await upsertNetworkUpgrade({ ctx: c.get('ctx'), input: c.req.valid('json') }), 200));
  return r;
}
