import sanitizeHtml from 'sanitize-html';

/**
 * The strict allow-list every message's HTML passes before it is stored (an email's, and any a
 * client hands the API): text structure, tables, plain links and images. No scripts, styles,
 * event handlers, forms, frames, `srcset`, `style` attributes or `url()` tricks; links open in a
 * new tab without a referrer. Images show only from the message's own attachments (cid: rewritten
 * to the authorised download route): a remote image (a tracking pixel, or a beacon that tells the
 * sender an agent read the mail, and from where) is replaced by a note naming it, never loaded.
 */
const allowedTags = [
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark', 'small', 'sub', 'sup',
  'blockquote', 'pre', 'code', 'q', 'cite', 'abbr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'colgroup', 'col', 'center',
];

/** The authorised download route of one of the message's own attachments (a uuid). */
const ATTACHMENT_SRC = /^\/api\/v1\/attachments\/[0-9a-f-]{36}$/i;

const base: sanitizeHtml.IOptions = {
  allowedTags,
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'scope'],
    col: ['span'], colgroup: ['span'], ol: ['start', 'type'],
    abbr: ['title'], q: ['cite'], blockquote: ['cite'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  // Images: only same-origin attachment paths survive (cid: is rewritten to them, see transformTags below).
  allowedSchemesByTag: { img: [] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  // Their text is code or chrome, not content: drop it with the tag.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'xmp', 'iframe', 'object', 'applet'],
  enforceHtmlBoundary: false,
};

/**
 * Sanitises an email's HTML before it is stored. `cid:` images that name one of the message's
 * attachments point at its authorised download URL; any other `cid:` image is dropped.
 */
export function sanitizeEmailHtml(html: string, cidUrls: Map<string, string> = new Map()): string {
  return sanitizeHtml(html, {
    ...base,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        const src = attribs.src?.trim() ?? '';
        if (/^https?:\/\//i.test(src)) {
          const alt = (attribs.alt ?? '').trim().slice(0, 200);
          return { tagName: 'span', attribs: {}, text: `[remote image not loaded${alt ? `: ${alt}` : ''}]` };
        }
        if (ATTACHMENT_SRC.test(src)) return { tagName, attribs };
        if (!/^cid:/i.test(src)) return { tagName, attribs: { ...attribs, src: '' } };
        const url = cidUrls.get(src.slice(4).replace(/^<|>$/g, '').toLowerCase());
        return { tagName, attribs: { ...attribs, src: url ?? '' } }; // no such attachment: the filter below drops it
      },
    },
    // A frame keeps its original tag; `name` is what transformTags made of it (a remote image's note is a span).
    exclusiveFilter: (frame) => frame.tag === 'img' && (frame as { name?: string }).name !== 'span' && !ATTACHMENT_SRC.test(frame.attribs.src ?? ''),
  });
}
