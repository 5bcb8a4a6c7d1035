/** The sanitiser lives in src/platform (every message's HTML passes it, whatever the channel). */
export { sanitizeEmailHtml } from '../../platform/sanitize-html.ts';
