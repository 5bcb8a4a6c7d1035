import { createHmac, timingSafeEqual } from 'node:crypto';
import { jsonResponse, type WebhookCall } from '../adapter.ts';
import { receiveEmail } from './receive-email.ts';
import { quarantineMime } from './keep-files.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './smtp-listener.ts';

/** The header a mail provider signs the raw body with: `sha256=<hex HMAC-SHA256 of the body, keyed with secrets.signingKey>`. */
export const SIGNATURE_HEADER = 'x-candor-signature';

/** Signs a raw body the way the webhook expects (for providers' relays, and tests). */
export const signMime = (body: Buffer | string, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

function signatureValid(call: WebhookCall): boolean {
  const key = call.channel.secrets.signingKey;
  const given = call.request.headers.get(SIGNATURE_HEADER)?.trim() ?? '';
  if (!key || !given.startsWith('sha256=')) return false;
  const expected = Buffer.from(signMime(call.rawBody, key));
  const actual = Buffer.from(given.toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * `POST /hooks/{workspaceId}/{channelId}/mime`: a mail provider's inbound webhook carrying one raw
 * MIME message as its body (message/rfc822 or text/plain). A missing or wrong signature answers
 * 401 and stores nothing; an unreadable message is kept in quarantine and answered 400;
 * accepted, duplicate and dropped (auto-reply) mail answers 200 after the commit, so the
 * provider does not retry.
 */
export async function mimeWebhook(call: WebhookCall): Promise<Response> {
  if (call.subpath !== '/mime') return jsonResponse(404, { code: 'not_found', message: 'Email channels take POST …/mime' });
  if (call.request.method !== 'POST') return jsonResponse(405, { code: 'validation_failed', message: 'Use POST with the raw MIME message as the body' });
  if (!signatureValid(call)) return jsonResponse(401, { code: 'unauthenticated', message: `Missing or invalid ${SIGNATURE_HEADER}` });
  if (call.rawBody.length > DEFAULT_MAX_MESSAGE_BYTES) return jsonResponse(413, { code: 'validation_failed', message: `body: over ${DEFAULT_MAX_MESSAGE_BYTES} bytes; not accepted` });
  if (!call.rawBody.length) {
    await quarantineMime(call.ctx, call.channel, call.rawBody, 'malformed: empty body');
    return jsonResponse(400, { code: 'validation_failed', message: 'body: empty; expected a raw MIME message' });
  }
  const r = await receiveEmail(call.ctx, call.channel, call.rawBody);
  if (r.status === 'malformed') {
    return jsonResponse(400, { code: 'validation_failed', message: `body: ${r.reason}; kept in quarantine`, details: { quarantineId: r.quarantineId } });
  }
  return jsonResponse(200, r);
}
