import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { subscriptions, usageDaily } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { UsageInput } from './billing.schemas.ts';

const CHUNK = 2000;

/**
 * Records daily usage for any number of subscriptions (by id or externalRef) in one batch:
 * upserted on (subscription, day), so a billing system may resend a day with corrected
 * figures. Multi-row statements; one audit entry for the batch, one `usage.recorded` event
 * per subscription; no timeline entries.
 */
export async function recordUsage({ ctx, input }: { ctx: Ctx; input: z.input<typeof UsageInput> }): Promise<{ recorded: number; subscriptions: number }> {
  authorize(ctx, 'billing:write');
  const { items } = parseInput(UsageInput, input);
  return withTransaction(ctx, async (tx) => {
    const ids = [...new Set(items.flatMap((i) => (i.subscriptionId ? [i.subscriptionId] : [])))];
    const refs = [...new Set(items.flatMap((i) => (i.subscriptionRef ? [i.subscriptionRef] : [])))];
    const match: SQL[] = [];
    if (ids.length) match.push(inArray(subscriptions.id, ids));
    if (refs.length) match.push(inArray(subscriptions.externalRef, refs));
    const found = await tx.db.select({ id: subscriptions.id, ref: subscriptions.externalRef, customerId: subscriptions.customerId }).from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, ctx.workspaceId), or(...match)));
    const byId = new Map(found.map((s) => [s.id, s]));
    const byRef = new Map(found.filter((s) => s.ref).map((s) => [s.ref!, s]));

    const rows = new Map<string, typeof usageDaily.$inferInsert>();
    items.forEach((item, n) => {
      const sub = item.subscriptionId ? byId.get(item.subscriptionId) : byRef.get(item.subscriptionRef!);
      if (!sub) {
        const path = `items.${n}.${item.subscriptionId ? 'subscriptionId' : 'subscriptionRef'}`;
        throw new AppError('not_found', `${path}: subscription not found`, { fields: [{ path, message: 'not found in this workspace' }] });
      }
      // The last figure for a day wins, as if the items had been sent one after another.
      rows.set(`${sub.id}|${item.day}`, { workspaceId: ctx.workspaceId, subscriptionId: sub.id, day: item.day, downloadMb: item.downloadMb, uploadMb: item.uploadMb });
    });
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += CHUNK) {
      await tx.db.insert(usageDaily).values(all.slice(i, i + CHUNK)).onConflictDoUpdate({
        target: [usageDaily.workspaceId, usageDaily.subscriptionId, usageDaily.day],
        set: { downloadMb: sql`excluded.download_mb`, uploadMb: sql`excluded.upload_mb` },
      });
    }

    const perSub = new Map<string, { from: string; to: string; days: number }>();
    for (const r of all) {
      const s = perSub.get(r.subscriptionId);
      if (!s) perSub.set(r.subscriptionId, { from: r.day, to: r.day, days: 1 });
      else { s.days++; if (r.day < s.from) s.from = r.day; if (r.day > s.to) s.to = r.day; }
    }
    const days = all.map((r) => r.day).sort();
    await audit(tx, {
      // One subscription: audited on it; a batch across many: one entry of its own.
      action: 'usage.recorded', ...(perSub.size === 1 ? { entityType: 'subscription', entityId: all[0].subscriptionId } : { entityType: 'usage_batch', entityId: newId() }),
      after: { rows: all.length, subscriptions: perSub.size, from: days[0], to: days[days.length - 1] },
    });
    for (const [subscriptionId, s] of perSub) {
      emit(tx, 'usage.recorded', { customerId: byId.get(subscriptionId)!.customerId, data: { subscriptionId, ...s } });
    }
    return { recorded: all.length, subscriptions: perSub.size };
  });
}
