import { simpleParser, type ParsedMail, type AddressObject } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { repairCharsets } from './charset.ts';

/** One file carried by an email, decoded. */
export type EmailFile = { filename: string | null; contentType: string; content: Buffer; contentId: string | null };

/** What Candor reads from one raw MIME message. HTML is still raw here: it is sanitised once the attachments are stored. */
export type MailAddress = { address: string; name?: string };
export type ParsedEmail = {
  from: MailAddress | null;
  /** The other headers that can name who wrote: Reply-To, Sender, Return-Path (first address of each, when it parses). */
  replyTo: MailAddress | null;
  sender: MailAddress | null;
  returnPath: MailAddress | null;
  to: string[];
  cc: string[];
  /** Every address in To, Cc, Delivered-To and X-Original-To, lower case (reply tokens are looked for here when no envelope is known). */
  recipients: string[];
  messageId: string | null;
  /** In-Reply-To first, then References newest first: the ids a reply names. */
  threadIds: string[];
  subject: string | null;
  text: string;
  rawHtml: string | null;
  files: EmailFile[];
  /** Lower-cased header name → its raw text value(s). */
  header(name: string): string;
  contentType: string;
};

/** A message that cannot be read as mail at all. */
export class MalformedEmailError extends Error {}

/** Message-IDs as `<…>`; control characters (a NUL cannot be stored or looked up in PostgreSQL) are dropped. */
const ids = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')).flatMap((s) => s.match(/<[^<>\s]+>/g) ?? (s.trim() ? [`<${s.trim().replace(/^<|>$/g, '')}>`] : []));

/** The first real address of a raw header value (`Name <a@b>`, `a@b`, `<a@b>`), or null. */
function firstAddress(raw: string): MailAddress | null {
  if (!raw.trim()) return null;
  try {
    const list = (addressparser(raw, { flatten: true }) as { address?: string; name?: string }[]).filter((a) => a.address && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.address));
    return list[0] ? { address: list[0].address!.toLowerCase(), name: list[0].name || undefined } : null;
  } catch { return null; }
}

const addresses = (v: AddressObject | AddressObject[] | undefined): { address: string; name?: string }[] =>
  (Array.isArray(v) ? v : v ? [v] : []).flatMap((o) => o.value).flatMap((a) => (a.group ? a.group : [a]))
    .filter((a) => a.address).map((a) => ({ address: a.address!.toLowerCase(), name: a.name || undefined }));

/**
 * Parses raw MIME with mailparser: charsets (ISO-8859-1, Windows-1252, ISO-2022-JP …) are decoded
 * to Unicode, encoded words in headers included; `references` becomes a list whatever its form.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(await repairCharsets(raw).catch(() => raw), { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true, keepDeliveryStatus: true } as object);
  } catch (err) {
    throw new MalformedEmailError(`MIME could not be parsed: ${(err as Error).message}`);
  }
  if (!mail.headers || mail.headers.size === 0) throw new MalformedEmailError('not a MIME message: no headers');
  const headerText = new Map<string, string>();
  for (const line of mail.headerLines ?? []) {
    const value = line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    headerText.set(line.key, headerText.has(line.key) ? `${headerText.get(line.key)}, ${value}` : value);
  }
  const from = addresses(mail.from).find((a) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.address)) ?? null;
  const extra = ['delivered-to', 'x-original-to'].flatMap((h) => (headerText.get(h) ?? '').split(',')).map((s) => s.trim().replace(/^<|>$/g, '').toLowerCase()).filter((s) => s.includes('@'));
  const ct = mail.headers.get('content-type') as { value?: string } | string | undefined;
  return {
    from,
    replyTo: addresses(mail.replyTo)[0] ?? firstAddress(headerText.get('reply-to') ?? ''),
    sender: firstAddress(headerText.get('sender') ?? ''),
    returnPath: firstAddress(headerText.get('return-path') ?? ''),
    to: addresses(mail.to).map((a) => a.address),
    cc: addresses(mail.cc).map((a) => a.address),
    recipients: [...new Set([...addresses(mail.to), ...addresses(mail.cc)].map((a) => a.address).concat(extra))],
    messageId: ids(mail.messageId)[0] ?? null,
    threadIds: [...new Set([...ids(mail.inReplyTo), ...ids(mail.references).reverse()])],
    subject: mail.subject?.trim() || null,
    text: typeof mail.text === 'string' ? mail.text : '',
    rawHtml: typeof mail.html === 'string' && mail.html.trim() ? mail.html : null,
    files: mail.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, content: a.content, contentId: a.contentId?.replace(/^<|>$/g, '').toLowerCase() ?? null })),
    header: (name) => headerText.get(name.toLowerCase()) ?? '',
    contentType: (typeof ct === 'string' ? ct : ct?.value ?? 'text/plain').toLowerCase(),
  };
}
