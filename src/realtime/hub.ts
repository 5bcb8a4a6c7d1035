import { BUS_RECONNECTED, type DomainEvent, type EventBus } from '../platform/events.ts';
import type { RealtimeConnection } from './connection.ts';

/**
 * The sockets of this node, indexed by workspace: an event is only ever offered to the sockets
 * of its own workspace. Events come from the bus after commit, this node's and (on PostgreSQL,
 * through LISTEN/NOTIFY) every other node's.
 */
export class RealtimeHub {
  private byWorkspace = new Map<string, Set<RealtimeConnection>>();
  /** workspace → agent id → open sockets of that agent on this node. */
  private agents = new Map<string, Map<string, number>>();
  private readonly unsubscribe: () => void;

  constructor(bus: EventBus) {
    this.unsubscribe = bus.subscribe((e) => this.route(e));
  }

  add(conn: RealtimeConnection): void {
    const ws = conn.ctx.workspaceId;
    let set = this.byWorkspace.get(ws);
    if (!set) this.byWorkspace.set(ws, (set = new Set()));
    set.add(conn);
    if (conn.agentId) {
      let counts = this.agents.get(ws);
      if (!counts) this.agents.set(ws, (counts = new Map()));
      counts.set(conn.agentId, (counts.get(conn.agentId) ?? 0) + 1);
    }
  }

  remove(conn: RealtimeConnection): void {
    const ws = conn.ctx.workspaceId;
    const set = this.byWorkspace.get(ws);
    if (!set?.delete(conn)) return;
    if (!set.size) this.byWorkspace.delete(ws);
    const counts = this.agents.get(ws);
    if (conn.agentId && counts) {
      const n = (counts.get(conn.agentId) ?? 1) - 1;
      if (n > 0) counts.set(conn.agentId, n);
      else counts.delete(conn.agentId);
      if (!counts.size) this.agents.delete(ws);
    }
  }

  /** Agents of a workspace with at least one socket open on this node (the hook for presence). */
  presence(workspaceId: string): string[] {
    return [...(this.agents.get(workspaceId)?.keys() ?? [])];
  }

  connections(): RealtimeConnection[] {
    return [...this.byWorkspace.values()].flatMap((s) => [...s]);
  }

  close(): void {
    this.unsubscribe();
  }

  private route(event: DomainEvent): void {
    if (event.type === BUS_RECONNECTED) {
      // Events from other nodes may have been missed: clients refetch what they show.
      for (const c of this.connections()) c.send({ type: 'resync', reason: 'event stream interrupted' });
      return;
    }
    const set = this.byWorkspace.get(event.workspaceId);
    if (!set) return;
    const json = JSON.stringify(event);
    for (const conn of set) conn.deliver(event, json);
  }
}
