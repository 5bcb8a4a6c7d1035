/**
 * How many SMS segments a text costs, as the agent types it. Pure and dependency-free, so the web
 * app imports it as it is.
 *
 * GSM-7 (3GPP TS 23.038): the basic set costs one septet a character, the extension table
 * (^ { } \ [ ~ ] | € and form feed) two (an escape, then the character). One segment holds 160
 * septets; a longer text is split into segments of 153 (the rest is the concatenation header),
 * and an escape pair is never split across two. Any character outside both tables switches the
 * whole text to UCS-2: 70 UTF-16 units in one segment, 67 a segment when split, and a surrogate
 * pair (an emoji) is never split either.
 */
export type SmsSegments = {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** The capacity of each segment at this length: 160 or 153 (GSM-7), 70 or 67 (UCS-2). */
  charsPerSegment: number;
  /** Septets (GSM-7) or UTF-16 units (UCS-2) the text takes. */
  units: number;
};

const GSM_BASIC = new Set(Array.from(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
));
const GSM_EXTENSION = new Set(Array.from('\f^{}\\[~]|€'));

/** Greedy packing of per-character costs into segments of `size` units, never splitting a character. */
function pack(costs: number[], size: number): number {
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > size) { segments++; used = 0; }
    used += c;
  }
  return segments;
}

export function smsSegments(text: string): SmsSegments {
  const chars = Array.from(text);
  if (chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c))) {
    const costs = chars.map((c) => (GSM_EXTENSION.has(c) ? 2 : 1));
    const units = costs.reduce((a, b) => a + b, 0);
    if (units <= 160) return { encoding: 'GSM-7', segments: units ? 1 : 0, charsPerSegment: 160, units };
    return { encoding: 'GSM-7', segments: pack(costs, 153), charsPerSegment: 153, units };
  }
  const costs = chars.map((c) => c.length);
  const units = costs.reduce((a, b) => a + b, 0);
  if (units <= 70) return { encoding: 'UCS-2', segments: 1, charsPerSegment: 70, units };
  return { encoding: 'UCS-2', segments: pack(costs, 67), charsPerSegment: 67, units };
}
