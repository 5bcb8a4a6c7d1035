import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/** A UUIDv7: time-ordered, so ids sort by creation and keyset pagination stays cheap. */
export function newId(at: number = Date.now()): string {
  if (at === lastMs) seq = (seq + 1) & 0xfff;
  else { lastMs = at; seq = randomBytes(2).readUInt16BE(0) & 0x7ff; }
  const b = randomBytes(16);
  b.writeUIntBE(at, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);
