import { jsonResponse, type ChannelAdapter, type WebhookCall } from '../adapter.ts';
import { quarantined, ingest, unauthenticated, methodNotAllowed, noEndpoint } from '../sms/webhook-kit.ts';
import { verifyTwilioSignature } from '../sms/twilio-signature.ts';
import { verifyCandorSignature, CANDOR_SIGNATURE_HEADER } from '../social/signature.ts';
import { GenericCallRecord, callToMessage, fromGeneric, fromTwilio } from './call-record.ts';
import { requestCallback } from './callback-task.ts';

/**
 * Voice: finished calls (IVR path, duration, transcript) become inbound messages in the caller's
 * conversation; a reply becomes a callback task (see callback-task.ts). Channel settings —
 * secrets: { authToken (Twilio), signingKey (generic format) }.
 * Endpoints: POST /hooks/{ws}/{channel}        — generic JSON call record, X-Candor-Signature (README.md);
 *            POST /hooks/{ws}/{channel}/twilio — Twilio transcribeCallback, X-Twilio-Signature.
 */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

async function twilioTranscription(call: WebhookCall) {
  const params = new URLSearchParams(call.rawBody.toString('utf8'));
  if (!verifyTwilioSignature(call.channel.secrets.authToken, call.request.headers.get('x-twilio-signature'), call.publicUrl, params)) {
    return unauthenticated(call, 'X-Twilio-Signature missing or invalid');
  }
  if (call.request.method !== 'POST') return methodNotAllowed(call);
  const record = fromTwilio(params, new URL(call.publicUrl).searchParams);
  if ('missing' in record) return quarantined(call, `not a Twilio transcription callback: ${record.missing} missing`);
  const r = await ingest(call, [callToMessage(call.channel.id, record)]);
  if (!r.ok) return r.response;
  return new Response(EMPTY_TWIML, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

async function genericRecord(call: WebhookCall) {
  if (!verifyCandorSignature(call.channel.secrets.signingKey, call.request.headers.get(CANDOR_SIGNATURE_HEADER), call.rawBody)) {
    return unauthenticated(call, `${CANDOR_SIGNATURE_HEADER} missing or invalid`);
  }
  if (call.request.method !== 'POST') return methodNotAllowed(call);
  let json: unknown;
  try { json = JSON.parse(call.rawBody.toString('utf8')); } catch { return quarantined(call, 'malformed JSON'); }
  const parsed = GenericCallRecord.safeParse(json);
  if (!parsed.success) {
    return quarantined(call, `not a call record: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  }
  const r = await ingest(call, [callToMessage(call.channel.id, fromGeneric(parsed.data))]);
  if (!r.ok) return r.response;
  const o = r.outcomes[0];
  return jsonResponse(200, { ok: true, duplicate: o.duplicate, messageId: o.message.id, conversationId: o.message.conversationId });
}

export const voiceAdapter: ChannelAdapter = {
  kind: 'voice',
  async webhook(call) {
    if (call.subpath === '/twilio') return twilioTranscription(call);
    if (call.subpath === '/') return genericRecord(call);
    return noEndpoint(call);
  },
  send: (ctx, _channel, message) => requestCallback(ctx, message),
};
