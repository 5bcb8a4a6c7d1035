import { createHash } from 'node:crypto';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';
import { receiveMessages, findConversationByExternalId, findConversationByMessageIds, updateDeliveryStatus } from '../../domains/conversations/index.ts';
import { listAgents } from '../../domains/workspaces/index.ts';
import { emailConfigOf } from './config.ts';
import { parseEmail, MalformedEmailError, type ParsedEmail } from './parse-email.ts';
import { automatedReason } from './automated-mail.ts';
import { sanitizeEmailHtml } from './sanitize-email-html.ts';
import { htmlToPlainText } from '../shared/plain-text.ts';
import { keepFiles, quarantineMime } from './keep-files.ts';
import { reachesMailbox, splitAddress } from './addresses.ts';
import { deliveryReport, type DeliveryReport } from './delivery-report.ts';
import { identifySender } from './identify-sender.ts';
import { forwardedOriginal } from './forwarded.ts';
import { threadOf } from './thread-email.ts';
import { normaliseSubject } from './subject.ts';

/** What became of one inbound email. Only `accepted` reached a conversation; the rest are in quarantine. */
export type EmailOutcome =
  | { status: 'accepted'; duplicate: boolean; messageId: string; conversationId: string }
  | { status: 'dropped'; reason: string; quarantineId: string }
  | { status: 'malformed'; reason: string; quarantineId: string };

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/**
 * Applies a delivery report to the message it names: when the report names a Message-ID Candor
 * sent and a recipient failed, that outbound message is marked failed with the recipient and
 * the reason (visible on the conversation). A report naming nothing we sent changes nothing.
 */
async function applyDeliveryReport(ctx: Ctx, report: DeliveryReport, mailbox: string | undefined): Promise<string> {
  if (!report.failed.length) return 'no failed recipient';
  const byExternal = await findConversationByExternalId({ ctx, input: { channel: 'email', externalIds: report.originalIds } });
  let messageId = byExternal?.messageId;
  if (!messageId && mailbox) {
    const domain = splitAddress(mailbox).domain;
    const ours = report.originalIds.map((id) => /^<([^@>]+)@([^>]+)>$/.exec(id)).filter((m) => m && m[2].toLowerCase() === domain).map((m) => m![1].toLowerCase());
    messageId = (await findConversationByMessageIds({ ctx, input: { messageIds: ours } }))?.messageId;
  }
  if (!messageId) return 'names no message we sent';
  const why = report.failed.map((f) => `delivery to ${f.recipient} failed${f.status ? ` (${f.status})` : ''}${f.diagnostic ? `: ${f.diagnostic}` : ''}`).join('; ');
  const r = await updateDeliveryStatus({ ctx, messageId, input: { status: 'failed', error: clip(`Bounced: ${why}`, 1000) } });
  return r.changed ? `marked message ${messageId} failed` : `message ${messageId} unchanged (${r.message.deliveryStatus})`;
}

/** The workspace's agents' addresses: a customer's mail one of them forwards in belongs to the customer. */
async function agentAddresses(ctx: Ctx): Promise<Set<string>> {
  return new Set((await listAgents({ ctx })).filter((a) => a.active).map((a) => a.email.toLowerCase()));
}

/** The message text: the text part, else text from the (sanitised) HTML, else the files' names; notes about files not kept last. */
function bodyTextOf(mail: ParsedEmail, safeHtml: string | undefined, fileNames: string[], notes: string[]): string {
  let text = mail.text.trim() || (safeHtml ? htmlToPlainText(safeHtml) : '');
  if (!text) text = fileNames.length ? `(attachments: ${fileNames.join(', ')})` : '(empty message)';
  return clip([text, ...notes].join('\n\n'), 100_000);
}

/**
 * The email channel's ingest: parse the raw MIME (text parts' charsets repaired), apply a
 * delivery report to the message it names, find the person it is from (relays, fallbacks,
 * a customer's mail forwarded in by an agent), drop machine-sent mail, thread it (thread-email.ts),
 * store its files, sanitise its HTML and hand it to receiveMessages, all committed in one
 * transaction before this returns. A redelivery (same Message-ID) changes nothing. Unreadable
 * mail and dropped auto-replies are kept in quarantine. `recipients` are the SMTP envelope's
 * (reply tokens are looked for there; without an envelope, in To/Cc/Delivered-To).
 */
