import { newId } from './ids.ts';
import type { Ctx } from './ctx.ts';
import { sql, type SQL } from 'drizzle-orm';
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
/** Local only, workspace '': this node's LISTEN connection was lost and is back; events of the gap were missed. */
export const BUS_RECONNECTED = 'bus.reconnected';
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

  /** How every payload of this node begins: a node knows its own notifications without parsing them. */
  private readonly prefix: string;

  constructor(nodeId: string, private readonly log?: Logger) {
    this.prefix = `{"node":${JSON.stringify(nodeId)},`;
  }

  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Events that happened outside a transaction: to this node's subscribers now, and to the others. */
  publish(events: DomainEvent[]): void {
    this.dispatch(events);
    if (this.database?.listen) {
      void this.database.query('select pg_notify($1, p::text) from json_array_elements($2::json) as p', [CHANNEL, this.notices(events)])
        .catch((err) => this.log?.warn({ err }, 'event forward failed'));
    }
  }

  /**
   * The NOTIFY of a transaction's events, sent as its last statement before COMMIT (null when
   * there are none, or no other node to tell). NOTIFY is transactional, so the other nodes hear the
   * events exactly when (and only if) the data is committed, with no extra round trip after.
   */
  notifySql(events: DomainEvent[]): SQL | null {
    if (!this.database?.listen || !events.length) return null;
    return sql`select pg_notify(${CHANNEL}, p::text) from json_array_elements(${this.notices(events)}::json) as p`;
  }

  /** After commit: this node's own subscribers (the others are told by the NOTIFY). */
  deliverLocally(events: DomainEvent[]): void {
    this.dispatch(events);
  }

  async connect(database: Database): Promise<void> {
    if (!database.listen) return;
    this.database = database;
    this.unlisten = await database.listen(CHANNEL, (payload) => {
      if (payload.startsWith(this.prefix)) return; // our own events, delivered locally at commit: not even parsed
      try {
        this.dispatch((JSON.parse(payload) as { events: DomainEvent[] }).events);
      } catch (err) {
        this.log?.warn({ err }, 'bad event payload');
      }
    }, () => {
      // Other nodes' events of the gap are lost: subscribers that cache or forward must resynchronise.
      this.log?.warn('event connection to PostgreSQL re-established; announcing bus.reconnected');
      this.dispatch([{ id: newId(), type: BUS_RECONNECTED, workspaceId: '', at: new Date().toISOString(), data: {} }]);
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

  /**
   * The NOTIFY payloads, each under PostgreSQL's 8000-byte limit with several events, as one JSON
   * array: nothing is escaped, and `json_array_elements(…)::text` gives each element's text as
   * written (json keeps its input text; jsonb would not).
   */
  private notices(events: DomainEvent[]): string {
    const out: string[] = [];
    let cur: string[] = [];
    let size = 0;
    const flush = () => { if (cur.length) out.push(`${this.prefix}"events":[${cur.join(',')}]}`); cur = []; size = 0; };
    for (const e of events) {
      const json = JSON.stringify(e);
      if (size + json.length > MAX_NOTIFY) flush();
      cur.push(json); size += json.length + 1;
    }
    flush();
    return `[${out.join(',')}]`;
  }
}
