import { createHmac } from 'node:crypto';
import { sameBytes } from '../../platform/secrets.ts';

/** Constant-time string comparison: false when either side is missing or empty, or on any length difference. */
export function safeEqual(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !a || !b) return false;
  return sameBytes(Buffer.from(a), Buffer.from(b));
}

/**
 * Candor's own signature header, for the formats Candor defines (raw-MIME email webhooks, social
 * connectors, generic voice call records) and for what Candor sends to a connector.
 */
export const CANDOR_SIGNATURE_HEADER = 'X-Candor-Signature';

/** `sha256=<hex HMAC-SHA256 of the body, keyed with the secret>`: the value of a signature header. */
export const signHmacSha256 = (secret: string, body: string | Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * True when a `sha256=<hex>` signature header (Meta's X-Hub-Signature-256, X-Candor-Signature)
 * matches the raw body as sent, checked before any parsing; blanks around it and letter case are
 * ignored. False when the secret or the header is missing.
 */
export function verifyHmacSha256Header(secret: string | undefined, header: string | null | undefined, rawBody: Buffer): boolean {
  if (!secret || !header) return false;
  return safeEqual(header.trim().toLowerCase(), signHmacSha256(secret, rawBody));
}
