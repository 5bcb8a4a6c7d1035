import { jsonResponse, type WebhookCall } from '../adapter.ts';
import { methodNotAllowed, noEndpoint, unauthenticated } from '../shared/webhook-kit.ts';
import { verifyHmacSha256Header, CANDOR_SIGNATURE_HEADER } from '../shared/signatures.ts';
import { receiveEmail } from './receive-email.ts';
import { quarantineMime } from './keep-files.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from './smtp-listener.ts';

/**
 * `POST /hooks/{workspaceId}/{channelId}/mime`: a mail provider's inbound webhook carrying one raw
 * MIME message as its body (message/rfc822 or text/plain), signed with X-Candor-Signature
 * (`sha256=<hex HMAC-SHA256 of the body, keyed with secrets.signingKey>`). A missing or wrong
 * signature answers 401 and stores nothing; an unreadable message is kept in quarantine and
 * answered 400; accepted, duplicate and dropped (auto-reply) mail answers 200 after the commit,
 * so the provider does not retry.
 */
export async function mimeWebhook(call: WebhookCall): Promise<Response> {
  if (call.subpath !== '/mime') return noEndpoint(call, 'Email channels take POST …/mime');
  if (call.request.method !== 'POST') return methodNotAllowed(call, 'Use POST with the raw MIME message as the body');
  if (!verifyHmacSha256Header(call.channel.secrets.signingKey, call.request.headers.get(CANDOR_SIGNATURE_HEADER), call.rawBody)) {
    return unauthenticated(call, `Missing or invalid ${CANDOR_SIGNATURE_HEADER}`);
  }
  const requestId = call.ctx.requestId;
  if (call.rawBody.length > DEFAULT_MAX_MESSAGE_BYTES) return jsonResponse(413, { code: 'validation_failed', message: `body: over ${DEFAULT_MAX_MESSAGE_BYTES} bytes; not accepted`, requestId });
  // Kept by quarantineMime, not the shared `quarantined`: raw MIME may be 8-bit in any charset, kept intact as base64.
  if (!call.rawBody.length) {
    await quarantineMime(call.ctx, call.channel, call.rawBody, 'malformed: empty body');
    return jsonResponse(400, { code: 'validation_failed', message: 'body: empty; expected a raw MIME message', requestId });
  }
  const r = await receiveEmail(call.ctx, call.channel, call.rawBody);
  if (r.status === 'malformed') {
    return jsonResponse(400, { code: 'validation_failed', message: `body: ${r.reason}; kept in quarantine`, requestId, details: { quarantineId: r.quarantineId } });
  }
  return jsonResponse(200, r);
}
