import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { assistantGrants, customers, timelineEntries } from '../../db/schema/index.ts';
import { withTransaction, type Actor, type Ctx } from '../../platform/ctx.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, notFound, parseInput } from '../../platform/errors.ts';
import { newId, isUuid } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { hashSecret, newSecret, secretMatches } from '../../platform/secrets.ts';
import { BUS_RECONNECTED } from '../../platform/events.ts';
import { GrantInput, assistantScopes } from './portal.schemas.ts';
import { recordSelf, selfOf } from './self.ts';

type GrantRow = typeof assistantGrants.$inferSelect;
const UUID = /^[0-9a-f-]{36}$/;

const grantView = (g: GrantRow, actions: { occurredAt: Date; kind: string; summary: string }[] = []) => ({
  id: g.id, name: g.name, scopes: g.scopes, createdAt: g.createdAt.toISOString(), expiresAt: g.expiresAt.toISOString(),
  revokedAt: g.revokedAt?.toISOString() ?? null, lastUsedAt: g.lastUsedAt?.toISOString() ?? null,
  active: !g.revokedAt && g.expiresAt > new Date(),
  actions: actions.map((a) => ({ occurredAt: a.occurredAt.toISOString(), kind: a.kind, summary: a.summary })),
});

/**
 * Gives an AI assistant access to the customer's own account: named, scoped, expiring. The bearer
 * token (`cag_…`) is returned once; only its hash is kept. The customer does this in the portal;
 * an operator with the CLI (`candor assistant-grant`, a system ctx naming the customer).
 */
export async function createAssistantGrant({ ctx, input, customerId: forCustomer }: { ctx: Ctx; input: unknown; customerId?: string }) {
  const customerId = ctx.actor.type === 'system' && forCustomer ? forCustomer : selfOf(ctx, 'customer');
  const data = parseInput(GrantInput, input);
  const id = newId();
  const secret = newSecret();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(assistantGrants).values({
      workspaceId: ctx.workspaceId, id, customerId, name: data.name, scopes: [...new Set(data.scopes)], secretHash: hashSecret(secret),
      expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000), createdBy: `${ctx.actor.type}:${ctx.actor.id}`,
    }).returning();
    await audit(tx, { action: 'assistant_grant.created', entityType: 'assistant_grant', entityId: id, after: grantView(row) });
    await recordSelf(tx, { customerId, kind: 'assistant.granted', refId: id, summary: `gave assistant "${data.name}" access (${row.scopes.join(', ')}) until ${row.expiresAt.toISOString().slice(0, 10)}`, data: { grantId: id, scopes: row.scopes } });
    return { ...grantView(row), token: `cag_${ctx.workspaceId}.${id}.${secret}` };
  });
}

/** The customer's grants, newest first, each with what it did (its timeline entries). */
export async function listAssistantGrants({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx, 'customer');
  const rows = await ctx.db.select().from(assistantGrants)
    .where(and(eq(assistantGrants.workspaceId, ctx.workspaceId), eq(assistantGrants.customerId, customerId))).orderBy(desc(assistantGrants.createdAt));
  const actions = rows.length ? await ctx.db.select({ occurredAt: timelineEntries.occurredAt, kind: timelineEntries.kind, summary: timelineEntries.summary, actorId: timelineEntries.actorId })
    .from(timelineEntries)
    .where(and(eq(timelineEntries.workspaceId, ctx.workspaceId), eq(timelineEntries.customerId, customerId), eq(timelineEntries.actorType, 'assistant'), inArray(timelineEntries.actorId, rows.map((r) => r.id))))
    .orderBy(desc(timelineEntries.occurredAt)).limit(500) : [];
  return { data: rows.map((g) => grantView(g, actions.filter((a) => a.actorId === g.id).slice(0, 50))) };
}

/**
 * Revokes a grant at once: this node forgets it now, every other node on the event. By the
 * customer (their own grants only: another's is not found) or by the system (the CLI, by token).
 */
export async function revokeAssistantGrant({ ctx, id }: { ctx: Ctx; id: string }) {
  const customerId = ctx.actor.type === 'system' ? null : selfOf(ctx, 'customer');
  if (!isUuid(id)) throw notFound('Assistant grant');
  return withTransaction(ctx, async (tx) => {
    const where = [eq(assistantGrants.workspaceId, ctx.workspaceId), eq(assistantGrants.id, id)];
    if (customerId) where.push(eq(assistantGrants.customerId, customerId));
    const [existing] = await tx.db.select().from(assistantGrants).where(and(...where)).for('update');
    if (!existing) throw notFound('Assistant grant');
    if (existing.revokedAt) return grantView(existing);
    const [row] = await tx.db.update(assistantGrants).set({ revokedAt: new Date() }).where(and(...where, isNull(assistantGrants.revokedAt))).returning();
    await audit(tx, { action: 'assistant_grant.revoked', entityType: 'assistant_grant', entityId: id, before: grantView(existing), after: grantView(row) });
    await recordSelf(tx, { customerId: row.customerId, kind: 'assistant.revoked', refId: id, summary: `revoked assistant "${row.name}"`, data: { grantId: id } });
    emit(tx, 'assistant_grant.revoked', { customerId: row.customerId, data: { grantId: id } });
    forget(ctx.app, id);
    return grantView(row);
  });
}

