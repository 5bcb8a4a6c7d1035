import type { ChannelAdapter } from '../adapter.ts';
import { whatsappWebhook } from './webhook.ts';
import { sendWhatsApp } from './send.ts';

/**
 * WhatsApp Cloud API. Channel config: `phoneNumberId` (required to send), `graphBaseUrl`
 * (default https://graph.facebook.com), `graphVersion` (default v21.0), `templateName`,
 * `templateLanguage` (default en), `templateBodyParameter` (default true). Secrets: `appSecret`
 * (webhook signatures), `accessToken` (sending), `verifyToken` (the GET handshake).
 */
export const whatsappAdapter: ChannelAdapter = { kind: 'whatsapp', webhook: whatsappWebhook, send: sendWhatsApp };
