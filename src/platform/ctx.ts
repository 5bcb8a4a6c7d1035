import type { Db } from './db.ts';
import type { Platform } from './platform.ts';
import type { DomainEvent } from './events.ts';

export type Role = 'admin' | 'supervisor' | 'agent';

/** Who is acting. Every verb knows, and the audit log records it. */
export type Actor =
  | { type: 'agent'; id: string; role: Role }
  | { type: 'apiKey'; id: string; scopes: string[] }
  | { type: 'customer'; id: string }
  | { type: 'assistant'; id: string; customerId: string; scopes: string[] }
  | { type: 'system'; id: string };

type TxState = { events: DomainEvent[]; afterCommit: (() => void)[] };

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
  const state: TxState = { events: [], afterCommit: [] };
  const result = await ctx.db.transaction(async (tx) => {
    const r = await fn({ ...ctx, db: tx as unknown as Db, tx: state });
    await ctx.app.bus.announce(tx as unknown as Db, state.events);
    return r;
  });
  if (state.events.length) ctx.app.bus.deliverLocally(state.events);
  for (const f of state.afterCommit) f();
  return result;
}

/** Runs f after the surrounding transaction commits (at once when there is none). */
export function afterCommit(ctx: Ctx, f: () => void): void {
  if (ctx.tx) ctx.tx.afterCommit.push(f);
  else f();
}

export const actorId = (a: Actor): string => a.id;
