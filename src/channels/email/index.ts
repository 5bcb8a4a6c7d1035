import type { ChannelAdapter } from '../adapter.ts';
import { mimeWebhook } from './mime-webhook.ts';
import { sendEmail } from './send-email.ts';

/**
 * The email channel. In: Candor's SMTP listener (startSmtpListener) and a provider's raw-MIME
 * webhook (POST /hooks/{workspaceId}/{channelId}/mime). Out: SMTP through the channel's relay.
 */
export const emailAdapter: ChannelAdapter = { kind: 'email', webhook: mimeWebhook, send: sendEmail };

export { startSmtpListener, type SmtpListener } from './smtp-listener.ts';
export { receiveEmail, type EmailOutcome } from './receive-email.ts';
export { ensureDemoEmailChannel, DEMO_EMAIL_ADDRESS } from './demo-channel.ts';
export { EmailChannelConfig } from './config.ts';
export { sendPlainMail, postWebhook } from './send-plain-mail.ts';
