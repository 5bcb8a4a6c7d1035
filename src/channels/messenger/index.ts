import type { ChannelAdapter } from '../adapter.ts';
import { messengerWebhook } from './webhook.ts';
import { sendMessenger } from './send.ts';

/**
 * Facebook Messenger (Messenger Platform). Channel config: `pageId` (routes a shared app webhook
 * to the right page's channel), `graphBaseUrl` (default https://graph.facebook.com), `graphVersion`
 * (default v21.0), `messageTag` (used outside the 24-hour window, e.g. HUMAN_AGENT). Secrets:
 * `appSecret` (webhook signatures), `accessToken` (the page access token), `verifyToken`.
 */
export const messengerAdapter: ChannelAdapter = { kind: 'messenger', webhook: messengerWebhook, send: sendMessenger };
