import type { MessageRow } from '../../domains/conversations/index.ts';

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decode = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
  if (e[0] === '#') { const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10); return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : all; }
  return entities[e.toLowerCase()] ?? all;
});

/** HTML as readable plain text: block ends become line breaks, tags go, entities are decoded. */
export function htmlToPlain(html: string): string {
  return decode(html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, ''))
    .replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

const looksLikeHtml = /<\/?(p|br|div|span|b|i|u|strong|em|a|ul|ol|li|h[1-6]|blockquote|table|img)\b[^>]*>/i;

/**
 * What a plain-text channel (WhatsApp, Messenger) sends for a message: its text, with any HTML
 * an editor left in it stripped; the HTML body only when the text is empty.
 */
export function plainTextOf(message: Pick<MessageRow, 'bodyText' | 'bodyHtml'>): string {
  const text = message.bodyText?.trim() ? message.bodyText : htmlToPlain(message.bodyHtml ?? '');
  return (looksLikeHtml.test(text) ? htmlToPlain(text) : text).trim();
}
