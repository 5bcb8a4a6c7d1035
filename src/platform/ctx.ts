import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { Platform } from './platform.ts';
import type { DomainEvent } from './events.ts';

export type Role = 'admin' | 'supervisor' | 'agent';

/** Who is acting. Every verb knows, and the audit log records it. */
export type Actor =
  | { type: 'agent'; id: string; role: Role }
  | { type: 'apiKey'; id: string; scopes: string[] }
  | { type: 'customer'; id: string }
  | { type: 'assistant'; id: string; customerId: string; scopes: string[]; name?: string }
  | { type: 'system'; id: string };

type TxState = { events: DomainEvent[]; afterCommit: (() => void)[]; writes: SQL[] };

/** The context every verb receives: the tenant, the actor, and the database (or the open transaction). */
export interface Ctx {
  workspaceId: string;
  actor: Actor;
  requestId?: string;
  db: Db;
  app: Platform;
  tx?: TxState;
}

export function systemCtx(app: Platform, workspaceId: string, id = 'candor'): Ctx {
  return { workspaceId, actor: { type: 'system', id }, db: app.db, app };
}

export function actorCtx(app: Platform, workspaceId: string, actor: Actor, requestId?: string): Ctx {
  return { workspaceId, actor, db: app.db, app, requestId };
}

/**
 * Runs fn in a transaction, joining one that is already open. Domain events emitted inside
 * are published only after the outermost commit; a rollback drops them.
 */
export async function withTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.tx) return fn(ctx);
  const state: TxState = { events: [], afterCommit: [], writes: [] };
  const result = await ctx.db.transaction(async (tx) => {
    const r = await fn({ ...ctx, db: tx as unknown as Db, tx: state });
    const last = lastStatement(state.writes, ctx.app.bus.notifySql(state.events));
    if (last) await (tx as unknown as Db).execute(last);
    return r;
  });
  if (state.events.length) ctx.app.bus.deliverLocally(state.events);
  for (const f of state.afterCommit) f();
  return result;
}

/**
 * A write whose result nobody reads (audit, timeline): in a transaction it waits for the
 * transaction's last statement, which carries every such write and the NOTIFY of its events in
 * one round trip before COMMIT; outside one it runs at once. A failing write still fails the
 * transaction, so nothing commits without it.
 */
export async function deferWrite(ctx: Ctx, q: SQL): Promise<void> {
  if (ctx.tx) ctx.tx.writes.push(q);
  else await ctx.db.execute(q);
}

/** `with w0 as (write), w1 as (write) select pg_notify(...)`: data-modifying CTEs run once, whatever the select reads. */
function lastStatement(writes: SQL[], notify: SQL | null): SQL | null {
  if (!writes.length) return notify;
  const q = sql`with `;
  writes.forEach((w, i) => q.append(sql.raw(`${i ? ', ' : ''}w${i} as (`)).append(w).append(sql.raw(')')));
  return q.append(notify ? sql` ${notify}` : sql` select 1`);
}

/** Runs f after the surrounding transaction commits (at once when there is none). */
export function afterCommit(ctx: Ctx, f: () => void): void {
  if (ctx.tx) ctx.tx.afterCommit.push(f);
  else f();
}

export const actorId = (a: Actor): string => a.id;
