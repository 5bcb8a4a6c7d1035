import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage, postMessage } from '../src/domains/conversations/index.ts';
import { createCustomer } from '../src/domains/customers/index.ts';
import { createTeam, createApiKey } from '../src/domains/workspaces/index.ts';

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let bIds: { customer: string; conversation: string; message: string; team: string; apiKey: string; agent: string };

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  const customer = await createCustomer({ ctx: b.agentCtx, input: { name: 'B only', email: 'secret@b.test' } });
  const r = await receiveMessage({ ctx: b.system, input: { channel: 'email', from: { kind: 'email', value: 'secret@b.test' }, bodyText: 'private' } });
  const m = await postMessage({ ctx: b.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'reply' } });
  const team = await createTeam({ ctx: b.adminCtx, input: { name: 'B team' } });
  const key = await createApiKey({ ctx: b.adminCtx, input: { name: 'b', scopes: ['*'] } });
  bIds = { customer: customer.id, conversation: r.conversation!.id, message: m.id, team: team.id, apiKey: key.id, agent: b.agent.id };
});

describe('tenant isolation: workspace A cannot see or change workspace B', () => {
  const cases: [string, string, (ids: typeof bIds) => string, unknown?][] = [
    ['read a customer', 'GET', (i) => `/api/v1/customers/${i.customer}`],
    ['update a customer', 'PATCH', (i) => `/api/v1/customers/${i.customer}`, { name: 'hijacked' }],
    ['read a timeline', 'GET', (i) => `/api/v1/customers/${i.customer}/timeline`],
    ['link an identity', 'POST', (i) => `/api/v1/customers/${i.customer}/identities`, { kind: 'email', value: 'x@a.test' }],
    ['merge into a customer', 'POST', (i) => `/api/v1/customers/${i.customer}/merge`, { sourceId: 'B_CUSTOMER' }],
    ['read a conversation', 'GET', (i) => `/api/v1/conversations/${i.conversation}`],
    ['update a conversation', 'PATCH', (i) => `/api/v1/conversations/${i.conversation}`, { status: 'closed' }],
    ['read messages', 'GET', (i) => `/api/v1/conversations/${i.conversation}/messages`],
    ['post a message', 'POST', (i) => `/api/v1/conversations/${i.conversation}/messages`, { bodyText: 'hi' }],
    ['start a conversation for a customer', 'POST', () => '/api/v1/conversations', { customerId: 'B_CUSTOMER', channel: 'email', message: { bodyText: 'x' } }],
    ['add a member to a team', 'POST', (i) => `/api/v1/teams/${i.team}/members`, { agentId: 'A_AGENT' }],
    ['revoke an API key', 'DELETE', (i) => `/api/v1/api-keys/${i.apiKey}`],
    ['set skills of an agent', 'PUT', (i) => `/api/v1/agents/${i.agent}/skills`, { skills: ['x'] }],
    ['retry a job', 'POST', (_i) => `/api/v1/jobs/01900000-0000-7000-8000-000000000000/retry`],
  ];
  for (const [what, method, path, json] of cases) {
    it(`answers 404 to ${what} with an API key and with an admin session`, async () => {
      const cookie = await a.sessionCookie('admin');
      for (const auth of [{}, { cookie }]) {
        const body = json && JSON.parse(JSON.stringify(json).replace('B_CUSTOMER', bIds.customer).replace('A_AGENT', a.agent.id));
        const r = await a.request(path(bIds), { method, json: body, ...auth });
        expect(r.status, `${method} ${path(bIds)}`).toBe(404);
        expect((await r.json()).code).toBe('not_found');
      }
    });
  }

  it('lists only its own customers, conversations, agents, teams, keys and audit entries', async () => {
    const lists = ['/api/v1/customers', '/api/v1/conversations', '/api/v1/agents', '/api/v1/teams', '/api/v1/api-keys', '/api/v1/audit?limit=200'];
    for (const p of lists) {
      const body = JSON.stringify(await (await a.request(p)).json());
      for (const id of Object.values(bIds)) expect(body, p).not.toContain(id);
    }
    expect(JSON.stringify(await (await a.request('/api/v1/customers?q=secret')).json())).not.toContain('secret@b.test');
  });

  it('resolves the same identity to separate customers in each workspace', async () => {
    const ra = await receiveMessage({ ctx: a.system, input: { channel: 'email', from: { kind: 'email', value: 'secret@b.test' }, bodyText: 'hello A' } });
    expect(ra.customerCreated).toBe(true);
    expect(ra.conversation!.customerId).not.toBe(bIds.customer);
    const bAfter = await (await b.request(`/api/v1/conversations/${bIds.conversation}/messages`)).json();
    expect(bAfter.data.map((m: any) => m.bodyText)).toEqual(['private', 'reply']);
  });

  it('leaves B unchanged after all of A\'s attempts', async () => {
    const c = await (await b.request(`/api/v1/customers/${bIds.customer}`)).json();
    expect(c.name).toBe('B only');
    expect(c.identities).toHaveLength(1);
    const conv = await (await b.request(`/api/v1/conversations/${bIds.conversation}`)).json();
    expect(conv.status).toBe('open');
    const keys = await (await b.request('/api/v1/api-keys')).json();
    expect(keys.data.find((k: any) => k.id === bIds.apiKey).revokedAt).toBeNull();
  });
});
