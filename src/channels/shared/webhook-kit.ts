import { jsonResponse, type WebhookCall } from '../adapter.ts';
import { quarantineInbound } from '../../domains/channels/index.ts';
import { receiveMessages, type InboundMessageInput } from '../../domains/conversations/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { z } from '@hono/zod-openapi';

/**
 * The answers every provider webhook gives, so the adapters agree: 401 stores nothing, a body Candor
 * cannot read is kept in quarantine and answered 400, and accepted items are committed before the 2xx.
 */
export function unauthenticated(call: WebhookCall, message = 'Signature missing or invalid') {
  call.ctx.app.log.warn({ channelId: call.channel.id, kind: call.channel.kind }, `webhook refused: ${message}`);
  return jsonResponse(401, { code: 'unauthenticated', message, requestId: call.ctx.requestId ?? 'unknown' });
}

export const methodNotAllowed = (call: WebhookCall, message = `${call.request.method} is not accepted here; providers POST`) =>
  jsonResponse(405, { code: 'validation_failed', message, requestId: call.ctx.requestId ?? 'unknown' });

export const noEndpoint = (call: WebhookCall, message = `No endpoint ${call.subpath} on this channel`) =>
  jsonResponse(404, { code: 'not_found', message, requestId: call.ctx.requestId ?? 'unknown' });

/** Keeps the raw body for an admin (GET /api/v1/quarantine) and tells the provider what was wrong. */
export async function quarantined(call: WebhookCall, reason: string): Promise<Response> {
  await quarantineInbound(call.ctx, {
    channelId: call.channel.id, kind: call.channel.kind, reason,
    contentType: call.request.headers.get('content-type'), payload: call.rawBody.toString('utf8'),
  });
  return jsonResponse(400, { code: 'validation_failed', message: `${reason}; kept in quarantine`, requestId: call.ctx.requestId ?? 'unknown' });
}

type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

/**
 * The body as JSON of the shape `parse` (a zod safeParse) accepts, or the 400 that keeps it in
 * quarantine saying why: `malformed JSON`, or `not <what>: <field>: <problem>; …`.
 */
export async function readJsonBody<T>(call: WebhookCall, what: string, parse: (json: unknown) => Parsed<T>): Promise<{ data: T } | { response: Response }> {
  let json: unknown;
  try { json = JSON.parse(call.rawBody.toString('utf8')); } catch { return { response: await quarantined(call, 'malformed JSON') }; }
  const parsed = parse(json);
  if (parsed.success) return { data: parsed.data };
  return { response: await quarantined(call, `not ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`) };
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
