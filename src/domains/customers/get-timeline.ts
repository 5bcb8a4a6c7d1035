import { and, eq, inArray, like, or, type SQL } from 'drizzle-orm';
import { timelineEntries } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize, can, mayReadAll, readFamilies } from '../../platform/authz.ts';
import { decodeCursor, newestFirst, olderThan, toPage, toIso } from '../../platform/pagination.ts';
import { loadCustomer } from './get-customer.ts';

/** The condition on `kind` that the caller's scopes allow (authz.ts readFamilies), or null when they allow every kind. */
function readableKinds(ctx: Ctx): SQL | null {
  if (mayReadAll(ctx)) return null;
  const families = Object.entries(readFamilies).filter(([, p]) => can(ctx, p)).map(([f]) => like(timelineEntries.kind, `${f}.%`));
  return or(...families) ?? null;
}

/**
 * Everything about a customer, newest first: messages on every channel, status changes,
 * plan changes, invoices, payments, merges, as far as the caller's scopes let it read them
 * (a `customers:read` key sees the customer's own entries, not messages or invoices).
 * Keyset-paginated on (occurredAt, id).
 */
export async function getTimeline({ ctx, customerId, input }: { ctx: Ctx; customerId: string; input: { limit?: number; cursor?: string; kinds?: string[] } }) {
  authorize(ctx, 'customers:read');
  const customer = await loadCustomer(ctx, customerId);
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const cursor = decodeCursor(input.cursor);
  const conds = [eq(timelineEntries.workspaceId, ctx.workspaceId), eq(timelineEntries.customerId, customer.id)];
  if (cursor) conds.push(olderThan(timelineEntries.occurredAt, timelineEntries.id, cursor));
  if (input.kinds?.length) conds.push(inArray(timelineEntries.kind, input.kinds));
  const scope = readableKinds(ctx);
  if (scope) conds.push(scope);
  const rows = await ctx.db.select().from(timelineEntries).where(and(...conds))
    .orderBy(...newestFirst(timelineEntries.occurredAt, timelineEntries.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: toIso(r.occurredAt), id: r.id }));
  return {
    customerId: customer.id,
    data: page.data.map((r) => ({
      id: r.id, occurredAt: toIso(r.occurredAt), kind: r.kind, actorType: r.actorType, actorId: r.actorId,
      conversationId: r.conversationId, refId: r.refId, summary: r.summary, data: r.data,
    })),
    nextCursor: page.nextCursor,
  };
}