export async function receiveEmail(ctx: Ctx, channel: ChannelRow, raw: Buffer, opts: { recipients?: string[]; envelopeFrom?: string | null } = {}): Promise<EmailOutcome> {
  const log = ctx.app.log.child({ channelId: channel.id, workspaceId: ctx.workspaceId });
  const keep = async (status: 'dropped' | 'malformed', reason: string): Promise<EmailOutcome> => {
    const quarantineId = await quarantineMime(ctx, channel, raw, reason);
    log.info({ status, reason, quarantineId }, 'inbound email kept in quarantine');
    return { status, reason, quarantineId };
  };
  const cfg = emailConfigOf(channel);
  const mailbox = cfg?.address;
  let mail: ParsedEmail;
  try { mail = await parseEmail(raw); } catch (err) {
    if (err instanceof MalformedEmailError) return keep('malformed', err.message);
    throw err;
  }
  const report = deliveryReport(mail);
  if (report) return keep('dropped', `delivery report: ${await applyDeliveryReport(ctx, report, mailbox)}`);
  const who = identifySender(mail, cfg, opts.envelopeFrom);
  if (!who) return keep('malformed', 'no usable sender address (From, Reply-To, Sender or Return-Path)');
  const robot = automatedReason(mail, { envelopeFrom: opts.envelopeFrom, ownAddress: mailbox, sender: who.address.address });
  if (robot) return keep('dropped', `auto-reply: ${robot}`);

  // A customer's mail forwarded in by one of our agents belongs to the customer it came from.
  let person = who.address;
  let forwardedBy: string | undefined;
  const agents = await agentAddresses(ctx);
  if (agents.has(person.address)) {
    const original = await forwardedOriginal(mail);
    if (original && !(mailbox && reachesMailbox(original.from.address, mailbox)) && !agents.has(original.from.address)) {
      forwardedBy = person.address;
      person = original.from;
    }
  }

  const externalId = clip(mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex')}@no-message-id.candor>`, 500);
  const seen = await findConversationByExternalId({ ctx, input: { channel: 'email', externalIds: [externalId] } });
  if (seen) return { status: 'accepted', duplicate: true, messageId: seen.messageId, conversationId: seen.conversationId };
  const thread = await threadOf(ctx, mail, {
    sender: person.address, recipients: [...(opts.recipients ?? []), ...mail.recipients], mailbox, windowHours: cfg?.subjectWindowHours,
  });
  const subject = normaliseSubject(mail.subject);
  const meta = {
    from: mail.from?.address, to: mail.to.slice(0, 50), cc: mail.cc.slice(0, 50), subject: mail.subject ? clip(mail.subject, 500) : undefined,
    ...(who.via !== 'from' ? { senderFrom: who.via } : {}), ...(who.relay ? { relay: who.relay } : {}), ...(forwardedBy ? { forwardedBy } : {}),
  };

  // With files, the attachment rows commit in the message's transaction; without, the message
  // goes through group commit with whatever else is arriving.
  const ingest = async (c: Ctx) => {
    const { attachments, notes, cidUrls } = await keepFiles(c, mail.files);
    let html = mail.rawHtml ? sanitizeEmailHtml(mail.rawHtml, cidUrls) : undefined;
    if (html && html.length > 500_000) html = sanitizeEmailHtml(html.slice(0, 500_000)).slice(0, 500_000);
    const [r] = await receiveMessages({ ctx: c, input: [{
      channel: 'email', channelId: channel.id, externalId, conversationId: thread.conversationId, participant: thread.participant, newConversation: true, meta,
      from: { kind: 'email', value: person.address, name: person.name ? clip(person.name, 200) : undefined },
      subject: subject ? clip(subject, 500) : undefined,
      bodyText: bodyTextOf(mail, html, attachments.map((a) => a.filename), notes), bodyHtml: html || undefined, attachments,
    }] });
    return { status: 'accepted' as const, duplicate: r.duplicate, messageId: r.message.id, conversationId: r.message.conversationId };
  };
  try {
    return mail.files.length ? await withTransaction(ctx, ingest) : await ingest(ctx);
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed') return keep('malformed', `not accepted: ${err.message}`);
    throw err;
  }
}
