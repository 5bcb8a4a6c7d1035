import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import { listen } from './support/http-server.ts';
import { portalFixture } from './support/portal.ts';
import type { Platform } from '../src/platform/platform.ts';
import { systemCtx } from '../src/platform/ctx.ts';
import { createAssistantGrant, revokeAssistantGrant } from '../src/domains/portal/index.ts';
import { getTimeline } from '../src/domains/customers/index.ts';

let app: Platform;
let t: TestWorkspace;
let fx: Awaited<ReturnType<typeof portalFixture>>;
let server: { url: string; close(): Promise<void> };
const clients: Client[] = [];

const grant = (customer: string, scopes: string[], name = 'Test assistant') =>
  createAssistantGrant({ ctx: systemCtx(app, t.ws.id, 'test'), customerId: fx.people[customer].id, input: { name, scopes } });

/** The SDK's own client over streamable HTTP, with the grant as its bearer token. */
async function connect(token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'candor-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}
const text = (r: any) => r.content.map((c: any) => c.text).join('\n');

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'MCP');
  fx = await portalFixture(t, 'm');
  server = await listen(t.http);
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await server?.close();
});

describe('MCP server at /mcp (the SDK client over HTTP)', () => {
  it('lists the tools with input and output schemas, and the resources', async () => {
    const g = await grant('anna', ['usage:read', 'billing:read', 'service:diagnose', 'plan:change', 'support:write']);
    const c = await connect(g.token);
    const { tools } = await c.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual(['change_plan', 'check_service_status', 'explain_bill', 'get_support_status', 'get_usage', 'list_plans', 'open_support_request', 'preview_plan_change', 'run_diagnosis'].sort());
    for (const tool of tools) { expect(tool.inputSchema.type).toBe('object'); expect(tool.outputSchema?.type, tool.name).toBe('object'); }
    const { resourceTemplates } = await c.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate).sort()).toEqual(['candor://conversations/{id}', 'candor://invoices/{id}']);
    const { resources } = await c.listResources();
    const inv = resources.find((r) => r.uri.startsWith('candor://invoices/'))!;
    const read = await c.readResource({ uri: inv.uri });
    expect(JSON.parse((read.contents[0] as any).text).lines.length).toBeGreaterThan(0);
    const bill = await c.callTool({ name: 'explain_bill', arguments: {} });
    expect(bill.isError).toBeFalsy();
    expect((bill.structuredContent as any).differences.map((d: any) => d.kind)).toContain('proration');
    expect(text(bill)).toMatch(/more than last month|less than last month/);
    const usage = await c.callTool({ name: 'get_usage', arguments: {} });
    expect((usage.structuredContent as any).daysInMonth).toBeGreaterThanOrEqual(28);
  });

  it('runs a diagnosis and opens a support request that carries it', async () => {
    const g = await grant('cees', ['service:diagnose', 'support:write']);
    const c = await connect(g.token);
    const d = await c.callTool({ name: 'run_diagnosis', arguments: { symptom: 'slow' } });
    const s = d.structuredContent as any;
    expect(s.verdict.code).toBe('low_optical_power');
    expect(text(d)).toMatch(/Weak fibre signal/);
    const status = await c.callTool({ name: 'check_service_status', arguments: {} });
    expect((status.structuredContent as any).state).toBe('operational');
    const req = await c.callTool({ name: 'open_support_request', arguments: { message: 'My assistant ran the check; please send a technician.', diagnosisId: s.id } });
    expect(req.isError).toBeFalsy();
    const conv = (req.structuredContent as any).conversation;
    const support = await c.callTool({ name: 'get_support_status', arguments: { conversationId: conv.id } });
    expect((support.structuredContent as any).conversation.messages[0].bodyText).toMatch(/optical power/);
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: fx.people.cees.id, input: { kinds: ['diagnosis.run', 'diagnosis.ended'] } });
    expect(tl.data.every((e) => e.actorType === 'assistant' && e.actorId === g.id && (e.data as any).grantName === 'Test assistant')).toBe(true);
  });

  it('previews and changes a plan, only with the previewToken, once', async () => {
    const g = await grant('dirk', ['plan:change']);
    const c = await connect(g.token);
    const plans = (await c.callTool({ name: 'list_plans', arguments: {} })).structuredContent as any;
    expect(plans.data.find((p: any) => p.current).code).toBe('BASIC-m');
    const q = (await c.callTool({ name: 'preview_plan_change', arguments: { planCode: 'F500-m' } })).structuredContent as any;
    expect(q).toMatchObject({ kind: 'change', newMonthlyCents: 5500 });
    const wrongPlan = await c.callTool({ name: 'change_plan', arguments: { previewToken: q.previewToken, planCode: 'F1000-m' } });
    expect(wrongPlan.isError).toBe(true);
    expect(text(wrongPlan)).toMatch(/another plan/);
    const done = await c.callTool({ name: 'change_plan', arguments: { previewToken: q.previewToken, planCode: 'F500-m' } });
    expect(done.isError).toBeFalsy();
    expect((done.structuredContent as any).subscription.plan.code).toBe('F500-m');
    const again = await c.callTool({ name: 'change_plan', arguments: { previewToken: q.previewToken } });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/used already/);
    const forged = await c.callTool({ name: 'change_plan', arguments: { previewToken: 'pcp_00000000-0000-7000-8000-000000000000.nope' } });
    expect(forged.isError).toBe(true);
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: fx.people.dirk.id, input: { kinds: ['plan.changed'] } });
    expect(tl.data[0]).toMatchObject({ actorType: 'assistant', actorId: g.id });
  });

  it('answers a tool the grant does not allow with an error naming the missing scope', async () => {
    const g = await grant('anna', ['usage:read']);
    const c = await connect(g.token);
    for (const [name, scope, args] of [['explain_bill', 'billing:read', {}], ['run_diagnosis', 'service:diagnose', {}], ['preview_plan_change', 'plan:change', { planCode: 'F1000-m' }], ['open_support_request', 'support:write', { message: 'hi' }], ['get_support_status', 'support:write', {}], ['check_service_status', 'service:diagnose', {}]] as const) {
      const r = await c.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      expect(text(r), name).toContain(scope);
    }
    expect((await c.callTool({ name: 'get_usage', arguments: {} })).isError).toBeFalsy();
  });

  it('refuses a revoked token at connect, and a token that never was', async () => {
    const g = await grant('bram', ['usage:read']);
    const c = await connect(g.token);
    expect((await c.callTool({ name: 'get_usage', arguments: {} })).isError).toBeFalsy();
    await revokeAssistantGrant({ ctx: systemCtx(app, t.ws.id, 'test'), id: g.id });
    await expect(connect(g.token)).rejects.toThrow();
    await expect(c.callTool({ name: 'get_usage', arguments: {} })).rejects.toThrow();
    await expect(connect('cag_nonsense')).rejects.toThrow();
    const raw = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(raw.status).toBe(401);
  });

  it('refuses an expired grant', async () => {
    const g = await grant('anna', ['usage:read']);
    await app.db.execute((await import('drizzle-orm')).sql`update assistant_grants set expires_at = now() - interval '1 minute' where workspace_id = ${t.ws.id} and id = ${g.id}`);
    await expect(connect(g.token)).rejects.toThrow();
  });
});
