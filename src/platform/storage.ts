import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile, rm } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { loadConfig } from './config.ts';
import type { Platform } from './platform.ts';
import { s3FromEnv } from './s3.ts';

/** 25 MB: the default largest file Candor keeps. */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

export type StorageOptions = {
  /** The data dir; files live under `<root>/attachments/<workspaceId>/<sha256>`. */
  root: string;
  /** Largest file kept, in bytes. */
  maxFileBytes: number;
};

/** A file put in the store: content-addressed, so the same bytes twice are stored once. */
export type StoredBlob = { key: string; sha256: string; size: number };

/** A file over the configured size limit; callers decide whether that rejects the whole item. */
export class FileTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`File of ${size} bytes is over the ${limit}-byte limit`);
  }
}

/**
 * Where attachment bytes live: on the local disk under the data dir (fileStore), or in an
 * S3-compatible bucket (s3.ts).
 */
export interface BlobStore {
  readonly maxFileBytes: number;
  put(workspaceId: string, content: Buffer): Promise<StoredBlob>;
  open(key: string): Promise<ReadableStream<Uint8Array>>;
  remove(key: string): Promise<void>;
}

/** A BlobStore on the local filesystem. Writes go to a temporary file first, then rename: a crash leaves no half file. */
export function fileStore(opts: StorageOptions): BlobStore {
  const pathOf = (key: string) => {
    const p = normalize(join(opts.root, key));
    if (!p.startsWith(normalize(opts.root) + sep)) throw new Error(`Storage key escapes the store: ${key}`);
    return p;
  };
  return {
    maxFileBytes: opts.maxFileBytes,
    async put(workspaceId, content) {
      if (content.length > opts.maxFileBytes) throw new FileTooLargeError(content.length, opts.maxFileBytes);
      const sha256 = createHash('sha256').update(content).digest('hex');
      const key = `attachments/${workspaceId}/${sha256}`;
      const path = pathOf(key);
      const exists = await stat(path).then((s) => s.size === content.length, () => false);
      if (!exists) {
        await mkdir(dirname(path), { recursive: true });
        const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(tmp, content, { flush: true });
        await rename(tmp, path);
      }
      return { key, sha256, size: content.length };
    },
    async open(key) {
      const path = pathOf(key);
      await stat(path); // ENOENT surfaces here, not mid-response
      return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    },
    async remove(key) { await rm(pathOf(key), { force: true }); },
  };
}

const stores = new WeakMap<Platform, BlobStore>();

/** Sets the store a platform uses (tests point it at a temporary dir; startup may pick S3). */
export function configureStorage(app: Platform, store: BlobStore | StorageOptions): BlobStore {
  const s = 'put' in store ? store : fileStore(store);
  stores.set(app, s);
  return s;
}

/**
 * The platform's store: the one configured, else an S3-compatible bucket when CANDOR_S3_BUCKET is
 * set (s3.ts), else files under CANDOR_DATA_DIR; CANDOR_ATTACHMENT_MAX_BYTES (default 25 MB) is
 * the size limit of either.
 */
export function storageFor(app: Platform): BlobStore {
  let s = stores.get(app);
  if (!s) {
    const max = Number(process.env.CANDOR_ATTACHMENT_MAX_BYTES ?? DEFAULT_MAX_FILE_BYTES);
    const maxFileBytes = Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX_FILE_BYTES;
    s = configureStorage(app, s3FromEnv(process.env, maxFileBytes) ?? { root: loadConfig().dataDir, maxFileBytes });
  }
  return s;
}

/**
 * The content type a file really has: sniffed from its first bytes, else the one declared
 * (without parameters), else application/octet-stream.
 */
export async function sniffContentType(content: Buffer, declared?: string | null): Promise<string> {
  const sniffed = await fileTypeFromBuffer(content).catch(() => undefined);
  if (sniffed) return sniffed.mime;
  const d = declared?.split(';')[0].trim().toLowerCase();
  return d && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(d) ? d : 'application/octet-stream';
}
