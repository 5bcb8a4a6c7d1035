import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { withTransaction } from '../src/platform/ctx.ts';
import { configureStorage } from '../src/platform/storage.ts';
import { signV4, s3FromEnv } from '../src/platform/s3.ts';
import { saveAttachment } from '../src/domains/channels/index.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const KEY_ID = 'AKIDCANDORTEST';
const SECRET = 'candor/secret+key';

/**
 * A stand-in for an S3-compatible server: path-style buckets, objects in memory, and every
 * request's AWS Signature Version 4 checked the way S3 checks it (payload hash, date, signature
 * over the canonical request) before anything is stored: a bad one gets 403 SignatureDoesNotMatch.
 */
function startS3(bucket: string) {
  const objects = new Map<string, Buffer>();
  const seen: { method: string; path: string; signedHeaders: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
      const deny = (code: string, status = 403) => { res.writeHead(status, { 'content-type': 'application/xml' }).end(`<Error><Code>${code}</Code></Error>`); };
      if (!auth || auth[1] !== KEY_ID) return deny('InvalidAccessKeyId');
      const date = String(req.headers['x-amz-date']);
      if (Math.abs(Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`) - Date.now()) > 15 * 60_000) return deny('RequestTimeTooSkewed');
      if (req.headers['x-amz-content-sha256'] !== sha256(body)) return deny('XAmzContentSHA256Mismatch', 400);
      const signed = auth[4].split(';');
      const extra = Object.fromEntries(signed.filter((h) => !['host', 'x-amz-date', 'x-amz-content-sha256'].includes(h)).map((h) => [h, String(req.headers[h])]));
      const expected = signV4({ method: req.method!, host: String(req.headers.host), path: req.url!.split('?')[0], query: '', headers: extra,
        payloadSha256: sha256(body), amzDate: date, region: auth[3], service: 's3', accessKeyId: KEY_ID, secretAccessKey: SECRET });
      if (expected !== req.headers.authorization) return deny('SignatureDoesNotMatch');
      seen.push({ method: req.method!, path: req.url!, signedHeaders: auth[4] });
      const [, b, ...rest] = decodeURIComponent(req.url!).split('/');
      if (b !== bucket) return deny('NoSuchBucket', 404);
      const key = rest.join('/');
      if (req.method === 'PUT') { objects.set(key, body); res.writeHead(200, { etag: `"${sha256(body).slice(0, 32)}"` }).end(); return; }
      if (req.method === 'GET') { const o = objects.get(key); if (!o) return deny('NoSuchKey', 404); res.writeHead(200, { 'content-length': o.length }).end(o); return; }
      if (req.method === 'DELETE') { objects.delete(key); res.writeHead(204).end(); return; }
      deny('MethodNotAllowed', 405);
    });
  });
  return new Promise<{ url: string; objects: Map<string, Buffer>; seen: typeof seen; close(): Promise<void> }>((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${port}`, objects, seen, close: () => new Promise((r) => server.close(() => r())) });
  }));
}

// A 1×1 PNG: its content type must be sniffed from the bytes, not taken from the sender.
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e2e4b80000000049454e44ae426082', 'hex');

let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let s3: Awaited<ReturnType<typeof startS3>>;
const env = (over: Record<string, string> = {}) => ({ CANDOR_S3_BUCKET: 'candor-files', CANDOR_S3_ENDPOINT: s3.url, CANDOR_S3_REGION: 'eu-west-1',
  CANDOR_S3_ACCESS_KEY_ID: KEY_ID, CANDOR_S3_SECRET_ACCESS_KEY: SECRET, CANDOR_S3_PREFIX: 'prod/', ...over });

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  s3 = await startS3('candor-files');
});
afterAll(async () => { await s3?.close(); });

describe('AWS Signature Version 4', () => {
  it('signs the documented S3 example (GET /test.txt with a Range header) to the documented signature', () => {
    const authorization = signV4({
      method: 'GET', host: 'examplebucket.s3.amazonaws.com', path: '/test.txt', headers: { range: 'bytes=0-9' },
      payloadSha256: sha256(''), amzDate: '20130524T000000Z', region: 'us-east-1', service: 's3',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,'
      + 'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });
});

describe('attachments in an S3-compatible bucket', () => {
  it('stores an inbound file in the bucket and serves it only to its own workspace', async () => {
    configureStorage(app, s3FromEnv(env(), 1024 * 1024)!);
    const att = await withTransaction(a.system, (tx) => saveAttachment(tx, { filename: '../../evil/pixel.png', contentType: 'text/plain', content: png }));
    expect(att).toMatchObject({ filename: 'pixel.png', contentType: 'image/png', size: png.length });
    expect([...s3.objects.keys()]).toEqual([`prod/attachments/${a.ws.id}/${sha256(png)}`]);
    expect(s3.objects.get(`prod/attachments/${a.ws.id}/${sha256(png)}`)!.equals(png)).toBe(true);

    const res = await a.request(att.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect(s3.seen.map((r) => r.method)).toEqual(['PUT', 'GET']);

    expect((await b.request(att.url!)).status).toBe(404);
    expect(s3.seen).toHaveLength(2); // B's request never reached the bucket
  });

  it('keeps nothing when the bucket refuses the signature, and says why', async () => {
    configureStorage(app, s3FromEnv(env({ CANDOR_S3_SECRET_ACCESS_KEY: 'wrong' }), 1024 * 1024)!);
    const before = s3.objects.size;
    const err = await withTransaction(a.system, (tx) => saveAttachment(tx, { filename: 'x.txt', content: Buffer.from('not kept') })).catch((e) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/S3 PUT .* answered 403 SignatureDoesNotMatch/);
    expect(s3.objects.size).toBe(before);
    const [row] = await app.database.query<{ n: number }>("select count(*)::int as n from attachments where workspace_id = $1 and filename = 'x.txt'", [a.ws.id]);
    expect(Number(row.n)).toBe(0);
  });

  it('names the settings that are missing when a bucket is configured', () => {
    expect(() => s3FromEnv({ CANDOR_S3_BUCKET: 'b', CANDOR_S3_ENDPOINT: 'http://s3.local' }, 1)).toThrow(/CANDOR_S3_ACCESS_KEY_ID, CANDOR_S3_SECRET_ACCESS_KEY are not/);
    expect(s3FromEnv({}, 1)).toBeNull();
  });
});
