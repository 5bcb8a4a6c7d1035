import { newId } from './ids.ts';
import type { Ctx } from './ctx.ts';
import type { Database } from './db.ts';
import type { Logger } from './logger.ts';

/** Domain events: small facts with ids, published after commit. Subscribers fetch what they need. */
export type DomainEvent = {
  id: string;
  type: string;
  workspaceId: string;
  at: string;
  customerId?: string;
  conversationId?: string;
  data: Record<string, unknown>;
};

export function emit(ctx: Ctx, type: string, fields: { customerId?: string; conversationId?: string; data?: Record<string, unknown> }): void {
  const event: DomainEvent = {
    id: newId(), type, workspaceId: ctx.workspaceId, at: new Date().toISOString(),
    customerId: fields.customerId, conversationId: fields.conversationId, data: fields.data ?? {},
  };
  if (ctx.tx) ctx.tx.events.push(event);
  else ctx.app.bus.publish([event]);
}

type Handler = (event: DomainEvent) => void;
const CHANNEL = 'candor_events';
const MAX_NOTIFY = 7800;

/**
 * In-process bus; on a PostgreSQL server it also carries events to every other Candor
 * node through LISTEN/NOTIFY, so a socket on node B hears what node A committed.
 */
export class EventBus {
  private handlers = new Set<Handler>();
  private unlisten?: () => Promise<void>;
  private database?: Database;

  constructor(private readonly nodeId: string, private readonly log?: Logger) {}

  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  publish(events: DomainEvent[]): void {
    this.dispatch(events);
    if (this.database?.listen) void this.forward(events);
  }

  async connect(database: Database): Promise<void> {
    if (!database.listen) return;
    this.database = database;
    this.unlisten = await database.listen(CHANNEL, (payload) => {
      try {
        const msg = JSON.parse(payload) as { node: string; events: DomainEvent[] };
        if (msg.node !== this.nodeId) this.dispatch(msg.events);
      } catch (err) {
        this.log?.warn({ err }, 'bad event payload');
      }
    });
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    this.database = undefined;
  }

  private dispatch(events: DomainEvent[]): void {
    for (const e of events) for (const h of this.handlers) {
      try { h(e); } catch (err) { this.log?.error({ err, event: e.type }, 'event handler failed'); }
    }
  }

  private async forward(events: DomainEvent[]): Promise<void> {
    const batches: DomainEvent[][] = [];
    let cur: DomainEvent[] = [];
    let size = 0;
    for (const e of events) {
      const n = JSON.stringify(e).length;
      if (cur.length && size + n > MAX_NOTIFY) { batches.push(cur); cur = []; size = 0; }
      cur.push(e); size += n;
    }
    if (cur.length) batches.push(cur);
    try {
      // Every payload in one statement: one round trip however many events a commit produced.
      await this.database!.query('select pg_notify($1, p) from unnest($2::text[]) as p',
        [CHANNEL, batches.map((b) => JSON.stringify({ node: this.nodeId, events: b }))]);
    } catch (err) {
      this.log?.warn({ err }, 'event forward failed');
    }
  }
}
