/** hash → feature index through an open-addressing table (a JS Map of 100k numbers costs several MB more). */
export class FeatureIndex {
  private readonly keys: Uint32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(readonly hashes: Uint32Array) {
    let size = 16;
    while (size < hashes.length * 2) size <<= 1;
    this.mask = size - 1;
    this.keys = new Uint32Array(size);
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < hashes.length; i++) {
      let s = Math.imul(hashes[i], 0x9e3779b1) >>> 0 & this.mask;
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.keys[s] = hashes[i];
      this.slots[s] = i;
    }
  }

  get(hash: number): number {
    let s = Math.imul(hash, 0x9e3779b1) >>> 0 & this.mask;
    for (;;) {
      const v = this.slots[s];
      if (v === -1) return -1;
      if (this.keys[s] === hash) return v;
      s = (s + 1) & this.mask;
    }
  }
}
