import { randomBytes } from 'node:crypto';

// A process-wide counter fills the 32 bits after the timestamp, so ids made later in this process
// sort after earlier ones even when they carry the same (or an explicitly given) millisecond.
let counter = randomBytes(4).readUInt32BE(0) >>> 1;
let pool = randomBytes(4096);
let poolAt = 0;

/** A UUIDv7: time-ordered, so ids sort by creation and keyset pagination stays cheap. */
export function newId(at: number = Date.now()): string {
  const c = counter;
  counter = (counter + 1) >>> 0;
  if (poolAt + 16 > pool.length) { pool = randomBytes(4096); poolAt = 0; }
  const b = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  b.writeUIntBE(at, 0, 6);
  b[6] = 0x70 | ((c >>> 28) & 0x0f);
  b[7] = (c >>> 20) & 0xff;
  b[8] = 0x80 | ((c >>> 14) & 0x3f);
  b[9] = (c >>> 6) & 0xff;
  b[10] = ((c & 0x3f) << 2) | (b[10] & 0x03);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);
