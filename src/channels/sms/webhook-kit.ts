import { timingSafeEqual } from 'node:crypto';
import { jsonResponse, type WebhookCall } from '../adapter.ts';
import { quarantineInbound } from '../../domains/channels/index.ts';
import { receiveMessages, type InboundMessageInput } from '../../domains/conversations/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { z } from '@hono/zod-openapi';

/**
 * The answers every provider webhook gives, so the adapters agree: 401 stores nothing, a body Candor
 * cannot read is kept in quarantine and answered 400, and accepted items are committed before the 2xx.
 * Shared by the telegram, sms, voice and social adapters.
 */
export const unauthenticated = (call: WebhookCall, message = 'Signature missing or invalid') =>
  jsonResponse(401, { code: 'unauthenticated', message, requestId: call.ctx.requestId ?? 'unknown' });

export const methodNotAllowed = (call: WebhookCall) =>
  jsonResponse(405, { code: 'validation_failed', message: `${call.request.method} is not accepted here; providers POST`, requestId: call.ctx.requestId ?? 'unknown' });

export const noEndpoint = (call: WebhookCall) =>
  jsonResponse(404, { code: 'not_found', message: `No endpoint ${call.subpath} on this channel`, requestId: call.ctx.requestId ?? 'unknown' });

/** Keeps the raw body for an admin (GET /api/v1/quarantine) and tells the provider what was wrong. */
export async function quarantined(call: WebhookCall, reason: string): Promise<Response> {
  await quarantineInbound(call.ctx, {
    channelId: call.channel.id, kind: call.channel.kind, reason,
    contentType: call.request.headers.get('content-type'), payload: call.rawBody.toString('utf8'),
  });
  return jsonResponse(400, { code: 'validation_failed', message: `${reason}; kept in quarantine`, requestId: call.ctx.requestId ?? 'unknown' });
}

/**
 * Commits the items (one transaction) or, when an item does not validate (a sender that is not a valid
 * address, a body too long), quarantines the whole payload and answers 400. Other failures (the
 * database) propagate as 5xx so the provider retries.
 */
export async function ingest(call: WebhookCall, items: z.input<typeof InboundMessageInput>[]) {
  try {
    const out = await receiveMessages({ ctx: call.ctx, input: items });
    return { ok: true as const, accepted: out.filter((o) => !o.duplicate).length, duplicates: out.filter((o) => o.duplicate).length, outcomes: out };
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed') return { ok: false as const, response: await quarantined(call, err.message) };
    throw err;
  }
}

/** Constant-time string comparison (false on any length difference). */
export function safeEqual(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !a || !b) return false;
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The newest identity of a kind a customer has (the one most likely in use now), or null. */
export const newestIdentity = <T extends { kind: string; value: string }>(ids: T[], kind: string, prefix = '') =>
  [...ids].reverse().find((i) => i.kind === kind && i.value.startsWith(prefix))?.value ?? null;
