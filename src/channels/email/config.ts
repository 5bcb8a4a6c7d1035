import { z } from 'zod';
import type { ChannelRow } from '../../domains/channels/index.ts';

/**
 * What an email channel's `config` holds: the mailbox address Candor receives at and sends
 * from, and the SMTP relay replies leave through. Secrets: `smtpUser`, `smtpPass` (relay login,
 * optional) and `signingKey` (HMAC key of the inbound MIME webhook).
 */
export const EmailChannelConfig = z.object({
  address: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address'),
  fromName: z.string().max(200).optional(),
  smtpHost: z.string().min(1).optional(),
  smtpPort: z.coerce.number().int().min(1).max(65535).optional(),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the relay offers it. */
  secure: z.boolean().optional(),
  requireTLS: z.boolean().optional(),
  /** Accept a relay certificate that does not verify (a relay on the local network). */
  tlsRejectUnauthorized: z.boolean().optional(),
  /** Put a reply token (support+c-<number>@…) in Reply-To; on unless false. */
  replyToken: z.boolean().optional(),
  /**
   * Senders that relay other people's mail (a web form, a shop's contact page): addresses, or
   * `@domain` for a whole domain. Their mail belongs to its Reply-To. A no-reply address of the
   * mailbox's own domain is treated so without being listed.
   */
  relaySenders: z.array(z.string().trim().toLowerCase().regex(/^[^\s@]*@[^\s@]+$/, 'an address or @domain')).max(100).optional(),
  /** A mail without reply headers joins the sender's conversation with the same subject active within this many hours (0: never); default 72. */
  subjectWindowHours: z.coerce.number().int().min(0).max(24 * 365).optional(),
});
export type EmailConfig = z.infer<typeof EmailChannelConfig>;

/** The channel's config, validated; a channel without a usable address is not an email channel yet. */
export function emailConfigOf(channel: ChannelRow): EmailConfig | null {
  const r = EmailChannelConfig.safeParse(channel.config);
  return r.success ? r.data : null;
}
