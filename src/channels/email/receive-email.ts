import { createHash } from 'node:crypto';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';
import { receiveMessages, findConversationByExternalId, findConversationByNumber } from '../../domains/conversations/index.ts';
import { emailConfigOf } from './config.ts';
import { parseEmail, MalformedEmailError, type ParsedEmail } from './parse-email.ts';
import { automatedReason } from './automated-mail.ts';
import { sanitizeEmailHtml } from './sanitize-email-html.ts';
import { htmlToPlainText } from '../shared/plain-text.ts';
import { keepFiles, quarantineMime } from './keep-files.ts';
import { parseReplyToken, reachesMailbox, splitAddress } from './addresses.ts';

/** What became of one inbound email. Only `accepted` reached a conversation; the rest are in quarantine. */
export type EmailOutcome =
  | { status: 'accepted'; duplicate: boolean; messageId: string; conversationId: string }
  | { status: 'dropped'; reason: string; quarantineId: string }
  | { status: 'malformed'; reason: string; quarantineId: string };

const validAddress = (a: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a) && a.length <= 320;
const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/** The conversation a reply belongs to: its In-Reply-To / References, else the reply token of the address it was sent to. */
async function threadOf(ctx: Ctx, mail: ParsedEmail, recipients: string[], mailbox: string | undefined): Promise<string | undefined> {
  const byHeader = await findConversationByExternalId({ ctx, input: { channel: 'email', externalIds: mail.threadIds } });
  if (byHeader) return byHeader.conversationId;
  for (const r of recipients) {
    if (mailbox && !reachesMailbox(r, mailbox)) continue;
    const token = parseReplyToken(splitAddress(r).tag);
    const conv = token && await findConversationByNumber({ ctx, input: token });
    if (conv) return conv.id;
  }
  return undefined;
}

/** The message text: the text part, else text from the (sanitised) HTML, else the files' names; notes about files not kept last. */
function bodyTextOf(mail: ParsedEmail, safeHtml: string | undefined, fileNames: string[], notes: string[]): string {
  let text = mail.text.trim() || (safeHtml ? htmlToPlainText(safeHtml) : '');
  if (!text) text = fileNames.length ? `(attachments: ${fileNames.join(', ')})` : '(empty message)';
  return clip([text, ...notes].join('\n\n'), 100_000);
}

/**
 * The email channel's ingest: parse the raw MIME, drop machine-sent mail, thread the reply,
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
  const mailbox = emailConfigOf(channel)?.address;
  let mail: ParsedEmail;
  try { mail = await parseEmail(raw); } catch (err) {
    if (err instanceof MalformedEmailError) return keep('malformed', err.message);
    throw err;
  }
  if (!mail.from || !validAddress(mail.from.address)) return keep('malformed', 'no usable sender address (From)');
  const robot = automatedReason(mail, { envelopeFrom: opts.envelopeFrom, ownAddress: mailbox });
  if (robot) return keep('dropped', `auto-reply: ${robot}`);

  const externalId = clip(mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex')}@no-message-id.candor>`, 500);
  const seen = await findConversationByExternalId({ ctx, input: { channel: 'email', externalIds: [externalId] } });
  if (seen) return { status: 'accepted', duplicate: true, messageId: seen.messageId, conversationId: seen.conversationId };
  const conversationId = await threadOf(ctx, mail, opts.recipients ?? mail.recipients, mailbox);

  // With files, the attachment rows commit in the message's transaction; without, the message
  // goes through group commit with whatever else is arriving.
  const ingest = async (c: Ctx) => {
    const { attachments, notes, cidUrls } = await keepFiles(c, mail.files);
    let html = mail.rawHtml ? sanitizeEmailHtml(mail.rawHtml, cidUrls) : undefined;
    if (html && html.length > 500_000) html = sanitizeEmailHtml(html.slice(0, 500_000)).slice(0, 500_000);
    const [r] = await receiveMessages({ ctx: c, input: [{
      channel: 'email', channelId: channel.id, externalId, conversationId,
      from: { kind: 'email', value: mail.from!.address, name: mail.from!.name ? clip(mail.from!.name, 200) : undefined },
      subject: mail.subject ? clip(mail.subject, 500) : undefined,
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
