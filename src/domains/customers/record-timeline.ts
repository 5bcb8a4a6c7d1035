import { timelineEntries } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { deferWrite, type Ctx } from '../../platform/ctx.ts';

export type TimelineInput = {
  customerId: string; kind: string; summary: string; occurredAt?: Date;
  conversationId?: string | null; refId?: string | null; data?: Record<string, unknown>;
};

/** Appends entries to customers' timelines, marked with the acting actor. Call inside the write's transaction. */
export async function recordTimeline(ctx: Ctx, entries: TimelineInput[]): Promise<void> {
  if (!entries.length) return;
  await deferWrite(ctx, ctx.db.insert(timelineEntries).values(entries.map((e) => ({
    workspaceId: ctx.workspaceId, id: newId(), customerId: e.customerId, occurredAt: e.occurredAt ?? new Date(), kind: e.kind,
    actorType: ctx.actor.type, actorId: ctx.actor.id, conversationId: e.conversationId ?? null, refId: e.refId ?? null,
    summary: e.summary.slice(0, 500), data: e.data ?? {},
  }))).getSQL());
}
