import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Ctx } from '../../platform/ctx.ts';
import { getAttachment, type ChannelRow } from '../../domains/channels/index.ts';
import { getCustomer } from '../../domains/customers/index.ts';
import { getConversation, listMessages, NotConfiguredError, PermanentDeliveryError, type MessageRow, type MessageView } from '../../domains/conversations/index.ts';
import { emailConfigOf, type EmailConfig } from './config.ts';
import { reachesMailbox, replyTokenAddress, splitAddress } from './addresses.ts';
import { isNoReply } from './automated-mail.ts';
import { composeReply, type QuotedMessage } from './compose-reply.ts';

/** How many earlier messages a reply quotes, and how many Message-IDs its References carries. */
const QUOTED = 5;
const REFERENCES = 20;

async function allMessages(ctx: Ctx, conversationId: string): Promise<MessageView[]> {
  const out: MessageView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMessages({ ctx, conversationId, input: { limit: 200, cursor } });
    out.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

function transportFor(cfg: EmailConfig, secrets: Record<string, string>) {
  return nodemailer.createTransport({
    host: cfg.smtpHost, port: cfg.smtpPort ?? (cfg.secure ? 465 : 587), secure: cfg.secure ?? false, requireTLS: cfg.requireTLS ?? false,
    auth: secrets.smtpUser ? { user: secrets.smtpUser, pass: secrets.smtpPass ?? '' } : undefined,
    tls: { rejectUnauthorized: cfg.tlsRejectUnauthorized !== false },
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000,
  });
}

/**
 * Sends an agent's reply as an email through the channel's SMTP relay: HTML with the reply and
 * the quoted history plus a plain-text part, `Re: <subject> [#<number>]`, a Reply-To carrying
 * the conversation's reply token, and In-Reply-To / References naming the thread so the
 * customer's mail client keeps it together. Returns the generated Message-ID as the external id
 * (replies to it thread back). A relay's 5xx answer fails the message at once; anything else retries.
 */
export async function sendEmail(ctx: Ctx, channel: ChannelRow, message: MessageRow): Promise<{ externalId: string }> {
  const cfg = emailConfigOf(channel);
  if (!cfg) throw new PermanentDeliveryError(`Email channel ${channel.name} has no valid config.address`);
  if (!cfg.smtpHost) throw new NotConfiguredError(`Email channel ${channel.name} has no SMTP relay (config.smtpHost)`);
  const conv = await getConversation({ ctx, id: message.conversationId });
  const customer = await getCustomer({ ctx, id: conv.customerId });
  const to = customer.email ?? customer.identities.find((i) => i.kind === 'email')?.value;
  if (!to) throw new PermanentDeliveryError('The customer has no email address');

  const earlier = (await allMessages(ctx, conv.id)).filter((m) => m.id !== message.id && m.direction !== 'note' && m.deliveryStatus !== 'failed'
    && new Date(m.createdAt) <= message.createdAt);
  const lastInbound = earlier.findLast((m) => m.direction === 'in' && m.channel === 'email' && m.externalId?.startsWith('<'));
  const references = earlier.filter((m) => m.channel === 'email' && m.externalId?.startsWith('<')).map((m) => m.externalId!).slice(-REFERENCES);
  const history: QuotedMessage[] = earlier.slice(-QUOTED).reverse().map((m) => ({
    author: m.direction === 'in' ? (customer.name ? `${customer.name} <${to}>` : to) : (cfg.fromName ?? cfg.address),
    at: new Date(m.createdAt), text: m.bodyText.slice(0, 5_000),
  }));
  // Reply to all: everyone the customer's latest mail went to or came from, but the customer and this mailbox.
  const last = earlier.findLast((m) => m.direction === 'in' && m.channel === 'email');
  const lastMeta = (last?.meta ?? {}) as { from?: string; to?: string[]; cc?: string[]; forwardedBy?: string; relay?: string };
  const cc = lastMeta.forwardedBy ? [] : [...new Set([lastMeta.from, ...(lastMeta.to ?? []), ...(lastMeta.cc ?? [])]
    .filter((x): x is string => !!x && x !== to.toLowerCase() && x !== lastMeta.relay && !isNoReply(x) && !reachesMailbox(x, cfg.address)))].slice(0, 20);
  const parts = composeReply({ bodyText: message.bodyText, subject: conv.subject, number: conv.number, history });
  const attachments = await Promise.all(message.attachments.map(async (a) => {
    const { attachment, body } = await getAttachment({ ctx, id: a.id });
    return { filename: attachment.filename, contentType: attachment.contentType, content: Readable.fromWeb(body as any) };
  }));

  const messageId = `<${message.id}@${splitAddress(cfg.address).domain}>`;
  const transport = transportFor(cfg, channel.secrets);
  try {
    await transport.sendMail({
      from: { name: cfg.fromName ?? '', address: cfg.address },
      replyTo: cfg.replyToken === false ? undefined : replyTokenAddress(cfg.address, conv.number),
      to: customer.name ? { name: customer.name, address: to } : to, cc: cc.length ? cc : undefined,
      subject: parts.subject, text: parts.text, html: parts.html, attachments,
      messageId, inReplyTo: lastInbound?.externalId ?? undefined, references: references.length ? references : undefined,
    });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    if (code && code >= 500) throw new PermanentDeliveryError(`Relay refused the message: ${(err as Error).message}`);
    throw err;
  } finally {
    transport.close();
  }
  return { externalId: messageId };
}
