import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { authorize } from '../../platform/authz.ts';
import { parseInput } from '../../platform/errors.ts';
import { normaliseIdentity } from '../customers/customers.schemas.ts';
import { linkPhoneSiblings } from '../customers/link-phone-siblings.ts';
import { InboundMessageInput } from './conversations.schemas.ts';
import { ingestBatch, type Inbound, type IngestOutcome } from './ingest-batch.ts';
import { GroupCommit } from './group-commit.ts';

export { REOPEN_WINDOW_MS } from './ingest-batch.ts';

/** A provider's timestamp orders the message only within this much of the time Candor received it. */
export const PLAUSIBLE_PAST_MS = 30 * 86400_000;
export const PLAUSIBLE_FUTURE_MS = 5 * 60_000;

/**
 * The time a message is ordered by: the provider's own timestamp when it is plausible, else now.
 * An implausible one (a clock decades off, a replayed old id, a date in the future) is kept as
 * `meta.sentAt` but drives neither ordering nor "last activity".
 */
export function orderingTime(sent: Date | undefined, now = new Date()): { at: Date; sentAt?: string } {
  if (!sent || Number.isNaN(sent.getTime())) return { at: now };
  const d = sent.getTime() - now.getTime();
  if (d > PLAUSIBLE_FUTURE_MS || d < -PLAUSIBLE_PAST_MS) return { at: now, sentAt: sent.toISOString() };
  return { at: sent };
}

function prepare(ctx: Ctx, input: unknown): Inbound {
  const data = parseInput(InboundMessageInput, input);
  // receivedAt is authoritative (an import, a call record); a provider's sentAt only when plausible.
  const { at, sentAt } = data.receivedAt ? { at: data.receivedAt, sentAt: undefined } : orderingTime(data.sentAt);
  const meta = sentAt ? { ...data.meta, sentAt } : data.meta;
  return { ...data, meta, identity: normaliseIdentity(data.from.kind, data.from.value, 'from.value'), at, requestId: ctx.requestId };
}

const committers = new WeakMap<Platform, GroupCommit<Inbound, IngestOutcome>>();
function committer(app: Platform) {
  let g = committers.get(app);
  if (!g) {
    g = new GroupCommit(ingestBatch, app.database.kind === 'postgres' ? { maxBatch: 500, concurrency: 2 } : { maxBatch: 500, concurrency: 1, gatherMs: 2 });
    committers.set(app, g);
  }
  return g;
}

/**
 * The one way an inbound message enters Candor, whatever the channel: resolve the sender to a
 * customer, find the conversation it belongs to (or open one), append the message, and commit
 * before answering. A redelivery of the same (channel, externalId) changes nothing.
 * Concurrent calls are committed together (group commit); each caller still gets its own answer
 * only after its message is durable.
 */
export async function receiveMessage({ ctx, input }: { ctx: Ctx; input: z.input<typeof InboundMessageInput> }): Promise<IngestOutcome> {
  authorize(ctx, 'messages:ingest');
  const item = prepare(ctx, input);
  await linkPhoneSiblings({ ctx, input: [{ kind: item.from.kind, value: item.identity }] });
  if (ctx.tx) return (await ingestBatch(ctx, [item]))[0];
  return committer(ctx.app).submit(ctx, item);
}

/**
 * Many inbound messages at once (a provider webhook carrying several), in input order. They are
 * committed together, with whatever other inbound messages arrive meanwhile (group commit), or in
 * the caller's transaction when there is one (an email whose attachments commit with it).
 */
export async function receiveMessages({ ctx, input }: { ctx: Ctx; input: z.input<typeof InboundMessageInput>[] }): Promise<IngestOutcome[]> {
  authorize(ctx, 'messages:ingest');
  const items = input.map((i, n) => {
    try { return prepare(ctx, i); } catch (err) { (err as Error).message = `messages.${n}: ${(err as Error).message}`; throw err; }
  });
  await linkPhoneSiblings({ ctx, input: items.map((i) => ({ kind: i.from.kind, value: i.identity })) });
  if (ctx.tx) return ingestBatch(ctx, items);
  return committer(ctx.app).submitAll(ctx, items);
}
