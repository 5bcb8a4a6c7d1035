import { normaliseSubject } from './subject.ts';

/** One earlier message of the conversation, quoted below a reply. */
export type QuotedMessage = { author: string; at: Date; text: string };

export type ReplyParts = { subject: string; text: string; html: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text as HTML paragraphs: blank lines part paragraphs, single line breaks stay. Everything escaped. */
export function paragraphs(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 1em 0">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
}

/** `Re: <subject> [#<number>]`, without piling up Re:/Fwd: prefixes or an older number tag. */
export function replySubject(subject: string | null, number: number): string {
  return `Re: ${normaliseSubject(subject) || 'Your conversation with us'} [#${number}]`;
}

const wrote = (q: QuotedMessage) => `On ${q.at.toUTCString()}, ${q.author} wrote:`;

/**
 * The body of an agent's reply by email: the reply as HTML paragraphs with the earlier messages
 * quoted below it (newest first, each in a blockquote), and the same as plain text with `>` quotes.
 */
export function composeReply(input: { bodyText: string; subject: string | null; number: number; history: QuotedMessage[] }): ReplyParts {
  const quotedHtml = input.history.map((q) =>
    `<p style="margin:1em 0 .3em 0;color:#555">${escapeHtml(wrote(q))}</p>\n` +
    `<blockquote type="cite" style="margin:0 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex;color:#444">\n${paragraphs(q.text)}\n</blockquote>`).join('\n');
  const html = [
    '<!doctype html>', '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5">',
    `<div class="candor-reply">\n${paragraphs(input.bodyText)}\n</div>`,
    quotedHtml ? `<div class="candor-history">\n${quotedHtml}\n</div>` : '',
    '</body></html>',
  ].filter(Boolean).join('\n');
  const quotedText = input.history.map((q) => `${wrote(q)}\n${q.text.trim().split(/\r?\n/).map((l) => `> ${l}`).join('\n')}`).join('\n\n');
  const text = input.bodyText.trim() + (quotedText ? `\n\n${quotedText}\n` : '\n');
  return { subject: replySubject(input.subject, input.number), text, html };
}
