/**
 * Reply and forward prefixes mail clients put before a subject, in the languages they ship:
 * Re, Fwd, Fw (English), AW, WG (German), SV, VS (Nordic), TR (French), Antw (Dutch), RIF, R, I
 * (Italian), Odp, PD (Polish), RE/RV (Spanish), Enc (Portuguese), YNT, İLT (Turkish), ΑΠ, ΣΧΕΤ,
 * ΠΡΘ (Greek), НА, Ответ, Пересл (Russian), 回复, 回覆, 答复, 转发, 轉寄 (Chinese), 返信, 転送 (Japanese).
 * Each may carry a count (`Re[2]:`, `Re(3):`, `Re^2:`) and any number of them may pile up.
 */
const PREFIXES = [
  're', 'fwd', 'fw', 'aw', 'wg', 'sv', 'vs', 'tr', 'antw', 'doorst', 'rif', 'r', 'i', 'odp', 'pd', 'rv', 'enc', 'res', 'ynt', 'ilt', 'i̇lt',
  'απ', 'σχετ', 'πρθ', 'на', 'ответ', 'пересл', 'fs', 'vb', 'vl', 'továbbítás', 'válasz', 'odg', 'přeposlat',
];
const CJK = ['回复', '回覆', '答复', '答覆', '转发', '轉寄', '轉發', '返信', '転送', '회신', '전달'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const prefix = new RegExp(
  `^\\s*(?:(?:${PREFIXES.map(escape).join('|')})(?:\\s*[[(]\\d+[\\])]|\\^\\d+)?\\s*[:：]|(?:${CJK.join('|')})\\s*[:：]?)\\s*`, 'iu');
/** A mailing-list or ticket tag in brackets before the subject: `[Support]`, `[EXTERNAL]`, `[#1234]`. */
const leadingTag = /^\s*\[[^\]]{1,40}\]\s*/u;
/** Candor's conversation token, anywhere in the subject: `[#1234]`. */
const TOKEN = /\[#(\d{1,9})\]/;

/**
 * The subject a thread is known by: without any reply/forward prefixes (repeated, counted, in any
 * language, also after a bracketed tag such as `[EXTERNAL] RE: AW:`), without Candor's `[#n]`
 * token, whitespace collapsed. Used both to show a conversation's subject and to match a
 * follow-up to it. An empty result stays empty.
 */
export function normaliseSubject(subject: string | null | undefined): string {
  let s = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(TOKEN, ' ').replace(/\s+/g, ' ').trim();
    s = s.replace(prefix, '');
    // A bracketed tag before a prefix (`[EXTERNAL] Re: x`) goes; a tag that is the subject's own start stays.
    const tagged = leadingTag.exec(s);
    if (tagged && prefix.test(s.slice(tagged[0].length))) s = s.slice(tagged[0].length);
    s = s.trim();
  }
  return s;
}

/** The key two subjects match on: the normalised subject, case-folded. */
export const subjectKey = (subject: string | null | undefined) => normaliseSubject(subject).toLocaleLowerCase('und');

/** The conversation number of a `[#1234]` token in a subject, or null. */
export function subjectToken(subject: string | null | undefined): number | null {
  const m = TOKEN.exec(subject ?? '');
  return m ? Number(m[1]) : null;
}
