import { safeEqual } from '../shared/signatures.ts';

/**
 * The subscription handshake Meta runs when a webhook URL is configured:
 * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` answered with the challenge as
 * plain text when the token matches the channel's `verifyToken` secret, else 403.
 */
export function verifySubscription(request: Request, verifyToken: string | undefined): Response {
  const q = new URL(request.url).searchParams;
  const token = q.get('hub.verify_token');
  const ok = q.get('hub.mode') === 'subscribe' && safeEqual(token, verifyToken);
  if (!ok) return new Response('Verification failed', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(q.get('hub.challenge') ?? '', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
