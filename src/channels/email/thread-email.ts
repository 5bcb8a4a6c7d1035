import type { Ctx } from '../../platform/ctx.ts';
import { isUuid } from '../../platform/ids.ts';
import { findIdentity, normaliseIdentity } from '../../domains/customers/index.ts';
import {
  findConversationByExternalId, findConversationByMessageIds, findConversationByNumber, isConversationParticipant, listRecentConversations,
} from '../../domains/conversations/index.ts';
import type { ParsedEmail } from './parse-email.ts';
import { parseReplyToken, reachesMailbox, splitAddress } from './addresses.ts';
import { subjectKey, subjectToken } from './subject.ts';

/** How long a mail without reply headers joins the sender's conversation of the same subject, unless the channel says otherwise. */
export const DEFAULT_SUBJECT_WINDOW_HOURS = 72;

/** Where an inbound mail goes: a conversation it joins (and why), always with "else a new one". */
export type EmailThread = { conversationId?: string; participant?: boolean; via: 'references' | 'subject-token' | 'address-token' | 'subject' | 'new' };

/**
 * The conversation an inbound mail belongs to, by these rules in order:
 * 1. any Message-ID in In-Reply-To or References that Candor stored (inbound or sent), or one of
 *    Candor's own `<message-id@mailbox-domain>`: the thread, whoever replies (a colleague in Cc
 *    who replies to all joins it as a participant);
 * 2. the `[#1234]` token in the subject, and 3. the reply-address token (`support+c-1234@`) in
 *    the envelope recipients, To, Cc or Delivered-To: only when the sender is that
 *    conversation's customer or a participant — a token never lets a stranger in;
 * 4. the sender's own conversation with the same subject (normalised) active within the
 *    channel's window;
 * otherwise a new conversation (never simply the sender's latest open one: a new subject is a new matter).
 */
export async function threadOf(ctx: Ctx, mail: ParsedEmail, input: { sender: string; recipients: string[]; mailbox?: string; windowHours?: number; now?: Date }): Promise<EmailThread> {
  const byHeader = await findConversationByExternalId({ ctx, input: { channel: 'email', externalIds: mail.threadIds } });
  if (byHeader) return { conversationId: byHeader.conversationId, participant: true, via: 'references' };
  if (input.mailbox) {
    const domain = splitAddress(input.mailbox).domain;
    const ours = mail.threadIds.map((id) => /^<([^@>]+)@([^>]+)>$/.exec(id)).filter((m) => m && m[2].toLowerCase() === domain && isUuid(m[1])).map((m) => m![1].toLowerCase());
    const sent = ours.length ? await findConversationByMessageIds({ ctx, input: { messageIds: ours } }) : null;
    if (sent) return { conversationId: sent.conversationId, participant: true, via: 'references' };
  }

  let value: string;
  try { value = normaliseIdentity('email', input.sender); } catch { return { via: 'new' }; }
  const customer = await findIdentity(ctx, 'email', value);
  if (!customer) return { via: 'new' }; // a new sender has no conversation to join by token or subject
  const mayJoin = async (conv: { id: string } | null) => !!conv && isConversationParticipant({ ctx, input: { conversationId: conv.id, customerId: customer.customerId } });

  const n = subjectToken(mail.subject);
  const bySubjectToken = n ? await findConversationByNumber({ ctx, input: { number: n } }) : null;
  if (await mayJoin(bySubjectToken)) return { conversationId: bySubjectToken!.id, participant: true, via: 'subject-token' };

  for (const r of new Set(input.recipients)) {
    if (input.mailbox && !reachesMailbox(r, input.mailbox)) continue;
    const token = parseReplyToken(splitAddress(r).tag);
    const conv = token && await findConversationByNumber({ ctx, input: token });
    if (conv && await mayJoin(conv)) return { conversationId: conv.id, participant: true, via: 'address-token' };
  }

  const hours = input.windowHours ?? DEFAULT_SUBJECT_WINDOW_HOURS;
  const key = subjectKey(mail.subject);
  if (hours > 0 && key) {
    const since = new Date((input.now ?? new Date()).getTime() - hours * 3600_000);
    const same = (await listRecentConversations({ ctx, input: { customerId: customer.customerId, since } })).find((c) => subjectKey(c.subject) === key);
    if (same) return { conversationId: same.id, via: 'subject' };
  }
  return { via: 'new' };
}
