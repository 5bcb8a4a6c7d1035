import { editInboundMessage } from '../../domains/conversations/index.ts';
import { jsonResponse, type ChannelAdapter } from '../adapter.ts';
import { getCustomer } from '../../domains/customers/index.ts';
import { PermanentDeliveryError } from '../../domains/conversations/index.ts';
import { readJsonBody, ingest, unauthenticated, methodNotAllowed, noEndpoint } from '../shared/webhook-kit.ts';
import { newestIdentity } from '../shared/recipient.ts';
import { safeEqual } from '../shared/signatures.ts';
import { callProvider } from '../shared/provider-http.ts';
import { outboundText } from '../shared/plain-text.ts';
import { TelegramUpdate, normaliseUpdate, telegramExternalId } from './telegram-update.ts';

/**
 * Telegram Bot API. Channel settings — config: { apiBaseUrl? (default https://api.telegram.org) };
 * secrets: { botToken, webhookSecret }. Register the webhook with
 * `setWebhook(url: <public url>/hooks/{workspaceId}/{channelId}, secret_token: webhookSecret)`;
 * Telegram then sends every Update with header X-Telegram-Bot-Api-Secret-Token, checked here.
 */
const TEXT_LIMIT = 4096;

/** Splits a long reply into sendMessage-sized parts, at a line or word break when there is one. */
export function splitForTelegram(text: string, limit = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--; // never split an emoji's surrogate pair
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  parts.push(rest);
  return parts.filter((p) => p.length);
}

export const telegramAdapter: ChannelAdapter = {
  kind: 'telegram',

  async webhook(call) {
    const { channel, request } = call;
    if (call.subpath !== '/') return noEndpoint(call, "Telegram channels take POST on the channel's URL itself");
    if (!safeEqual(request.headers.get('x-telegram-bot-api-secret-token'), channel.secrets.webhookSecret)) {
      return unauthenticated(call, 'X-Telegram-Bot-Api-Secret-Token missing or wrong');
    }
    if (request.method !== 'POST') return methodNotAllowed(call);
    const body = await readJsonBody(call, 'a Telegram Update', (json) => TelegramUpdate.safeParse(json));
    if ('response' in body) return body.response;
    const n = normaliseUpdate(channel, body.data);
    if ('ignored' in n) return jsonResponse(200, { ok: true, ignored: n.ignored });
    if (n.edit) {
      // An edit updates the message it names and keeps the earlier text; it never adds a message.
      const e = await editInboundMessage({ ctx: call.ctx, input: { channel: 'telegram', externalId: n.item.externalId!, bodyText: n.item.bodyText, editedAt: n.edit.editedAt } });
      if (e) return jsonResponse(200, { ok: true, edited: e.changed });
      if (n.item.from.value.startsWith('-')) return jsonResponse(200, { ok: true, ignored: 'an edit of a channel post Candor does not hold' });
      // The original never reached Candor: this wording is the message (under the original's id, so a late original is a no-op).
    }
    const r = await ingest(call, [n.item]);
    if (!r.ok) return r.response;
    return jsonResponse(200, { ok: true, duplicate: r.duplicates > 0 });
  },

  async send(ctx, channel, message) {
    const token = channel.secrets.botToken;
    if (!token) throw new PermanentDeliveryError(`Telegram channel ${channel.name} has no botToken secret`);
    const customer = await getCustomer({ ctx, id: message.customerId });
    const chatId = newestIdentity(customer.identities, 'telegram');
    if (!chatId) throw new PermanentDeliveryError('The customer has no Telegram identity to write to');
    const text = outboundText(message);
    if (!text) throw new PermanentDeliveryError('Nothing to send: the reply has no text');
    const base = String(channel.config.apiBaseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
    let first: string | undefined;
    for (const part of splitForTelegram(text)) {
      const { body } = await callProvider('Telegram', `${base}/bot${token}/sendMessage`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: Number(chatId), text: part }),
      }, { reasonOf: (b) => (b?.description ? `${b.description}${b.parameters?.retry_after ? ` (retry after ${b.parameters.retry_after}s)` : ''}` : undefined) });
      if (body?.ok !== true || typeof body.result?.message_id !== 'number') {
        throw new PermanentDeliveryError(`Telegram did not accept the message: ${body?.description ?? 'no result in its answer'}`);
      }
      first ??= telegramExternalId(channel.id, chatId, body.result.message_id);
    }
    return { externalId: first };
  },
};
