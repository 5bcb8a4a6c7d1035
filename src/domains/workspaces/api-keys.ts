import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../../db/schema/index.ts';
import { newId, isUuid } from '../../platform/ids.ts';
import { withTransaction, type Ctx, type Actor } from '../../platform/ctx.ts';
import { authorize, permissions } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit, BUS_RECONNECTED } from '../../platform/events.ts';
import { hashSecret, newSecret, sameBytes, secretMatches } from '../../platform/secrets.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

const view = (k: typeof apiKeys.$inferSelect) => ({
  id: k.id, name: k.name, scopes: k.scopes, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt,
});

/** Creates a scoped API key. The token is returned once; only its hash is kept. */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: { name: string; scopes: string[] } }) {
  authorize(ctx, 'workspace:admin');
  const unknown = input.scopes.filter((s) => s !== '*' && !(permissions as readonly string[]).includes(s));
  if (unknown.length) throw new AppError('validation_failed', `scopes: unknown scope ${unknown.join(', ')}`, { fields: [{ path: 'scopes', message: `known: ${permissions.join(', ')}` }] });
  const id = newId();
  const secret = newSecret();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(apiKeys).values({
      workspaceId: ctx.workspaceId, id, name: input.name, secretHash: hashSecret(secret), scopes: input.scopes,
      createdBy: ctx.actor.type === 'agent' ? ctx.actor.id : null,
    }).returning();
    await audit(tx, { action: 'api_key.created', entityType: 'api_key', entityId: id, after: view(row) });
    return { ...view(row), token: `cnd_${ctx.workspaceId}.${id}.${secret}` };
  });
}

export async function listApiKeys({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'workspace:admin');
  return (await ctx.db.select().from(apiKeys).where(eq(apiKeys.workspaceId, ctx.workspaceId)).orderBy(apiKeys.createdAt)).map(view);
}

export async function revokeApiKey({ ctx, id }: { ctx: Ctx; id: string }) {
  authorize(ctx, 'workspace:admin');
  if (!isUuid(id)) throw notFound('API key');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.update(apiKeys).set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.workspaceId, ctx.workspaceId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning();
    if (!row) throw notFound('API key');
    await audit(tx, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, after: view(row) });
    // Every node forgets the key when this commits (its own bus now, the others by NOTIFY).
    emit(tx, 'api_key.revoked', { data: { apiKeyId: id } });
    return view(row);
  });
}

const lastUsedWrites = new Map<string, number>();

/**
 * Keys this node has verified, so that a request costs no query for its key. A revocation reaches
 * every node as the `api_key.revoked` event (after commit here, by NOTIFY elsewhere) and removes
 * the key at once; entries also expire after CACHE_MS, in case a node missed that event.
 */
const CACHE_MS = 30_000;
type Verified = { workspaceId: string; secretHash: string; scopes: string[]; until: number; secret?: Buffer };
const caches = new WeakMap<Platform, Map<string, Verified>>();
function cacheOf(app: Platform): Map<string, Verified> {
  let cache = caches.get(app);
  if (!cache) {
    const c = (cache = new Map());
    caches.set(app, c);
    app.bus.subscribe((e) => {
      if (e.type === 'api_key.revoked') c.delete(String(e.data.apiKeyId));
      if (e.type === BUS_RECONNECTED) c.clear(); // a revocation may have been missed
    });
  }
  return cache;
}

/** Resolves a bearer token to its workspace and apiKey actor, or null when unknown or revoked. */
export async function authenticateApiKey({ app, token }: { app: Platform; token: string }): Promise<{ workspaceId: string; actor: Actor } | null> {
  if (!token.startsWith('cnd_')) return null;
  const [workspaceId, id, secret] = token.slice(4).split('.');
  if (!secret || !/^[0-9a-f-]{36}$/.test(workspaceId ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) return null;
  const now = Date.now();
  const cache = cacheOf(app);
  let key = cache.get(id);
  if (!key || key.until < now || key.workspaceId !== workspaceId) {
    const [row] = await app.db.select().from(apiKeys).where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)));
    if (!row || row.revokedAt) { cache.delete(id); return null; }
    key = { workspaceId, secretHash: row.secretHash, scopes: row.scopes, until: now + CACHE_MS };
    if (cache.size > 10_000) cache.clear();
    cache.set(id, key);
  }
  // The first request of a cache period checks the secret against its stored hash; later ones
  // compare with the secret that passed (constant time either way), sparing a SHA-256 each.
  const given = Buffer.from(secret);
  if (key.secret) {
    if (!sameBytes(given, key.secret)) return null;
  } else {
    if (!secretMatches(secret, key.secretHash)) return null;
    key.secret = given;
  }
  // Record use at most once a minute per key: not a write per request.
  if ((lastUsedWrites.get(id) ?? 0) < now - 60_000) {
    lastUsedWrites.set(id, now);
    void app.db.update(apiKeys).set({ lastUsedAt: new Date(now) }).where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id))).catch(() => {});
  }
  return { workspaceId, actor: { type: 'apiKey', id, scopes: key.scopes } };
}
