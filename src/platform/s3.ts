import { createHash, createHmac } from 'node:crypto';
import { FileTooLargeError, type BlobStore } from './storage.ts';

/**
 * Attachments in an S3-compatible object store (AWS S3, MinIO, Ceph, R2, Scaleway…), spoken to
 * with plain HTTP and AWS Signature Version 4, path-style (`<endpoint>/<bucket>/<key>`), which
 * every S3-compatible server accepts. Keys are content-addressed like the file store's.
 */
export type S3Options = {
  endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string;
  /** Prepended to every key, e.g. `candor/`. */
  prefix?: string;
  maxFileBytes: number;
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding of one path segment, as SigV4 asks (S3 does not encode twice). */
const encodeSegment = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export type SignInput = {
  method: string; host: string; path: string; query?: string; headers: Record<string, string>;
  payloadSha256: string; amzDate: string; region: string; service: string; accessKeyId: string; secretAccessKey: string;
};

/**
 * The Authorization header of a request, per AWS Signature Version 4 (header-based). `headers`
 * are the ones to sign besides host, x-amz-date and x-amz-content-sha256, which are always signed.
 */
export function signV4(r: SignInput): string {
  const all: Record<string, string> = { host: r.host, 'x-amz-content-sha256': r.payloadSha256, 'x-amz-date': r.amzDate };
  for (const [k, v] of Object.entries(r.headers)) all[k.toLowerCase()] = v;
  const names = Object.keys(all).sort();
  const canonicalHeaders = names.map((n) => `${n}:${all[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [r.method, r.path, r.query ?? '', canonicalHeaders, signedHeaders, r.payloadSha256].join('\n');
  const day = r.amzDate.slice(0, 8);
  const scope = `${day}/${r.region}/${r.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', r.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${r.secretAccessKey}`, day), r.region), r.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${r.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

export const amzDate = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function s3Store(o: S3Options): BlobStore {
  const base = new URL(o.endpoint);
  const pathOf = (key: string) => `${base.pathname.replace(/\/$/, '')}/${encodeSegment(o.bucket)}/${`${o.prefix ?? ''}${key}`.split('/').map(encodeSegment).join('/')}`;

  async function call(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, extra: Record<string, string> = {}): Promise<Response> {
    const path = pathOf(key);
    const payloadSha256 = sha256(body ?? '');
    const date = amzDate();
    const authorization = signV4({ method, host: base.host, path, headers: extra, payloadSha256, amzDate: date, region: o.region, service: 's3', accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey });
    return fetch(new URL(path, base), {
      method, body: body ? new Uint8Array(body) : undefined, headers: { ...extra, 'x-amz-content-sha256': payloadSha256, 'x-amz-date': date, authorization },
    });
  }
  const fail = async (what: string, res: Response) => {
    const text = await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    return new Error(`S3 ${what} answered ${res.status}${code ? ` ${code}` : ''}`);
  };

  return {
    maxFileBytes: o.maxFileBytes,
    async put(workspaceId, content) {
      if (content.length > o.maxFileBytes) throw new FileTooLargeError(content.length, o.maxFileBytes);
      const digest = sha256(content);
      const key = `attachments/${workspaceId}/${digest}`;
      const res = await call('PUT', key, content, { 'content-type': 'application/octet-stream' });
      if (!res.ok) throw await fail(`PUT ${key}`, res);
      await res.arrayBuffer();
      return { key, sha256: digest, size: content.length };
    },
    async open(key) {
      const res = await call('GET', key);
      if (res.status === 404) throw Object.assign(await fail(`GET ${key}`, res), { code: 'ENOENT' });
      if (!res.ok || !res.body) throw await fail(`GET ${key}`, res);
      return res.body as ReadableStream<Uint8Array>;
    },
    async remove(key) {
      const res = await call('DELETE', key);
      if (!res.ok && res.status !== 404) throw await fail(`DELETE ${key}`, res);
      await res.arrayBuffer();
    },
  };
}

/** The S3 store the environment asks for (CANDOR_S3_BUCKET and friends), or null for files under the data dir. */
export function s3FromEnv(env: NodeJS.ProcessEnv, maxFileBytes: number): BlobStore | null {
  if (!env.CANDOR_S3_BUCKET) return null;
  const missing = ['CANDOR_S3_ENDPOINT', 'CANDOR_S3_ACCESS_KEY_ID', 'CANDOR_S3_SECRET_ACCESS_KEY'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`CANDOR_S3_BUCKET is set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not`);
  return s3Store({
    endpoint: env.CANDOR_S3_ENDPOINT!, bucket: env.CANDOR_S3_BUCKET, region: env.CANDOR_S3_REGION ?? 'us-east-1',
    accessKeyId: env.CANDOR_S3_ACCESS_KEY_ID!, secretAccessKey: env.CANDOR_S3_SECRET_ACCESS_KEY!, prefix: env.CANDOR_S3_PREFIX, maxFileBytes,
  });
}
