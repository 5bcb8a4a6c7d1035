import { sql } from 'drizzle-orm';
import type { Platform } from '../../platform/platform.ts';
import { systemCtx } from '../../platform/ctx.ts';
import { refreshConversationFacts } from './refresh-facts.ts';
import { rowsOf } from '../../platform/bulk.ts';

/**
 * Keeps conversation_facts and the hourly roll-up in step: told by every conversation.* and
 * message.* event (from any node: the refresh is idempotent, so two nodes doing it is only
 * wasted work), and sweeping every few seconds for SLA clocks that have come due, so a breach
 * is recorded and escalated even when nothing happens to the conversation.
 */
export class InsightsWorker {
  private dirty = new Map<string, Set<string>>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopping = false;
  private unsubscribe?: () => void;

  constructor(private readonly app: Platform, private readonly opts = { sweepMs: 15_000, debounceMs: 40 }) {}

  start(): void {
    this.stopping = false;
    this.unsubscribe = this.app.bus.subscribe((e) => {
      if (!e.conversationId || !(e.type.startsWith('conversation.') || e.type.startsWith('message.'))) return;
      let set = this.dirty.get(e.workspaceId);
      if (!set) this.dirty.set(e.workspaceId, (set = new Set()));
      set.add(e.conversationId);
      this.kick();
    });
    this.timer = setInterval(() => void this.sweepDue().catch((err) => this.app.log.error({ err }, 'SLA sweep failed')), this.opts.sweepMs);
    this.timer.unref();
    void this.catchUp().catch((err) => this.app.log.error({ err }, 'insights catch-up failed'));
  }

  /**
   * Once at start: conversations whose facts are missing or older than their last change (events
   * missed while no node ran, or data written in bulk) are refreshed in the background.
   */
  async catchUp(batch = 500): Promise<number> {
    let total = 0;
    const seen = new Set<string>();
    while (!this.stopping) {
      const stale = rowsOf<{ workspace_id: string; id: string }>(await this.app.db.execute(sql`
        select c.workspace_id, c.id from conversations c left join conversation_facts f on f.workspace_id = c.workspace_id and f.conversation_id = c.id
        where f.conversation_id is null or c.updated_at > f.refreshed_at limit ${batch}`));
      const fresh = stale.filter((d) => !seen.has(d.id));
      if (!fresh.length) break; // changed "in the future" (clock skew): refreshed once, not forever
      for (const d of fresh) seen.add(d.id);
      const byWs = new Map<string, string[]>();
      for (const d of fresh) byWs.set(d.workspace_id, [...(byWs.get(d.workspace_id) ?? []), d.id]);
      for (const [ws, ids] of byWs) await refreshConversationFacts(systemCtx(this.app, ws, 'insights'), ids);
      total += fresh.length;
      if (stale.length < batch) break;
    }
    return total;
  }

  /** Ask for a pass soon; events within the debounce window share it. */
  kick(): void {
    if (this.stopping) return;
    if (this.running) { this.again = true; return; }
    this.running = new Promise<void>((r) => setTimeout(r, this.opts.debounceMs)).then(() => this.drain()).finally(() => {
      this.running = undefined;
      if (this.again && !this.stopping) { this.again = false; this.kick(); }
    });
  }

  /** Resolves once every conversation announced so far has its facts refreshed. */
  async idle(): Promise<void> {
    while (this.running || this.dirty.size) {
      if (!this.running) this.kick();
      await this.running;
    }
  }

  private async drain(): Promise<void> {
    const work = this.dirty;
    this.dirty = new Map();
    for (const [ws, ids] of work) {
      const list = [...ids];
      for (let i = 0; i < list.length; i += 200) {
        try {
          await refreshConversationFacts(systemCtx(this.app, ws, 'insights'), list.slice(i, i + 200));
        } catch (err) {
          this.app.log.error({ err, workspaceId: ws }, 'insights refresh failed');
        }
      }
    }
  }

  /** Conversations with an SLA clock due by now: refreshing them records the breach. */
  async sweepDue(now = new Date()): Promise<number> {
    const due = rowsOf<{ workspace_id: string; conversation_id: string }>(await this.app.db.execute(sql`
      select workspace_id, conversation_id from conversation_facts where next_due_at <= ${now.toISOString()}::timestamptz order by next_due_at limit 1000`));
    const byWs = new Map<string, string[]>();
    for (const d of due) byWs.set(d.workspace_id, [...(byWs.get(d.workspace_id) ?? []), d.conversation_id]);
    for (const [ws, ids] of byWs) await refreshConversationFacts(systemCtx(this.app, ws, 'insights'), ids, now);
    return due.length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
