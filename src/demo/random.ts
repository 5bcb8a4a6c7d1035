/**
 * A seeded pseudo-random generator for the demo tenant: sfc32 (128-bit state, fast, good enough
 * for test data), seeded through a string hash so independent streams can be forked by label.
 * The demo never calls Math.random: the same seed gives the same data, ids included.
 */

/** cyrb128: four 32-bit words from a string, to seed sfc32. */
function hash128(s: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4; h2 ^= h1; h3 ^= h1; h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const uuidBytes = new Uint8Array(16);
// A flat string straight from bytes: concatenating 36 characters would build a rope of small strings.
const uuidChars = Buffer.alloc(36);

export class Rng {
  /** sfc32 state in a typed array: plain number fields would box a heap number on every draw. */
  private s: Int32Array;

  constructor(readonly seed: string) {
    this.s = Int32Array.from(hash128(seed));
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** An independent stream: changing how much one part of the generator draws leaves the others alone. */
  fork(label: string | number): Rng { return new Rng(`${this.seed}/${label}`); }

  u32(): number {
    const s = this.s;
    const a = s[0], b = s[1], c = s[2], d = s[3];
    const t = (((a + b) | 0) + d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    const rc = (c << 21) | (c >>> 11);
    s[3] = (d + 1) | 0;
    s[2] = (rc + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  float(): number { return this.u32() / 4294967296; }
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number { return min + Math.floor(this.float() * (max - min + 1)); }
  between(min: number, max: number): number { return min + this.float() * (max - min); }
  chance(p: number): boolean { return this.float() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.float() * items.length)]; }

  /** Picks by weight: [[item, weight], …]. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.float() * total;
    for (const [item, w] of pairs) { r -= w; if (r < 0) return item; }
    return pairs[pairs.length - 1][0];
  }

  /** Roughly normal (sum of three uniforms), mean 0, sd ≈ 1. */
  normal(): number { return (this.float() + this.float() + this.float() - 1.5) * 2; }
  /** A skewed positive factor around 1: most values 0.5–1.6, a few larger. */
  lognormal(sigma = 0.35): number { return Math.exp(this.normal() * sigma); }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) { const j = Math.floor(this.float() * (i + 1)); [items[i], items[j]] = [items[j], items[i]]; }
    return items;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += hex(this.u32(), 8);
    return s.slice(0, n);
  }

  /** A UUIDv7 for the given millisecond, its random bits from this stream. */
  uuidAt(ms: number): string {
    const hi = Math.floor(ms / 65536);
    const r1 = this.u32(), r2 = this.u32(), r3 = this.u32();
    const b = uuidBytes;
    b[0] = hi >>> 24; b[1] = hi >>> 16; b[2] = hi >>> 8; b[3] = hi; b[4] = ms >>> 8; b[5] = ms;
    b[6] = 0x70 | ((r1 >>> 8) & 0x0f); b[7] = r1; b[8] = 0x80 | ((r1 >>> 16) & 0x3f); b[9] = r1 >>> 24;
    b[10] = r2 >>> 24; b[11] = r2 >>> 16; b[12] = r2 >>> 8; b[13] = r2; b[14] = r3 >>> 8; b[15] = r3;
    let o = 0;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) uuidChars[o++] = 45;
      uuidChars[o++] = HEX_CODES[b[i] >>> 4];
      uuidChars[o++] = HEX_CODES[b[i] & 15];
    }
    return uuidChars.toString('latin1', 0, 36);
  }
}
