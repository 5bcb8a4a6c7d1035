import type { Ctx } from '../../platform/ctx.ts';
import { withTransaction } from '../../platform/ctx.ts';
import { getCustomer } from '../../domains/customers/index.ts';
import { loadConversation, postMessage, updateConversation, type MessageRow } from '../../domains/conversations/index.ts';
import { newestIdentity } from '../shared/recipient.ts';
import { outboundText } from '../shared/plain-text.ts';

export const CALLBACK_TAG = 'callback-requested';

/**
 * A reply on the voice channel cannot be "sent": nobody is called. It becomes a callback task for an
 * agent, recorded with the verbs that exist today (there is no task entity yet): an internal note
 * that says plainly that no call was placed, whom to call and what to tell them, and the tag
 * `callback-requested` on the conversation so the inbox can list open callbacks. One transaction;
 * a retried job finds its note (same externalId) and adds nothing twice.
 */
export async function requestCallback(ctx: Ctx, message: MessageRow): Promise<{ externalId: string }> {
  return withTransaction(ctx, async (tx) => {
    const conv = await loadConversation(tx, message.conversationId, true);
    const customer = await getCustomer({ ctx: tx, id: message.customerId });
    const phone = newestIdentity(customer.identities, 'phone') ?? customer.phone;
    const who = [customer.name, phone].filter(Boolean).join(', ') || 'the customer (no phone number on record: find one first)';
    const note = await postMessage({
      ctx: tx, conversationId: conv.id,
      input: {
        direction: 'note', channel: 'voice', externalId: `callback-task:${message.id}`,
        bodyText: [
          `Callback requested — no call has been placed. An agent needs to call ${who}.`,
          'The reply below was not delivered to the customer; say it on the call:',
          '',
          outboundText(message) || '(no text)',
        ].join('\n'),
      },
    });
    if (!conv.tags.includes(CALLBACK_TAG)) {
      await updateConversation({ ctx: tx, id: conv.id, input: { tags: [...conv.tags, CALLBACK_TAG].slice(-20) } });
    }
    return { externalId: `callback:${note.id}` };
  });
}
