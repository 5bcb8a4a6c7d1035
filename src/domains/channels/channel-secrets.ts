import { z } from '@hono/zod-openapi';
import type { ChannelKind } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';

const secret = (what: string) => z.string().min(1, 'empty').max(4096).describe(what);

/**
 * The secrets each channel kind reads, by name (docs/CHANNELS.md says where each is found in the
 * provider's console). A name not listed is refused, so a typo (`authtoken`, `app_secret`) cannot
 * make every webhook fail its signature; a required one is the secret the webhook's signature
 * check needs.
 */
export const ChannelSecrets = {
  email: z.object({ signingKey: secret('HMAC key of the raw-MIME webhook (X-Candor-Signature)').optional(), smtpUser: secret('SMTP relay login').optional(), smtpPass: secret('SMTP relay password').optional() }).strict(),
  chat: z.object({ identitySecret: secret('HMAC key for signed visitor identities').optional() }).strict(),
  whatsapp: z.object({ appSecret: secret('Meta app secret (X-Hub-Signature-256)'), accessToken: secret('WhatsApp Cloud API access token (sending)').optional(), verifyToken: secret('the GET subscription handshake token').optional() }).strict(),
  messenger: z.object({ appSecret: secret('Meta app secret (X-Hub-Signature-256)'), accessToken: secret('page access token (sending)').optional(), verifyToken: secret('the GET subscription handshake token').optional() }).strict(),
  telegram: z.object({ webhookSecret: secret('secret_token given to setWebhook (X-Telegram-Bot-Api-Secret-Token)'), botToken: secret('bot token from @BotFather (sending)').optional() }).strict(),
  sms: z.object({ authToken: secret('Twilio auth token (X-Twilio-Signature, sending, media)') }).strict(),
  voice: z.object({ signingKey: secret('HMAC key of call records (X-Candor-Signature)'), authToken: secret('Twilio auth token, for Twilio voice callbacks').optional() }).strict(),
  social: z.object({ signingKey: secret('HMAC key shared with the social listener (X-Candor-Signature)').optional() }).strict(),
  portal: z.object({}).strict(),
  api: z.object({}).strict(),
} satisfies Record<ChannelKind, z.ZodObject>;

/** The secret names a kind accepts. */
export const secretNamesOf = (kind: ChannelKind) => Object.keys(ChannelSecrets[kind].shape);

/**
 * Checks a channel's secrets (all of them, after an update merged the new ones in) against its
 * kind's declaration: 422 (unprocessable) naming each unknown, missing or empty field as
 * `secrets.<name>`.
 */
export function checkChannelSecrets(kind: ChannelKind, secrets: Record<string, string>) {
  const r = ChannelSecrets[kind].safeParse(secrets);
  if (r.success) return;
  const allowed = secretNamesOf(kind);
  const fields = r.error.issues.flatMap((i) => i.code === 'unrecognized_keys'
    ? i.keys.map((k) => ({ path: `secrets.${k}`, message: `not a ${kind} secret; the names are ${allowed.join(', ') || '(none)'}` }))
    : [{ path: `secrets.${i.path.join('.')}`, message: i.message === 'Invalid input: expected string, received undefined' ? 'required' : i.message }]);
  throw new AppError('unprocessable', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
}
