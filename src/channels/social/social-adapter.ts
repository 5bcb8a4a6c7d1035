import { jsonResponse, type ChannelAdapter } from '../adapter.ts';
import { getCustomer } from '../../domains/customers/index.ts';
import { PermanentDeliveryError, lastInboundMessage } from '../../domains/conversations/index.ts';
import { readJsonBody, ingest, unauthenticated, methodNotAllowed, noEndpoint } from '../shared/webhook-kit.ts';
import { newestIdentity } from '../shared/recipient.ts';
import { callProvider } from '../shared/provider-http.ts';
import { outboundText } from '../shared/plain-text.ts';
import { signHmacSha256, verifyHmacSha256Header, CANDOR_SIGNATURE_HEADER } from '../shared/signatures.ts';
import { parseSocialPayload, handleOf, parseSocialExternalId, socialToMessage } from './social-item.ts';

/**
 * Social networks through a connector (docs/channels/social.md): mentions and direct messages arrive
 * as signed JSON; replies go back through the same connector. Channel settings — config:
 * { replyUrl, network? (default network for a reply that answers nothing), ownHandles? (our accounts:
 * their posts are not customer messages) }; secrets: { signingKey }.
 */
export const socialAdapter: ChannelAdapter = {
  kind: 'social',

  async webhook(call) {
    const { channel, request, rawBody } = call;
    if (call.subpath !== '/') return noEndpoint(call, "Social channels take POST on the channel's URL itself");
    if (!verifyHmacSha256Header(channel.secrets.signingKey, request.headers.get(CANDOR_SIGNATURE_HEADER), rawBody)) {
      return unauthenticated(call, `${CANDOR_SIGNATURE_HEADER} missing or invalid`);
    }
    if (request.method !== 'POST') return methodNotAllowed(call);
    const body = await readJsonBody(call, 'a social item', parseSocialPayload);
    if ('response' in body) return body.response;
    const own = new Set(((channel.config.ownHandles as string[] | undefined) ?? []).map((h) => handleOf(String(h)).toLowerCase()));
    const items = body.data.filter((i) => !own.has(handleOf(i.author.handle).toLowerCase()));
    if (!items.length) return jsonResponse(200, { accepted: 0, duplicates: 0, ignored: 'posts by our own accounts' });
    const r = await ingest(call, items.map((i) => socialToMessage(channel.id, i)));
    if (!r.ok) return r.response;
    return jsonResponse(200, { accepted: r.accepted, duplicates: r.duplicates });
  },

  async send(ctx, channel, message) {
    const replyUrl = channel.config.replyUrl as string | undefined;
    const key = channel.secrets.signingKey;
    if (!replyUrl || !key) throw new PermanentDeliveryError(`Social channel ${channel.name} needs config.replyUrl and secrets.signingKey`);
    const last = await lastInboundMessage({ ctx, input: { conversationId: message.conversationId, channel: 'social' } });
    const answering = last?.externalId ? parseSocialExternalId(last.externalId) : null;
    const network = answering?.network ?? (channel.config.network as string | undefined)?.toLowerCase();
    if (!network) throw new PermanentDeliveryError('No social message to answer and no config.network to write on');
    const customer = await getCustomer({ ctx, id: message.customerId });
    const identity = newestIdentity(customer.identities, 'social', `${network}:`);
    if (!identity) throw new PermanentDeliveryError(`The customer has no ${network} handle to write to`);
    const text = outboundText(message);
    if (!text) throw new PermanentDeliveryError('Nothing to send: the reply has no text');

    const body = JSON.stringify({
      network, type: answering?.type ?? 'dm', inReplyTo: answering?.id ?? null,
      to: identity.slice(network.length + 1), text,
    });
    const { body: answer } = await callProvider('Social connector', replyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CANDOR_SIGNATURE_HEADER]: signHmacSha256(key, body), 'idempotency-key': message.id },
      body,
    }, { reasonOf: (b) => (typeof b?.error === 'string' ? b.error : typeof b?.message === 'string' ? b.message : undefined) });
    const id = typeof answer?.id === 'string' || typeof answer?.id === 'number' ? String(answer.id) : undefined;
    return { externalId: id ? `${network}:reply:${id}` : undefined };
  },
};
