import type { FeatureSpec } from './types.ts';

/** A word of the input: its text as written (for evidence) and its normalised form (for features). */
export type Token = { raw: string; norm: string };

const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/** Lowercase, NFKC, one apostrophe, digit runs kept (a card number and an amount differ little). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.normalize('NFKC').matchAll(TOKEN)) {
    const raw = m[0];
    out.push({ raw, norm: raw.toLowerCase().replace(/’/g, "'") });
  }
  return out;
}

// FNV-1a over UTF-16 code units, seeded by the feature kind so a word and a char n-gram never share a hash.
const FNV_PRIME = 0x01000193;
function hashStr(seed: number, s: string, from = 0, to = s.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
const KIND_WORD = 0x1000, KIND_CHAR = 0x2000, KIND_VECTOR = 0x3000;

/** The hash of a unigram feature (its idf) and the key of a word vector. */
export const hashUnigram = (norm: string) => hashStr(KIND_WORD + 1, norm);
export const hashWord = (w: string) => hashStr(KIND_VECTOR, w);

/** Feature block of a hash is not recoverable from the hash, so extraction reports it. */
export const BLOCK_WORD = 0, BLOCK_CHAR = 1;

/**
 * Raw feature occurrences of a text: hash, block, and the token each came from (a word
 * n-gram of order > 1 is credited to its first token and the following ones via span).
 */
export type Occurrences = { hashes: number[]; blocks: number[]; token: number[]; span: number[]; tokens: Token[] };

export function extract(text: string, spec: FeatureSpec): Occurrences {
  const tokens = tokenize(text);
  const hashes: number[] = [], blocks: number[] = [], token: number[] = [], span: number[] = [];
  const norms = tokens.map((t) => t.norm);
  for (const n of spec.wordNgrams) {
    for (let i = 0; i + n <= norms.length; i++) {
      const g = n === 1 ? norms[i] : norms.slice(i, i + n).join(' ');
      hashes.push(hashStr(KIND_WORD + n, g)); blocks.push(BLOCK_WORD); token.push(i); span.push(n);
    }
  }
  if (spec.charMax > 0) {
    for (let t = 0; t < norms.length; t++) {
      const w = ` ${norms[t]} `;
      for (let n = spec.charMin; n <= spec.charMax; n++) {
        if (n > w.length) break;
        for (let i = 0; i + n <= w.length; i++) {
          hashes.push(hashStr(KIND_CHAR, w, i, i + n)); blocks.push(BLOCK_CHAR); token.push(t); span.push(1);
        }
      }
    }
  }
  return { hashes, blocks, token, span, tokens };
}

/** Distinct hashes of a text with their sublinear term frequency (1 + ln count) and block. */
export function termFrequencies(occ: Occurrences): Map<number, { tf: number; block: number }> {
  const m = new Map<number, { tf: number; block: number }>();
  for (let i = 0; i < occ.hashes.length; i++) {
    const e = m.get(occ.hashes[i]);
    if (e) e.tf++; else m.set(occ.hashes[i], { tf: 1, block: occ.blocks[i] });
  }
  for (const e of m.values()) e.tf = 1 + Math.log(e.tf);
  return m;
}
