import { type ChannelAdapter, type WebhookCall } from '../adapter.ts';
import { getCustomer } from '../../domains/customers/index.ts';
import { PermanentDeliveryError, updateDeliveryStatus, updateDeliveryStatusByExternalId } from '../../domains/conversations/index.ts';
import { AppError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { loadConfig } from '../../platform/config.ts';
import { quarantined, ingest, noEndpoint } from '../shared/webhook-kit.ts';
import { newestIdentity } from '../shared/recipient.ts';
import { readTwilioForm, emptyTwiml } from '../shared/twilio.ts';
import { deliveryStatusOf, twilioFailureReason } from './twilio-status.ts';
import { callProvider } from '../shared/provider-http.ts';
import { outboundText } from '../shared/plain-text.ts';

async function inbound(call: WebhookCall, p: URLSearchParams) {
  const sid = p.get('MessageSid') ?? p.get('SmsSid');
  const from = p.get('From');
  if (!sid || !from) return quarantined(call, `not a Twilio message: ${!sid ? 'MessageSid' : 'From'} missing`);
  const media: string[] = [];
  const count = Math.min(Number(p.get('NumMedia') ?? 0) || 0, 10);
  for (let i = 0; i < count; i++) {
    const url = p.get(`MediaUrl${i}`);
    if (url) media.push(`[${p.get(`MediaContentType${i}`) ?? 'attachment'}] ${url}`);
  }
  const text = [p.get('Body') ?? '', ...media].filter((s) => s.trim()).join('\n') || '(empty message)';
  const r = await ingest(call, [{
    channel: 'sms', channelId: call.channel.id, from: { kind: 'phone', value: from }, externalId: sid, bodyText: text,
  }]);
  return r.ok ? emptyTwiml() : r.response;
}

async function status(call: WebhookCall, p: URLSearchParams) {
  const sid = p.get('MessageSid') ?? p.get('SmsSid');
  const twilioStatus = p.get('MessageStatus') ?? p.get('SmsStatus');
  if (!sid || !twilioStatus) return quarantined(call, `not a Twilio status callback: ${!sid ? 'MessageSid' : 'MessageStatus'} missing`);
  const state = deliveryStatusOf(twilioStatus);
  if (!state) return emptyTwiml();
  const error = state === 'failed' ? twilioFailureReason(twilioStatus, p.get('ErrorCode'), p.get('ErrorMessage')) : undefined;
  // The callback URL names our message (?m=…, inside Twilio's signature), so a callback that beats
  // the send job's own "sent" still finds its message; callbacks for older sends go by MessageSid.
  const ours = new URL(call.publicUrl).searchParams.get('m');
  if (ours && isUuid(ours)) {
    try {
      await updateDeliveryStatus({ ctx: call.ctx, messageId: ours, input: { status: state, error, externalId: sid } });
      return emptyTwiml();
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
    }
  }
  await updateDeliveryStatusByExternalId({ ctx: call.ctx, input: { channel: 'sms', externalId: sid, status: state, error } });
  return emptyTwiml();
}

/** Where Twilio reports this message's delivery: the channel's /status endpoint, naming our message. */
function statusCallbackFor(channel: { workspaceId: string; id: string; config: Record<string, unknown> }, messageId: string): string | undefined {
  const explicit = channel.config.statusCallbackUrl as string | undefined;
  const publicUrl = loadConfig().publicUrl;
  const base = explicit ?? (publicUrl ? `${publicUrl.replace(/\/+$/, '')}/hooks/${channel.workspaceId}/${channel.id}/status` : undefined);
  if (!base) return undefined;
  return `${base}${base.includes('?') ? '&' : '?'}m=${messageId}`;
}

/**
 * SMS through Twilio Programmable Messaging. Channel settings — config: { accountSid, fromNumber (E.164)
 * or messagingServiceSid, apiBaseUrl? (default https://api.twilio.com), statusCallbackUrl? };
 * secrets: { authToken }.
 * Endpoints: POST /hooks/{ws}/{channel} — the number's "A message comes in" webhook;
 *            POST /hooks/{ws}/{channel}/status — delivery status callbacks (set on every send).
 * Both are checked with X-Twilio-Signature over the URL Twilio called (CANDOR_PUBLIC_URL behind a proxy).
 */
export const smsAdapter: ChannelAdapter = {
  kind: 'sms',

  async webhook(call) {
    const form = readTwilioForm(call);
    if ('response' in form) return form.response;
    if (call.subpath === '/') return inbound(call, form.params);
    if (call.subpath === '/status') return status(call, form.params);
    return noEndpoint(call);
  },

  async send(ctx, channel, message) {
    const accountSid = channel.config.accountSid as string | undefined;
    const authToken = channel.secrets.authToken;
    if (!accountSid || !authToken) throw new PermanentDeliveryError(`SMS channel ${channel.name} needs config.accountSid and secrets.authToken`);
    const fromNumber = channel.config.fromNumber as string | undefined;
    const serviceSid = channel.config.messagingServiceSid as string | undefined;
    if (!fromNumber && !serviceSid) throw new PermanentDeliveryError(`SMS channel ${channel.name} needs config.fromNumber or config.messagingServiceSid`);
    const customer = await getCustomer({ ctx, id: message.customerId });
    const to = newestIdentity(customer.identities, 'phone') ?? customer.phone;
    if (!to) throw new PermanentDeliveryError('The customer has no phone number to text');
    const text = outboundText(message);
    if (!text) throw new PermanentDeliveryError('Nothing to send: the reply has no text');

    const form = new URLSearchParams({ To: to });
    if (serviceSid) form.set('MessagingServiceSid', serviceSid); else form.set('From', fromNumber!);
    form.set('Body', text);
    const callback = statusCallbackFor(channel, message.id);
    if (callback) form.set('StatusCallback', callback);
    const base = String(channel.config.apiBaseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const { body } = await callProvider('Twilio', `${base}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded', accept: 'application/json',
      },
      body: form.toString(),
    }, { reasonOf: (b) => (b?.message ? `${b.message}${b.code ? ` (Twilio error ${b.code})` : ''}` : undefined) });
    if (typeof body?.sid !== 'string') throw new Error('Twilio answered without a message sid');
    return { externalId: body.sid };
  },
};
