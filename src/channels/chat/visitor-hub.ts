import type { Platform } from '../../platform/platform.ts';
import type { DomainEvent } from '../../platform/events.ts';
import { systemCtx } from '../../platform/ctx.ts';
import { markChatReplies, visibleMessage, visitorMessage } from '../../domains/conversations/index.ts';
import type { VisitorConnection } from './visitor-connection.ts';

const keyOf = (workspaceId: string, customerId: string) => `${workspaceId}\u0000${customerId}`;
const hubs = new WeakMap<Platform, Set<VisitorHub>>();

/** The visitor hubs of this process for a platform (one per running server). */
export const visitorHubs = (app: Platform): VisitorHub[] => [...(hubs.get(app) ?? [])];

/**
 * This node's visitor sockets, by workspace and customer. Every message.created event (this
 * node's, and on PostgreSQL every other node's through LISTEN/NOTIFY) that concerns a customer
 * with a socket here is loaded and pushed to the customer's sockets; a chat reply a socket took
 * is marked delivered. A customer merged into another follows the surviving record.
 */
export class VisitorHub {
  private byCustomer = new Map<string, Set<VisitorConnection>>();
  private keys = new Map<VisitorConnection, string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly app: Platform) {
    this.unsubscribe = app.bus.subscribe((e) => this.route(e));
    if (!hubs.has(app)) hubs.set(app, new Set());
    hubs.get(app)!.add(this);
  }

  add(conn: VisitorConnection): void {
    if (!conn.customerId || this.keys.has(conn)) return;
    const key = keyOf(conn.workspaceId, conn.customerId);
    let set = this.byCustomer.get(key);
    if (!set) this.byCustomer.set(key, (set = new Set()));
    set.add(conn);
    this.keys.set(conn, key);
  }

  remove(conn: VisitorConnection): void {
    const key = this.keys.get(conn);
    if (!key) return;
    this.keys.delete(conn);
    const set = this.byCustomer.get(key);
    set?.delete(conn);
    if (set && !set.size) this.byCustomer.delete(key);
  }

  connections(): VisitorConnection[] {
    return [...this.keys.keys()];
  }

  /** Whether a visitor socket of this customer is open on this node. */
  has(workspaceId: string, customerId: string): boolean {
    return this.byCustomer.has(keyOf(workspaceId, customerId));
  }

  /**
   * Pushes one message to the customer's sockets on this node; a chat reply that reached at least
   * one is marked delivered. Resolves whether any socket took it.
   */
  async deliver(workspaceId: string, customerId: string, messageId: string): Promise<boolean> {
    const set = this.byCustomer.get(keyOf(workspaceId, customerId));
    if (!set?.size) return false;
    const ctx = systemCtx(this.app, workspaceId, 'chat');
    const m = await visibleMessage(ctx, customerId, messageId);
    if (!m) return false;
    const shown = visitorMessage(m);
    const took = (await Promise.all([...set].map((c) => c.show(shown, m.channel)))).some(Boolean);
    if (took) await markChatReplies(ctx, [m], 'delivered');
    return took;
  }

  close(): void {
    this.unsubscribe();
    hubs.get(this.app)?.delete(this);
  }

  private route(e: DomainEvent): void {
    if (!e.customerId) return;
    if (e.type === 'message.created' && (e.data.direction === 'in' || e.data.direction === 'out') && typeof e.data.messageId === 'string') {
      if (!this.has(e.workspaceId, e.customerId)) return;
      this.deliver(e.workspaceId, e.customerId, e.data.messageId)
        .catch((err) => this.app.log.warn({ err, messageId: e.data.messageId }, 'chat: push to visitor failed'));
    } else if (e.type === 'customer.merged' && typeof e.data.sourceId === 'string') {
      const moved = this.byCustomer.get(keyOf(e.workspaceId, e.data.sourceId));
      for (const conn of [...(moved ?? [])]) {
        this.remove(conn);
        conn.customerId = e.customerId;
        this.add(conn);
      }
    }
  }
}
