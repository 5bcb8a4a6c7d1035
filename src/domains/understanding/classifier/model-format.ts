import { gunzipSync, gzipSync } from 'node:zlib';
import { ModelFormatError } from './errors.ts';
import { MODEL_FORMAT_VERSION } from './train-classifier.ts';
import type { ReasonModel } from './types.ts';

/**
 * File layout: "CNDR" · u16 LE format version · gzip(body). The body is a u32 LE length and a JSON
 * header (everything but the arrays), then the arrays, each a u32 LE byte length and its bytes
 * (little-endian): vocab u32, idf f32, weights i8, scales f32, hiddenBias f32, outWeights f32, bias f32, embedHashes u32, embedVectors i8. gzip's CRC catches damage.
 */
const MAGIC = Buffer.from('CNDR', 'latin1');
const ARRAYS = ['vocab', 'idf', 'weights', 'scales', 'hiddenBias', 'outWeights', 'bias', 'embedHashes', 'embedVectors'] as const;
const KINDS = { vocab: Uint32Array, idf: Float32Array, weights: Int8Array, scales: Float32Array, hiddenBias: Float32Array, outWeights: Float32Array, bias: Float32Array, embedHashes: Uint32Array, embedVectors: Int8Array };

const corrupt = (why: string) => new ModelFormatError(`model file is corrupt (${why})`);

/** Compact bytes of a model; the same model gives the same bytes. */
export function serializeModel(model: ReasonModel): Buffer {
  const { vocab, idf, weights, scales, hiddenBias, outWeights, bias, embedHashes, embedVectors, ...header } = model;
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const parts: Buffer[] = [u32(head.length), head];
  for (const k of ARRAYS) {
    const a = model[k];
    parts.push(u32(a.byteLength), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  const version = Buffer.alloc(2);
  version.writeUInt16LE(model.version ?? MODEL_FORMAT_VERSION);
  return Buffer.concat([MAGIC, version, gzipSync(Buffer.concat(parts), { level: 9 })]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** Reads model bytes; throws ModelFormatError for damaged bytes or a format version this code does not read. */
export function loadModel(bytes: Buffer | Uint8Array): ReasonModel {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 6 || !buf.subarray(0, 4).equals(MAGIC)) throw corrupt('it does not start like a Candor reason model');
  const version = buf.readUInt16LE(4);
  if (version !== MODEL_FORMAT_VERSION) throw new ModelFormatError(`model format version ${version}, this Candor reads version ${MODEL_FORMAT_VERSION}; retrain the model with this Candor`);
  let body: Buffer;
  try { body = gunzipSync(buf.subarray(6)); } catch (err) { throw corrupt(`its compressed body does not unpack: ${(err as Error).message}`); }
  let at = 0;
  const take = (what: string) => {
    if (at + 4 > body.length) throw corrupt(`it ends before the ${what}`);
    const len = body.readUInt32LE(at);
    if (at + 4 + len > body.length) throw corrupt(`it ends inside the ${what}`);
    const chunk = body.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return chunk;
  };
  let header: Omit<ReasonModel, (typeof ARRAYS)[number]>;
  try { header = JSON.parse(take('header').toString('utf8')); } catch (err) {
    if (err instanceof ModelFormatError) throw err;
    throw corrupt('its header is not JSON');
  }
  const arrays = {} as Record<(typeof ARRAYS)[number], ArrayBufferView>;
  for (const k of ARRAYS) {
    const chunk = take(k), Kind = KINDS[k];
    if (chunk.length % Kind.BYTES_PER_ELEMENT) throw corrupt(`the ${k} array has a partial element`);
    const copy = new Uint8Array(chunk); // aligned, owned copy
    arrays[k] = new Kind(copy.buffer, 0, chunk.length / Kind.BYTES_PER_ELEMENT);
  }
  const model = { ...header, ...arrays } as ReasonModel;
  const K = model.labels?.length, d = model.vocab.length, width = d + (model.embedDim ?? 0);
  if (!Array.isArray(model.labels) || K < 2 || model.idf.length !== d || model.scales.length !== width || !(model.hidden > 0) || model.weights.length !== width * model.hidden
    || model.hiddenBias.length !== model.hidden || model.outWeights.length !== model.hidden * K
    || model.embedVectors.length !== model.embedHashes.length * (model.embedDim ?? 0) || model.bias.length !== K || !(model.temperature > 0) || !model.spec)
    throw corrupt('its parts do not fit together');
  return model;
}
