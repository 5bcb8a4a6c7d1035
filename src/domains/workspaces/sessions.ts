import { and, eq, gt, lt, or } from 'drizzle-orm';
import { agents, sessions, workspaces } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { hashSecret, newSecret, secretMatches, verifyPassword } from '../../platform/secrets.ts';
import { AppError } from '../../platform/errors.ts';
import type { Ctx, Actor } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { agentView } from './create-agent.ts';

/**
 * A session ends at whichever comes first: `CANDOR_SESSION_MAX_DAYS` (7) after sign-in, however
 * busy (the absolute timeout), or `CANDOR_SESSION_IDLE_HOURS` (12) after its last use (idle).
 */
export function sessionTimeouts(env: NodeJS.ProcessEnv = process.env) {
  const num = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
  return { absoluteMs: num(env.CANDOR_SESSION_MAX_DAYS, 7) * 86400_000, idleMs: num(env.CANDOR_SESSION_IDLE_HOURS, 12) * 3600_000 };
}
/** Last use is written at most this often: a busy agent's requests do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;
const invalidLogin = () => new AppError('unauthenticated', 'Email or password is incorrect');

/**
 * Password login. The email alone picks the agent (optionally narrowed by workspace slug);
 * every failure has the same message. Returns the session token for the cookie.
 */
export async function login({ app, input }: { app: Platform; input: { email: string; password: string; workspace?: string } }) {
  const email = input.email.trim().toLowerCase();
  const rows = await app.db.select({ agent: agents, slug: workspaces.slug }).from(agents)
    .innerJoin(workspaces, eq(workspaces.id, agents.workspaceId))
    .where(and(eq(agents.email, email), eq(agents.active, true)));
  const candidates = input.workspace ? rows.filter((r) => r.slug === input.workspace) : rows;
  if (!candidates.length) { await verifyPassword(input.password, null); throw invalidLogin(); }
  const matches = [];
  for (const c of candidates) if (await verifyPassword(input.password, c.agent.passwordHash)) matches.push(c);
  if (!matches.length) throw invalidLogin();
  if (matches.length > 1) throw new AppError('validation_failed', 'workspace: this email belongs to several workspaces; name one', { fields: [{ path: 'workspace', message: 'required' }] });
  const { agent, slug } = matches[0];
  const id = newId();
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + sessionTimeouts().absoluteMs);
  await app.db.insert(sessions).values({ workspaceId: agent.workspaceId, id, agentId: agent.id, secretHash: hashSecret(secret), expiresAt });
  return { token: `${agent.workspaceId}.${id}.${secret}`, expiresAt, agent: agentView(agent), workspace: { id: agent.workspaceId, slug } };
}

/** Resolves a session token to its workspace and agent actor, or null. */
export async function authenticateSession({ app, token }: { app: Platform; token: string }): Promise<{ workspaceId: string; actor: Actor } | null> {
  const [workspaceId, id, secret] = token.split('.');
  if (!workspaceId || !id || !secret || !/^[0-9a-f-]{36}$/.test(workspaceId) || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const now = Date.now();
  const { idleMs } = sessionTimeouts();
  const [row] = await app.db.select({ s: sessions, role: agents.role, active: agents.active }).from(sessions)
    .innerJoin(agents, and(eq(agents.workspaceId, sessions.workspaceId), eq(agents.id, sessions.agentId)))
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.id, id), gt(sessions.expiresAt, new Date(now)), gt(sessions.lastSeenAt, new Date(now - idleMs))));
  if (!row || !row.active || !secretMatches(secret, row.s.secretHash)) return null;
  if (now - row.s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await app.db.update(sessions).set({ lastSeenAt: new Date(now) }).where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.id, id)));
  }
  return { workspaceId, actor: { type: 'agent', id: row.s.agentId, role: row.role } };
}

export async function logout({ ctx, token }: { ctx: Ctx; token: string }) {
  const [, id] = token.split('.');
  if (id) await ctx.db.delete(sessions).where(and(eq(sessions.workspaceId, ctx.workspaceId), eq(sessions.id, id)));
}

/**
 * Ends the session a token names, whoever holds it (sign-in rotates: the session a browser came
 * with is ended, so a session id planted before sign-in is worth nothing after it). Also sweeps
 * that workspace's sessions that have timed out.
 */
export async function endSession({ app, token }: { app: Platform; token: string }): Promise<void> {
  const [workspaceId, id] = token.split('.');
  if (!workspaceId || !id || !/^[0-9a-f-]{36}$/.test(workspaceId) || !/^[0-9a-f-]{36}$/.test(id)) return;
  await app.db.delete(sessions).where(and(eq(sessions.workspaceId, workspaceId), or(eq(sessions.id, id),
    lt(sessions.expiresAt, new Date()), lt(sessions.lastSeenAt, new Date(Date.now() - sessionTimeouts().idleMs)))));
}
