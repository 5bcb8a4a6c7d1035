import { createHmac } from 'node:crypto';
import { safeEqual } from '../sms/webhook-kit.ts';

/**
 * Candor's own webhook signature, for formats Candor defines (social connectors, generic voice call
 * records): header `X-Candor-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the
 * channel's signingKey secret>`. The same scheme signs what Candor sends to a connector.
 */
export const CANDOR_SIGNATURE_HEADER = 'X-Candor-Signature';

export const candorSignature = (key: string, body: string | Buffer) =>
  `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

export function verifyCandorSignature(key: string | undefined, header: string | null, rawBody: Buffer): boolean {
  if (!key || !header) return false;
  return safeEqual(header.trim().toLowerCase(), candorSignature(key, rawBody));
}
