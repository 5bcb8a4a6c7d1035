import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs every webhook POST (WhatsApp Cloud API, Messenger, Instagram) with
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the App Secret>`.
 * The check runs on the bytes as sent, before any parsing.
 */
export function validMetaSignature(rawBody: Buffer, header: string | null, appSecret: string | undefined): boolean {
  if (!header || !appSecret) return false;
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(m[1], 'hex'));
}

/**
 * The subscription handshake Meta runs when a webhook URL is configured:
 * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` answered with the challenge as
 * plain text when the token matches the channel's `verifyToken` secret, else 403.
 */
export function verifySubscription(request: Request, verifyToken: string | undefined): Response {
  const q = new URL(request.url).searchParams;
  const token = q.get('hub.verify_token');
  const ok = q.get('hub.mode') === 'subscribe' && !!verifyToken && token !== null && safeEqual(token, verifyToken);
  if (!ok) return new Response('Verification failed', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(q.get('hub.challenge') ?? '', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function safeEqual(a: string, b: string) {
  const x = Buffer.from(a); const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
