import { and, eq, sql } from 'drizzle-orm';
import { contactReasons, conversations, reasonExamples } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { invalid, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { conversationView, loadConversation } from '../conversations/views.ts';
import { countReasonMoves } from './reason-counts.ts';
import { markRepeats, openingText } from './refresh-conversation-labels.ts';
import { maybeRetrain } from './retrain-reasons.ts';
import { SetReasonInput } from './understanding.schemas.ts';

/**
 * An agent confirms or corrects a conversation's contact reason in one click. The reason is
 * theirs from then on (the model no longer changes it), and the conversation's opening customer
 * messages become a training example for that reason (a later correction replaces it), so the
 * next model learns from it; enough new examples start a retrain.
 */
export async function setConversationReason({ ctx, id, input }: { ctx: Ctx; id: string; input: { reason: string } }) {
  authorize(ctx, 'conversations:write');
  const { reason } = parseInput(SetReasonInput, input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadConversation(tx, id, true);
    const [known] = await tx.db.select({ key: contactReasons.key }).from(contactReasons)
      .where(and(eq(contactReasons.workspaceId, ctx.workspaceId), eq(contactReasons.key, reason), eq(contactReasons.archived, false)));
    if (!known) throw invalid('reason', `'${reason}' is not one of this workspace's contact reasons`);
    const agentId = ctx.actor.type === 'agent' ? ctx.actor.id : null;
    const now = new Date();
    const text = await openingText(tx, before.id, before.subject);
    if (text.trim()) {
      await tx.db.insert(reasonExamples).values({ workspaceId: ctx.workspaceId, id: newId(), reason, text, source: 'agent', conversationId: id, agentId, createdAt: now })
        .onConflictDoUpdate({ target: [reasonExamples.workspaceId, reasonExamples.conversationId], targetWhere: sql`conversation_id is not null`,
          set: { reason, text, agentId, createdAt: now } });
    }
    const [after] = await tx.db.update(conversations).set({ reason, reasonSource: 'agent', reasonSetBy: agentId, reasonConfidence: 1, reasonEvidence: [], updatedAt: now })
      .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, id))).returning();
    const repeats = before.reason === reason ? new Map() : await markRepeats(tx, [id]);
    await countReasonMoves(tx, [{ startedAt: before.createdAt, serviceAreaId: before.serviceAreaId, from: before.reason, to: reason }]);
    await audit(tx, { action: before.reason === reason ? 'conversation.reason_confirmed' : 'conversation.reason_corrected', entityType: 'conversation', entityId: id,
      before: { reason: before.reason, source: before.reasonSource, confidence: before.reasonConfidence }, after: { reason, source: 'agent' } });
    emit(tx, 'conversation.reason_changed', { customerId: before.customerId, conversationId: id,
      data: { from: before.reason, to: reason, confidence: 1, source: 'agent', confirmed: before.reason === reason, serviceAreaId: before.serviceAreaId, repeatOf: repeats.get(id) ?? after.repeatOf } });
    await maybeRetrain(tx);
    return conversationView((await loadConversation(tx, id)));
  });
}
