import type { ParsedEmail } from './parse-email.ts';

const robotSenders = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;
/** Local parts of addresses nobody reads: `noreply@`, `no-reply@`, `do-not-reply@`, `donotreply@`, `noreply+x@`, `no_reply.billing@` … */
export const NO_REPLY = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|noresponse|no[-_.]?response)(?:[-_.+].*)?$/i;
export const isNoReply = (address: string) => NO_REPLY.test(address.split('@')[0] ?? '');

/**
 * Why this mail was sent by a machine rather than a person, or null. Such mail (auto-replies,
 * bounces and delivery reports, bulk and list mail, mail from the mailbox itself) must never
 * open a conversation or trigger a reply: that is how mail loops start (RFC 3834).
 * `envelopeFrom` is the SMTP MAIL FROM when known; an empty one (`<>`) is a bounce.
 */
export function automatedReason(mail: ParsedEmail, opts: { envelopeFrom?: string | null; ownAddress?: string; sender?: string } = {}): string | null {
  const autoSubmitted = mail.header('auto-submitted').split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  if (mail.contentType === 'multipart/report') return 'delivery or read report (multipart/report)';
  if (mail.files.some((f) => /^message\/(delivery-status|disposition-notification|global-delivery-status)$/i.test(f.contentType))) return 'delivery status notification';
  const precedence = mail.header('precedence').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  // Mailing lists (RFC 2919 List-Id; RFC 2369 List-Unsubscribe / List-Post with a list's Precedence is caught above).
  if (mail.header('list-id').trim()) return `mailing list (List-Id: ${mail.header('list-id').trim().slice(0, 100)})`;
  if (mail.header('x-campaign-id') || mail.header('x-mailchimp-campaign') || /^bulk|^list/i.test(mail.header('x-precedence'))) return 'bulk mail (campaign headers)';
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    const v = mail.header(h).trim().toLowerCase();
    if (v && v !== 'no' && v !== 'false') return `${h}: ${v}`;
  }
  if (/^auto[- ]?reply\b/i.test(mail.header('x-mailer'))) return 'X-Mailer: auto-reply';
  if (opts.envelopeFrom === '') return 'bounce (empty envelope sender)';
  const sender = opts.sender ?? mail.from?.address ?? '';
  if (robotSenders.test(sender.split('@')[0] ?? '')) return `sender ${sender}`;
  if (isNoReply(sender)) return `no-reply sender ${sender}`;
  if (opts.envelopeFrom && robotSenders.test(opts.envelopeFrom.split('@')[0])) return `envelope sender ${opts.envelopeFrom}`;
  if (opts.ownAddress && sender && sender.replace(/\+[^@]*@/, '@') === opts.ownAddress.toLowerCase()) return 'loop: sent from this mailbox';
  return null;
}
