import { createHmac } from 'node:crypto';
import type { WebhookCall } from '../adapter.ts';
import { safeEqual } from './signatures.ts';
import { methodNotAllowed, unauthenticated } from './webhook-kit.ts';

// What Twilio's webhooks share: SMS (sms adapter) and call transcriptions (voice adapter).

/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
 * base64(HMAC-SHA1(authToken, url + every POST parameter sorted by name, each name followed directly
 * by its value)). The URL is the one Twilio called, query string included. A repeated parameter
 * contributes each of its values, in sorted order, as the official helper libraries do.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of params) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  let data = url;
  for (const k of [...byKey.keys()].sort()) for (const v of byKey.get(k)!.sort()) data += k + v;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** The URL with and without its scheme's default port: Twilio signs what it was configured with. */
function urlVariants(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    const port = u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '';
    if (port && !u.port) {
      const i = url.indexOf(u.host) + u.host.length;
      out.push(url.slice(0, i) + `:${port}` + url.slice(i));
    } else if (port && url.includes(`${u.hostname}:${port}`)) {
      out.push(url.replace(`${u.hostname}:${port}`, u.hostname));
    }
  } catch { /* not a URL: only the string as given */ }
  return out;
}

/** True when the X-Twilio-Signature header matches the request as Twilio made it. */
function verifyTwilioSignature(authToken: string | undefined, header: string | null, url: string, params: URLSearchParams): boolean {
  if (!authToken || !header) return false;
  return urlVariants(url).some((u) => safeEqual(header, twilioSignature(authToken, u, params)));
}

/** The form fields Twilio POSTed, once X-Twilio-Signature matches (else 401, nothing stored) and the method is POST (else 405). */
export function readTwilioForm(call: WebhookCall): { params: URLSearchParams } | { response: Response } {
  const params = new URLSearchParams(call.rawBody.toString('utf8'));
  if (!verifyTwilioSignature(call.channel.secrets.authToken, call.request.headers.get('x-twilio-signature'), call.publicUrl, params)) {
    return { response: unauthenticated(call, 'X-Twilio-Signature missing or invalid') };
  }
  if (call.request.method !== 'POST') return { response: methodNotAllowed(call) };
  return { params };
}

/** The answer Twilio expects from a webhook that has nothing to say back: empty TwiML. */
export const emptyTwiml = () =>
  new Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
