import { and, eq, gt, lt, or } from 'drizzle-orm';
import { customers, portalSessions } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/ctx.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { hashSecret, newSecret, secretMatches } from '../../platform/secrets.ts';

export const PORTAL_COOKIE = 'candor_portal';
const ABSOLUTE_MS = 7 * 86_400_000;
const IDLE_MS = 24 * 3_600_000;
const TOUCH_EVERY_MS = 60_000;
const UUID = /^[0-9a-f-]{36}$/;

/** Starts a customer's portal session; returns the token for the `candor_portal` cookie. */
export async function createCustomerSession(app: Platform, workspaceId: string, customerId: string) {
  const id = newId();
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + ABSOLUTE_MS);
  await app.db.insert(portalSessions).values({ workspaceId, id, customerId, secretHash: hashSecret(secret), expiresAt });
  return { token: `cps_${workspaceId}.${id}.${secret}`, expiresAt };
}

/** Resolves a portal session token to its workspace and customer actor, or null (expired, idle, merged away). */
export async function authenticateCustomerSession({ app, token }: { app: Platform; token: string }): Promise<{ workspaceId: string; actor: Actor } | null> {
  if (!token.startsWith('cps_')) return null;
  const [workspaceId, id, secret] = token.slice(4).split('.');
  if (!secret || !UUID.test(workspaceId ?? '') || !UUID.test(id ?? '')) return null;
  const now = Date.now();
  const [row] = await app.db.select({ s: portalSessions, merged: customers.mergedIntoId }).from(portalSessions)
    .innerJoin(customers, and(eq(customers.workspaceId, portalSessions.workspaceId), eq(customers.id, portalSessions.customerId)))
    .where(and(eq(portalSessions.workspaceId, workspaceId), eq(portalSessions.id, id), gt(portalSessions.expiresAt, new Date(now)), gt(portalSessions.lastSeenAt, new Date(now - IDLE_MS))));
  if (!row || !secretMatches(secret, row.s.secretHash)) return null;
  if (now - row.s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await app.db.update(portalSessions).set({ lastSeenAt: new Date(now) }).where(and(eq(portalSessions.workspaceId, workspaceId), eq(portalSessions.id, id)));
  }
  return { workspaceId, actor: { type: 'customer', id: row.merged ?? row.s.customerId } };
}

/** Ends the session a token names (sign-out, or the session a browser came with at sign-in), and sweeps that workspace's expired ones. */
export async function endCustomerSession({ app, token }: { app: Platform; token: string }): Promise<void> {
  const [workspaceId, id] = token.replace(/^cps_/, '').split('.');
  if (!UUID.test(workspaceId ?? '') || !UUID.test(id ?? '')) return;
  await app.db.delete(portalSessions).where(and(eq(portalSessions.workspaceId, workspaceId), or(eq(portalSessions.id, id), lt(portalSessions.expiresAt, new Date()))));
}
