import { parseInput } from '../../platform/errors.ts';
import { and, eq } from 'drizzle-orm';
import { conversations, agents, teams } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { recordTimeline, type TimelineInput } from '../customers/record-timeline.ts';
import { UpdateConversationInput } from './conversations.schemas.ts';
import { conversationView, loadConversation } from './views.ts';
import type { z } from '@hono/zod-openapi';

/**
 * Changes status, assignment, team, priority, tags or subject. Each change lands on the
 * customer's timeline; resolution and closing are recorded as timestamped facts.
 * Routers and people call the same verb to assign.
 */
export async function updateConversation({ ctx, id, input }: { ctx: Ctx; id: string; input: z.input<typeof UpdateConversationInput> }) {
  authorize(ctx, 'conversations:write');
  const data = parseInput(UpdateConversationInput, input);
  if (data.status === 'snoozed' && !data.snoozedUntil) throw invalid('snoozedUntil', 'required when snoozing');
  return withTransaction(ctx, async (tx) => {
    const before = await loadConversation(tx, id, true);
    const now = new Date();
    const patch: Partial<typeof conversations.$inferInsert> = { updatedAt: now };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const timeline: TimelineInput[] = [];
    const note = (kind: string, summary: string) => timeline.push({ customerId: before.customerId, conversationId: id, kind, summary, occurredAt: now });

    if (data.status && data.status !== before.status) {
      patch.status = data.status;
      patch.snoozedUntil = data.status === 'snoozed' ? data.snoozedUntil! : null;
      if (data.status === 'resolved') patch.resolvedAt = now;
      if (data.status === 'closed') patch.closedAt = now;
      if ((before.status === 'resolved' || before.status === 'closed') && (data.status === 'open' || data.status === 'pending')) patch.reopenCount = before.reopenCount + 1;
      changes.status = { from: before.status, to: data.status };
      note(`conversation.${data.status === 'open' ? 'reopened' : data.status}`, `Conversation #${before.number} ${data.status === 'open' ? 'reopened' : `set to ${data.status}`}`);
    }
    if (data.assigneeId !== undefined && data.assigneeId !== before.assigneeId) {
      if (data.assigneeId) {
        const [a] = await tx.db.select({ name: agents.name }).from(agents).where(and(eq(agents.workspaceId, ctx.workspaceId), eq(agents.id, data.assigneeId)));
        if (!a) throw notFound('Agent');
        note('conversation.assigned', `Conversation #${before.number} assigned to ${a.name}`);
      } else note('conversation.unassigned', `Conversation #${before.number} unassigned`);
      patch.assigneeId = data.assigneeId;
      changes.assigneeId = { from: before.assigneeId, to: data.assigneeId };
    }
    if (data.teamId !== undefined && data.teamId !== before.teamId) {
      if (data.teamId) {
        const [t] = await tx.db.select({ name: teams.name }).from(teams).where(and(eq(teams.workspaceId, ctx.workspaceId), eq(teams.id, data.teamId)));
        if (!t) throw notFound('Team');
      }
      patch.teamId = data.teamId;
      changes.teamId = { from: before.teamId, to: data.teamId };
    }
    // A transfer: the matter moves from one owner (agent or team) to another; a first assignment is not one.
    const movedFrom = (was: string | null, to: string | null | undefined) => to !== undefined && was !== null && to !== null && to !== was;
    if (movedFrom(before.assigneeId, data.assigneeId) || movedFrom(before.teamId, data.teamId)) patch.transferCount = before.transferCount + 1;
    if (data.priority && data.priority !== before.priority) { patch.priority = data.priority; changes.priority = { from: before.priority, to: data.priority }; }
    if (data.tags) { patch.tags = [...new Set(data.tags)]; changes.tags = { from: before.tags, to: patch.tags }; }
    if (data.subject !== undefined && data.subject !== before.subject) { patch.subject = data.subject; changes.subject = { from: before.subject, to: data.subject }; }
    if (!Object.keys(changes).length) return conversationView(before);

    const [after] = await tx.db.update(conversations).set(patch).where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, id))).returning();
    await audit(tx, { action: 'conversation.updated', entityType: 'conversation', entityId: id, before: conversationView(before), after: conversationView(after) });
    await recordTimeline(tx, timeline);
    emit(tx, 'conversation.updated', { customerId: before.customerId, conversationId: id, data: { changes } });
    if (changes.status?.to === 'resolved') emit(tx, 'conversation.resolved', { customerId: before.customerId, conversationId: id, data: { channel: after.channel } });
    return conversationView(after);
  });
}
