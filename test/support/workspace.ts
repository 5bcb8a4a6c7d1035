import { randomBytes } from 'node:crypto';
import type { Platform } from '../../src/platform/platform.ts';
import { systemCtx, actorCtx, type Ctx } from '../../src/platform/ctx.ts';
import { createWorkspace, createAgent, createApiKey, login } from '../../src/domains/workspaces/index.ts';
import { createApp } from '../../src/http/app.ts';

export type TestWorkspace = Awaited<ReturnType<typeof newWorkspace>>;

/** A fresh tenant with one agent of each role, their contexts, and HTTP helpers for each. */
export async function newWorkspace(app: Platform, name = 'Test') {
  const slug = `t-${randomBytes(5).toString('hex')}`;
  const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug, name: `${name} ${slug}` } });
  const system = systemCtx(app, ws.id);
  const mk = (role: 'admin' | 'supervisor' | 'agent') =>
    createAgent({ ctx: system, input: { email: `${role}@${slug}.test`, name: `${role} ${slug}`, role, password: 'pw-' + role } });
  const [admin, supervisor, agent] = [await mk('admin'), await mk('supervisor'), await mk('agent')];
  const http = createApp(app, { webDir: null, rateLimit: { burst: 10_000, perSecond: 10_000 } });
  const ctxOf = (a: { id: string; role: 'admin' | 'supervisor' | 'agent' }): Ctx => actorCtx(app, ws.id, { type: 'agent', id: a.id, role: a.role });
  const key = await createApiKey({ ctx: system, input: { name: 'test', scopes: ['*'] } });

  /** In-process HTTP with a bearer token (the all-scopes key unless another is given), or a session cookie from Candor's own page. */
  const request = (path: string, init: RequestInit & { json?: unknown; token?: string; cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) {
      headers.set('cookie', init.cookie);
      // What a browser on Candor's own page sends with a write (cookie writes need it: see middleware/security.ts).
      if (!headers.has('sec-fetch-site') && !headers.has('origin')) headers.set('sec-fetch-site', 'same-origin');
    } else headers.set('authorization', `Bearer ${init.token ?? key.token}`);
    let reqBody = init.body;
    if (init.json !== undefined) { headers.set('content-type', 'application/json'); reqBody = JSON.stringify(init.json); }
    return http.request(path, { ...init, headers, body: reqBody });
  };
  const sessionCookie = async (role: 'admin' | 'supervisor' | 'agent') => {
    const s = await login({ app, input: { email: `${role}@${slug}.test`, password: 'pw-' + role } });
    return `candor_session=${s.token}`;
  };
  return { ws, slug, system, admin, supervisor, agent, adminCtx: ctxOf(admin), agentCtx: ctxOf(agent), supervisorCtx: ctxOf(supervisor), apiKey: key.token, http, request, sessionCookie };
}
