import { and, between, eq, sql } from 'drizzle-orm';
import { usageDaily } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { dayString } from '../billing/index.ts';
import { DAY_MS, asSystem, daysInMonthOf, isoDay, mySubscription, recordSelf, selfOf } from './self.ts';

const gb = (mb: number) => Math.round((mb / 1024) * 10) / 10;

/**
 * This month's usage, day by day (UTC), the month to date against the plan's cap, and a
 * projection to the month's end from the average of the days so far.
 */
export async function getMyUsage({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  const customerId = selfOf(ctx, 'usage:read');
  const sys = asSystem(ctx);
  const sub = await mySubscription(sys, customerId);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const dim = daysInMonthOf(now);
  const month = isoDay(first).slice(0, 7);
  const prevFirst = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const rows = sub ? await sys.db.select().from(usageDaily)
    .where(and(eq(usageDaily.workspaceId, ctx.workspaceId), eq(usageDaily.subscriptionId, sub.row.id), between(usageDaily.day, isoDay(first), isoDay(now))))
    .orderBy(usageDaily.day) : [];
  const [prev] = sub ? await sys.db.select({ mb: sql<number>`coalesce(sum(${usageDaily.downloadMb} + ${usageDaily.uploadMb}), 0)::int8`, n: sql<number>`count(*)::int` }).from(usageDaily)
    .where(and(eq(usageDaily.workspaceId, ctx.workspaceId), eq(usageDaily.subscriptionId, sub.row.id), between(usageDaily.day, isoDay(prevFirst), isoDay(first.getTime() - DAY_MS)))) : [];
  const days = rows.map((r) => ({ day: dayString(r.day), downloadMb: Number(r.downloadMb), uploadMb: Number(r.uploadMb), totalGb: gb(Number(r.downloadMb) + Number(r.uploadMb)) }));
  const totalMb = days.reduce((t, d) => t + d.downloadMb + d.uploadMb, 0);
  const elapsed = days.length ? Math.round((Date.parse(days[days.length - 1].day) - first.getTime()) / DAY_MS) + 1 : Math.max(0, now.getUTCDate() - 1);
  const projectedMb = elapsed ? (totalMb / elapsed) * dim : 0;
  const cap = sub?.plan.dataCapGb ?? null;
  const mtd = gb(totalMb);
  const projected = gb(projectedMb);
  const summary = !sub ? 'You have no subscription with us.'
    : cap ? `${mtd} GB of your ${cap} GB used so far this month (${Math.round((mtd / cap) * 100)}%); at this pace you will use about ${projected} GB by the month's end${projected > cap ? ', over your cap' : ''}.`
      : `${mtd} GB used so far this month, unlimited on ${sub.plan.name}; at this pace about ${projected} GB by the month's end.`;
  if (ctx.actor.type === 'assistant') await recordSelf(ctx, { customerId, kind: 'assistant.read', summary: 'read this month\'s usage', data: { what: 'usage' } });
  return {
    month, days, monthToDateGb: mtd, capGb: cap, percentOfCap: cap ? Math.round((mtd / cap) * 1000) / 10 : null,
    projectedGb: projected, projectedOverCap: !!cap && projected > cap, daysElapsed: elapsed, daysInMonth: dim,
    previousMonthGb: prev && Number(prev.n) > 0 ? gb(Number(prev.mb)) : null, summary,
  };
}
