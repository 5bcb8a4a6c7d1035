import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { isUuid } from '../../platform/ids.ts';
import { rowsOf } from '../../platform/bulk.ts';

type Presence = (workspaceId: string) => string[];
let presence: Presence = () => [];
/** The realtime hub of this node tells who is connected (server.ts wires it); agents on other nodes are not counted. */
export function setPresenceSource(p: Presence): void { presence = p; }

/** The now-panel: open, waiting, the oldest wait, agents online and SLA clocks due within the hour. */
export async function getInsightsNow({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  authorize(ctx, 'conversations:read');
  const iso = now.toISOString();
  const [r] = rowsOf<{ open: number; waiting: number; oldest: string | null; due: number }>(await ctx.db.execute(sql`
    select (select count(*)::int from conversations where workspace_id = ${ctx.workspaceId} and status = 'open') as open,
      (select count(*)::int from conversation_facts where workspace_id = ${ctx.workspaceId} and waiting_since is not null) as waiting,
      (select min(waiting_since) from conversation_facts where workspace_id = ${ctx.workspaceId} and waiting_since is not null) as oldest,
      (select count(*)::int from conversation_facts where workspace_id = ${ctx.workspaceId} and next_due_at is not null
        and next_due_at >= ${iso}::timestamptz and next_due_at < ${iso}::timestamptz + interval '1 hour') as due`));
  return {
    open: Number(r.open), waiting: Number(r.waiting),
    oldestWaitingSeconds: r.oldest ? Math.max(0, Math.round((now.getTime() - new Date(r.oldest).getTime()) / 1000)) : 0,
    agentsOnline: presence(ctx.workspaceId).length,
    breachesNextHour: Number(r.due),
    at: iso,
  };
}

/** Running SLA clocks of some conversations (the countdowns on the inbox list and in the conversation). */
export async function getSlaClocks({ ctx, ids }: { ctx: Ctx; ids: string[] }) {
  authorize(ctx, 'conversations:read');
  ids = [...new Set(ids.filter(isUuid))].slice(0, 200);
  if (!ids.length) return [];
  const rows = rowsOf<{ conversation_id: string; first_response_due_at: string | null; next_response_due_at: string | null; resolution_due_at: string | null; first_response_breached: boolean | null; resolution_breached: boolean | null }>(await ctx.db.execute(sql`
    select conversation_id, first_response_due_at, next_response_due_at, resolution_due_at, first_response_breached, resolution_breached
    from conversation_facts where workspace_id = ${ctx.workspaceId} and conversation_id = any(${`{${ids.join(',')}}`}::uuid[])`));
  const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
  return rows.map((r) => ({
    conversationId: r.conversation_id, firstResponseDueAt: iso(r.first_response_due_at), nextResponseDueAt: iso(r.next_response_due_at),
    resolutionDueAt: iso(r.resolution_due_at), breached: !!(r.first_response_breached || r.resolution_breached),
  }));
}
