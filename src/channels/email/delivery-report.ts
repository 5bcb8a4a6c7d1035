import type { ParsedEmail } from './parse-email.ts';

/** What a delivery-status notification (RFC 3464) says about one failed recipient of a message. */
export type DeliveryReport = {
  /** Message-IDs of the original message the report names (its returned headers, or its own In-Reply-To/References). */
  originalIds: string[];
  /** Recipients whose Action is `failed`, with their Status and Diagnostic-Code. */
  failed: { recipient: string; status: string | null; diagnostic: string | null }[];
};

/** Header fields of an RFC 822-style block: lower-cased name → value, continuation lines unfolded. */
function fieldsOf(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (m && !out.has(m[1].toLowerCase())) out.set(m[1].toLowerCase(), m[2].trim());
  }
  return out;
}
const typed = (v: string | undefined) => (v ? v.replace(/^[a-z0-9-]+\s*;\s*/i, '').trim() : null); // "rfc822; a@b" → "a@b"

/**
 * The delivery report a mail carries, or null when it is not one: `multipart/report;
 * report-type=delivery-status` or a `message/delivery-status` part (`message/global-delivery-status`
 * too, RFC 6533). Only recipients with `Action: failed` count; `delayed`, `delivered`, `relayed`
 * and `expanded` report nothing wrong.
 */
export function deliveryReport(mail: ParsedEmail): DeliveryReport | null {
  const status = mail.files.find((f) => /^message\/(global-)?delivery-status$/i.test(f.contentType));
  const isReport = mail.contentType === 'multipart/report' && /report-type\s*=\s*"?delivery-status/i.test(mail.header('content-type'));
  if (!status && !isReport) return null;
  const failed: DeliveryReport['failed'] = [];
  if (status) {
    // Per-message fields, then one block per recipient, separated by blank lines.
    const blocks = status.content.toString('utf8').replace(/\r\n?/g, '\n').split(/\n\s*\n/).slice(1);
    for (const b of blocks) {
      const f = fieldsOf(b);
      if ((f.get('action') ?? '').toLowerCase() !== 'failed') continue;
      const recipient = typed(f.get('final-recipient')) ?? typed(f.get('original-recipient'));
      if (recipient) failed.push({ recipient: recipient.toLowerCase(), status: f.get('status') ?? null, diagnostic: typed(f.get('diagnostic-code')) });
    }
  }
  const returned = mail.files.find((f) => /^(text\/rfc822-headers|message\/rfc822|message\/global|message\/global-headers)$/i.test(f.contentType));
  const ids = new Set<string>();
  if (returned) {
    const headers = returned.content.toString('utf8').split(/\r?\n\r?\n/)[0];
    for (const id of (fieldsOf(headers).get('message-id') ?? '').match(/<[^<>\s]+>/g) ?? []) ids.add(id);
  }
  for (const id of mail.threadIds) ids.add(id);
  return { originalIds: [...ids], failed };
}
