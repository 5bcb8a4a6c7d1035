/**
 * HTML as plain text, for every channel that carries no markup (SMS, Telegram without parse_mode,
 * WhatsApp, Messenger, social replies, a voice callback note) and for inbound email without a text part.
 */
const named: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', euro: '€', copy: '©',
  reg: '®', trade: '™', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·',
};

const decode = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
  if (e[0] === '#') {
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  }
  return named[e.toLowerCase()] ?? m;
});

/** HTML to readable plain text: line breaks for blocks, link targets kept, tags dropped, entities decoded. */
export function htmlToPlainText(html: string): string {
  return decode(html
    .replace(/<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<a\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, href: string, inner: string) => {
      const label = inner.replace(/<[^>]+>/g, '').trim();
      return !label || label === href || href.startsWith('#') ? (label || href) : `${label} (${href})`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '• ')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote|ul|ol|table)\s*>/gi, '\n')
    .replace(/<[^>]+>/g, ''))
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const looksLikeHtml = /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/i;

/** The plain text a message goes out as: its text part (stripped if markup slipped in), else its HTML made plain. */
export function outboundText(m: { bodyText: string; bodyHtml: string | null }): string {
  const text = (m.bodyText ?? '').trim();
  if (text) return looksLikeHtml.test(text) ? htmlToPlainText(text) : text;
  return m.bodyHtml ? htmlToPlainText(m.bodyHtml) : '';
}
