import sanitizeHtml from 'sanitize-html';

/**
 * The strict allow-list every inbound email's HTML passes before it is stored: text structure,
 * tables, plain links and images. No scripts, styles, event handlers, forms, frames, `srcset`,
 * `style` attributes or `url()` tricks; links open in a new tab without a referrer; images load
 * only over http(s) or from the message's own attachments (cid: rewritten to the download route).
 */
const allowedTags = [
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark', 'small', 'sub', 'sup',
  'blockquote', 'pre', 'code', 'q', 'cite', 'abbr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'colgroup', 'col', 'center',
];

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
  // cid: images are rewritten to same-origin paths before this check (see transformTags below).
  allowedSchemesByTag: { img: ['http', 'https'] },
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
        if (!/^cid:/i.test(src)) return { tagName, attribs };
        const url = cidUrls.get(src.slice(4).replace(/^<|>$/g, '').toLowerCase());
        return { tagName, attribs: { ...attribs, src: url ?? '' } }; // no such attachment: the filter below drops it
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !/^(https?:\/\/|\/api\/v1\/attachments\/)/i.test(frame.attribs.src ?? ''),
  });
}
