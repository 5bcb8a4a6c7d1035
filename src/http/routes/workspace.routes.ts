import { createRoute, z } from '@hono/zod-openapi';
import {
  getWorkspace, updateWorkspaceSettings, listAgents, createAgent, listTeams, createTeam, addTeamMember, setAgentSkills,
  createApiKey, listApiKeys, revokeApiKey, listAuditLog, listFailedJobs, retryFailedJob,
  WorkspaceSettingsSchema, AgentSchema, CreateAgentInput, CreateApiKeyInput,
} from '../../domains/workspaces/index.ts';
import { router, json, body, errors, IdParam, PageQuery } from '../context.ts';

const Workspace = z.object({ id: z.string(), slug: z.string(), name: z.string(), settings: WorkspaceSettingsSchema }).openapi('Workspace');
const Team = z.object({ id: z.string(), name: z.string() }).openapi('Team');
const ApiKey = z.object({ id: z.string(), name: z.string(), scopes: z.array(z.string()), token: z.string().optional() }).openapi('ApiKey');
const list = <T extends z.ZodType>(s: T) => z.object({ data: z.array(s) });
const ok = (c: any, data: unknown, status = 200) => c.json(data, status);

export function workspaceRoutes() {
  const r = router();
  const ws = ['workspace'];
  r.openapi(createRoute({ method: 'get', path: '/workspace', tags: ws, summary: 'This workspace and its settings', responses: { 200: json(Workspace), ...errors } }),
    async (c) => { const w = await getWorkspace({ ctx: c.get('ctx') }); return ok(c, { id: w.id, slug: w.slug, name: w.name, settings: w.settings }); });
  r.openapi(createRoute({ method: 'patch', path: '/workspace/settings', tags: ws, summary: 'Timezone, business hours, holidays, role limits (admin)', request: body(WorkspaceSettingsSchema.partial()), responses: { 200: json(Workspace), ...errors } }),
    async (c) => { const w = await updateWorkspaceSettings({ ctx: c.get('ctx'), input: c.req.valid('json') }); return ok(c, { id: w.id, slug: w.slug, name: w.name, settings: w.settings }); });
  r.openapi(createRoute({ method: 'get', path: '/agents', tags: ws, summary: 'Staff with roles, skills and teams', responses: { 200: json(list(AgentSchema)), ...errors } }),
    async (c) => ok(c, { data: await listAgents({ ctx: c.get('ctx') }) }));
  r.openapi(createRoute({ method: 'post', path: '/agents', tags: ws, summary: 'Add a staff member (admin)', request: body(CreateAgentInput), responses: { 201: json(AgentSchema, 'Created'), ...errors } }),
    async (c) => ok(c, await createAgent({ ctx: c.get('ctx'), input: c.req.valid('json') }), 201));
  r.openapi(createRoute({ method: 'put', path: '/agents/{id}/skills', tags: ws, summary: "Replace an agent's skills (admin)", request: { params: IdParam, ...body(z.object({ skills: z.array(z.string().min(1).max(50)).max(50) })) }, responses: { 204: { description: 'Saved' }, ...errors } }),
    async (c) => { await setAgentSkills({ ctx: c.get('ctx'), input: { agentId: c.req.valid('param').id, skills: c.req.valid('json').skills } }); return c.body(null, 204); });
  r.openapi(createRoute({ method: 'get', path: '/teams', tags: ws, summary: 'Teams', responses: { 200: json(list(Team)), ...errors } }),
    async (c) => ok(c, { data: (await listTeams({ ctx: c.get('ctx') })).map((t) => ({ id: t.id, name: t.name })) }));
  r.openapi(createRoute({ method: 'post', path: '/teams', tags: ws, summary: 'Create a team (admin)', request: body(z.object({ name: z.string().min(1).max(100) })), responses: { 201: json(Team, 'Created'), ...errors } }),
    async (c) => { const t = await createTeam({ ctx: c.get('ctx'), input: c.req.valid('json') }); return ok(c, { id: t.id, name: t.name }, 201); });
  r.openapi(createRoute({ method: 'post', path: '/teams/{id}/members', tags: ws, summary: 'Add an agent to a team (admin)', request: { params: IdParam, ...body(z.object({ agentId: z.string().uuid() })) }, responses: { 204: { description: 'Added' }, ...errors } }),
    async (c) => { await addTeamMember({ ctx: c.get('ctx'), input: { teamId: c.req.valid('param').id, agentId: c.req.valid('json').agentId } }); return c.body(null, 204); });
  r.openapi(createRoute({ method: 'get', path: '/api-keys', tags: ws, summary: 'API keys (never their tokens)', responses: { 200: json(list(ApiKey)), ...errors } }),
    async (c) => ok(c, { data: await listApiKeys({ ctx: c.get('ctx') }) }));
  r.openapi(createRoute({ method: 'post', path: '/api-keys', tags: ws, summary: 'Create a scoped API key; the token is shown once', request: body(CreateApiKeyInput), responses: { 201: json(ApiKey, 'Created'), ...errors } }),
    async (c) => ok(c, await createApiKey({ ctx: c.get('ctx'), input: c.req.valid('json') }), 201));
  r.openapi(createRoute({ method: 'delete', path: '/api-keys/{id}', tags: ws, summary: 'Revoke an API key', request: { params: IdParam }, responses: { 200: json(ApiKey), ...errors } }),
    async (c) => ok(c, await revokeApiKey({ ctx: c.get('ctx'), id: c.req.valid('param').id })));
  r.openapi(createRoute({ method: 'get', path: '/audit', tags: ws, summary: 'Audit log: who changed what, when, before and after', request: { query: PageQuery.extend({ entityType: z.string().optional(), entityId: z.string().optional() }) }, responses: { 200: json(z.object({ data: z.array(z.any()), nextCursor: z.string().nullable() })), ...errors } }),
    async (c) => ok(c, await listAuditLog({ ctx: c.get('ctx'), input: c.req.valid('query') })));
  r.openapi(createRoute({ method: 'get', path: '/jobs/dead', tags: ws, summary: 'Dead-lettered jobs (admin)', responses: { 200: json(list(z.any())), ...errors } }),
    async (c) => ok(c, { data: await listFailedJobs({ ctx: c.get('ctx') }) }));
  r.openapi(createRoute({ method: 'post', path: '/jobs/{id}/retry', tags: ws, summary: 'Put a dead job back on the queue (admin)', request: { params: IdParam }, responses: { 204: { description: 'Queued' }, ...errors } }),
    async (c) => { await retryFailedJob({ ctx: c.get('ctx'), id: c.req.valid('param').id }); return c.body(null, 204); });
  return r;
}
