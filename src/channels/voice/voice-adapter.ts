import { jsonResponse, type ChannelAdapter, type WebhookCall } from '../adapter.ts';
import { quarantined, readJsonBody, ingest, unauthenticated, methodNotAllowed, noEndpoint } from '../shared/webhook-kit.ts';
import { readTwilioForm, emptyTwiml } from '../shared/twilio.ts';
import { verifyHmacSha256Header, CANDOR_SIGNATURE_HEADER } from '../shared/signatures.ts';
import { GenericCallRecord, callToMessage, fromGeneric, fromTwilio } from './call-record.ts';
import { requestCallback } from './callback-task.ts';

async function twilioTranscription(call: WebhookCall) {
  const form = readTwilioForm(call);
  if ('response' in form) return form.response;
  const record = fromTwilio(form.params, new URL(call.publicUrl).searchParams);
  if ('missing' in record) return quarantined(call, `not a Twilio transcription callback: ${record.missing} missing`);
  const r = await ingest(call, [callToMessage(call.channel.id, record)]);
  if (!r.ok) return r.response;
  return emptyTwiml();
}

async function genericRecord(call: WebhookCall) {
  if (!verifyHmacSha256Header(call.channel.secrets.signingKey, call.request.headers.get(CANDOR_SIGNATURE_HEADER), call.rawBody)) {
    return unauthenticated(call, `${CANDOR_SIGNATURE_HEADER} missing or invalid`);
  }
  if (call.request.method !== 'POST') return methodNotAllowed(call);
  const body = await readJsonBody(call, 'a call record', (json) => GenericCallRecord.safeParse(json));
  if ('response' in body) return body.response;
  const r = await ingest(call, [callToMessage(call.channel.id, fromGeneric(body.data))]);
  if (!r.ok) return r.response;
  const o = r.outcomes[0];
  return jsonResponse(200, { ok: true, duplicate: o.duplicate, messageId: o.message.id, conversationId: o.message.conversationId });
}

/**
 * Voice: finished calls (IVR path, duration, transcript) become inbound messages in the caller's
 * conversation; a reply becomes a callback task (see callback-task.ts). Channel settings —
 * secrets: { authToken (Twilio), signingKey (generic format) }.
 * Endpoints: POST /hooks/{ws}/{channel}        — generic JSON call record, X-Candor-Signature (README.md);
 *            POST /hooks/{ws}/{channel}/twilio — Twilio transcribeCallback, X-Twilio-Signature.
 */
export const voiceAdapter: ChannelAdapter = {
  kind: 'voice',
  async webhook(call) {
    if (call.subpath === '/twilio') return twilioTranscription(call);
    if (call.subpath === '/') return genericRecord(call);
    return noEndpoint(call);
  },
  send: (ctx, _channel, message) => requestCallback(ctx, message),
};
