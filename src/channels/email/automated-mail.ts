import type { ParsedEmail } from './parse-email.ts';

const robotSenders = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

/**
 * Why this mail was sent by a machine rather than a person, or null. Such mail (auto-replies,
 * bounces and delivery reports, bulk and list mail, mail from the mailbox itself) must never
 * open a conversation or trigger a reply: that is how mail loops start (RFC 3834).
 * `envelopeFrom` is the SMTP MAIL FROM when known; an empty one (`<>`) is a bounce.
 */
export function automatedReason(mail: ParsedEmail, opts: { envelopeFrom?: string | null; ownAddress?: string } = {}): string | null {
  const autoSubmitted = mail.header('auto-submitted').split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  if (mail.contentType === 'multipart/report') return 'delivery or read report (multipart/report)';
  if (mail.files.some((f) => /^message\/(delivery-status|disposition-notification|global-delivery-status)$/i.test(f.contentType))) return 'delivery status notification';
  const precedence = mail.header('precedence').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    const v = mail.header(h).trim().toLowerCase();
    if (v && v !== 'no' && v !== 'false') return `${h}: ${v}`;
  }
  if (/^auto[- ]?reply\b/i.test(mail.header('x-mailer'))) return 'X-Mailer: auto-reply';
  if (opts.envelopeFrom === '') return 'bounce (empty envelope sender)';
  const sender = mail.from?.address ?? '';
  if (robotSenders.test(sender.split('@')[0] ?? '')) return `sender ${sender}`;
  if (opts.envelopeFrom && robotSenders.test(opts.envelopeFrom.split('@')[0])) return `envelope sender ${opts.envelopeFrom}`;
  if (opts.ownAddress && sender && sender.replace(/\+[^@]*@/, '@') === opts.ownAddress.toLowerCase()) return 'loop: sent from this mailbox';
  return null;
}
