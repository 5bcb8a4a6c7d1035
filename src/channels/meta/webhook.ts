import type { WebhookCall } from '../adapter.ts';
import { verifyHmacSha256Header } from '../shared/signatures.ts';
import { methodNotAllowed, quarantined, unauthenticated, noEndpoint } from '../shared/webhook-kit.ts';
import { verifySubscription } from './verify-subscription.ts';

type Entry = Record<string, any>;
export type MetaGate = { response: Response; body?: undefined } | { response?: undefined; body: { object: string; entry: Entry[] } };

/**
 * The part of a Meta webhook that is the same for WhatsApp and Messenger: GET runs the
 * subscription handshake; POST must carry a valid `X-Hub-Signature-256` (else 401, nothing
 * stored) and a JSON body of the expected `object` with an `entry` array (else 400, the body kept
 * in quarantine for an admin). What passes is handed back to the adapter to ingest.
 */
export async function openMetaWebhook(call: WebhookCall, expectedObject: string): Promise<MetaGate> {
  const { channel, request, rawBody } = call;
  if (call.subpath !== '/') return { response: noEndpoint(call, `${channel.kind} channels take GET and POST on the channel's URL itself`) };
  // Meta, unlike the other providers, also calls with GET (the handshake), before any signature.
  if (request.method === 'GET' || request.method === 'HEAD') return { response: verifySubscription(request, channel.secrets.verifyToken) };
  if (request.method !== 'POST') return { response: methodNotAllowed(call, 'Use GET (verification) or POST (events)') };
  if (!verifyHmacSha256Header(channel.secrets.appSecret, request.headers.get('x-hub-signature-256'), rawBody)) {
    return { response: unauthenticated(call, 'Missing or invalid X-Hub-Signature-256') };
  }
  let body: unknown;
  let reason: string | null = null;
  try { body = JSON.parse(rawBody.toString('utf8')); } catch { reason = 'malformed JSON'; }
  if (!reason) {
    const b = body as { object?: unknown; entry?: unknown } | null;
    if (!b || typeof b !== 'object' || Array.isArray(b)) reason = 'not a JSON object';
    else if (b.object !== expectedObject) reason = `unexpected object ${JSON.stringify(b.object ?? null)} (expected ${expectedObject})`;
    else if (!Array.isArray(b.entry) || b.entry.some((e) => !e || typeof e !== 'object')) reason = 'entry is not a list of objects';
  }
  if (reason) return { response: await quarantined(call, reason) };
  return { body: body as { object: string; entry: Entry[] } };
}

/** A provider timestamp (seconds or milliseconds since the epoch, told apart by size) as a Date; now when absent or absurd. */
export function providerTime(value: unknown): Date {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return new Date();
  const d = new Date(n < 1e11 ? n * 1000 : n);
  return d.getTime() > Date.now() + 5 * 60_000 ? new Date() : d;
}