/** Revokes the grant a token names (the CLI's `assistant-revoke --token`). */
export async function revokeAssistantGrantByToken({ ctx, token }: { ctx: Ctx; token: string }) {
  const parsed = parseToken(token);
  if (!parsed || parsed.workspaceId !== ctx.workspaceId) throw notFound('Assistant grant');
  const [row] = await ctx.db.select().from(assistantGrants).where(and(eq(assistantGrants.workspaceId, ctx.workspaceId), eq(assistantGrants.id, parsed.id)));
  if (!row || !secretMatches(parsed.secret, row.secretHash)) throw notFound('Assistant grant');
  return revokeAssistantGrant({ ctx, id: row.id });
}

function parseToken(token: string) {
  if (!token.startsWith('cag_')) return null;
  const [workspaceId, id, secret] = token.slice(4).split('.');
  if (!secret || !UUID.test(workspaceId ?? '') || !UUID.test(id ?? '')) return null;
  return { workspaceId, id, secret };
}

/** Grants this node verified recently: a revocation (event) or expiry removes one at once; entries last 30 s at most. */
const CACHE_MS = 30_000;
type Verified = { workspaceId: string; customerId: string; secretHash: string; scopes: string[]; name: string; expiresAt: number; until: number };
const caches = new WeakMap<Platform, Map<string, Verified>>();
function cacheOf(app: Platform) {
  let c = caches.get(app);
  if (!c) {
    const m = (c = new Map<string, Verified>());
    caches.set(app, m);
    app.bus.subscribe((e) => {
      if (e.type === 'assistant_grant.revoked') m.delete(String(e.data.grantId));
      if (e.type === BUS_RECONNECTED) m.clear();
    });
  }
  return c;
}
const forget = (app: Platform, id: string) => cacheOf(app).delete(id);
const lastUsed = new Map<string, number>();

/** Resolves a grant's bearer token to its workspace and assistant actor, or null (unknown, revoked, expired, customer merged away). */
export async function authenticateGrant({ app, token }: { app: Platform; token: string }): Promise<{ workspaceId: string; actor: Actor } | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const now = Date.now();
  const cache = cacheOf(app);
  let g = cache.get(parsed.id);
  if (!g || g.until < now || g.workspaceId !== parsed.workspaceId) {
    const [row] = await app.db.select({ g: assistantGrants, merged: customers.mergedIntoId }).from(assistantGrants)
      .innerJoin(customers, and(eq(customers.workspaceId, assistantGrants.workspaceId), eq(customers.id, assistantGrants.customerId)))
      .where(and(eq(assistantGrants.workspaceId, parsed.workspaceId), eq(assistantGrants.id, parsed.id)));
    if (!row || row.g.revokedAt || row.merged) { cache.delete(parsed.id); return null; }
    g = { workspaceId: parsed.workspaceId, customerId: row.g.customerId, secretHash: row.g.secretHash, scopes: row.g.scopes, name: row.g.name, expiresAt: row.g.expiresAt.getTime(), until: now + CACHE_MS };
    if (cache.size > 10_000) cache.clear();
    cache.set(parsed.id, g);
  }
  if (g.expiresAt <= now || !secretMatches(parsed.secret, g.secretHash)) return null;
  if ((lastUsed.get(parsed.id) ?? 0) < now - 60_000) {
    lastUsed.set(parsed.id, now);
    void app.db.update(assistantGrants).set({ lastUsedAt: new Date(now) }).where(and(eq(assistantGrants.workspaceId, g.workspaceId), eq(assistantGrants.id, parsed.id))).catch(() => {});
  }
  return { workspaceId: g.workspaceId, actor: { type: 'assistant', id: parsed.id, customerId: g.customerId, scopes: g.scopes.filter((s) => (assistantScopes as readonly string[]).includes(s)), name: g.name } };
}

export const assertKnownScopes = (scopes: string[]) => {
  const bad = scopes.filter((s) => !(assistantScopes as readonly string[]).includes(s));
  if (bad.length) throw new AppError('validation_failed', `scopes: unknown scope ${bad.join(', ')} (known: ${assistantScopes.join(', ')})`, { fields: [{ path: 'scopes', message: 'unknown scope' }] });
};
