import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { AppError, parseInput } from '../../platform/errors.ts';
import { NO_AREA } from '../../db/schema/index.ts';
import { MetricQuery, metricDefinitions, metricNames, type GroupBy, type MetricName } from './insights.schemas.ts';
import type { z } from '@hono/zod-openapi';
import { rowsOf } from '../../platform/bulk.ts';

type Row = { key: string | null; label: string | null; [k: string]: number | string | null };
const DAY = 86_400_000;

const factCol: Record<GroupBy, string> = { channel: 'channel', team: 'team_id', agent: 'agent_id', area: 'area_id', reason: 'reason' };
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const share = (a: unknown, b: unknown) => (Number(b) > 0 ? Number(a) / Number(b) : null);

/** A key column for a group, or a constant when there is none; `nil` maps the roll-up's placeholders back to null. */
function keyOf(groupBy: GroupBy | undefined, table: 'f' | 'h', alias = table): SQL {
  if (!groupBy) return sql.raw('null::text');
  const col = `${alias}.${factCol[groupBy]}`;
  if (table === 'h') return sql.raw(groupBy === 'reason' || groupBy === 'channel' ? `nullif(${col}, '')` : `nullif(${col}, '${NO_AREA}')::text`);
  return sql.raw(`${col}::text`);
}

async function labels(ctx: Ctx, groupBy: GroupBy | undefined): Promise<Map<string, string>> {
  const q = groupBy === 'team' ? sql`select id::text as k, name as v from teams where workspace_id = ${ctx.workspaceId}`
    : groupBy === 'agent' ? sql`select id::text as k, name as v from agents where workspace_id = ${ctx.workspaceId}`
    : groupBy === 'area' ? sql`select id::text as k, name as v from service_areas where workspace_id = ${ctx.workspaceId}`
    : groupBy === 'reason' ? sql`select key as k, name as v from contact_reasons where workspace_id = ${ctx.workspaceId}` : null;
  if (!q) return new Map();
  return new Map(rowsOf<{ k: string; v: string }>(await ctx.db.execute(q)).map((r) => [r.k, r.v]));
}

/** Customers with an active subscription, per workspace, remembered for a minute (it moves slowly; counting is a scan). */
const activeCustomers = new Map<string, { n: number; at: number }>();
async function countActiveCustomers(ctx: Ctx): Promise<number> {
  const hit = activeCustomers.get(ctx.workspaceId);
  if (hit && Date.now() - hit.at < 60_000) return hit.n;
  const [c] = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(distinct customer_id)::int as n from subscriptions where workspace_id = ${ctx.workspaceId} and status = 'active'`));
  if (activeCustomers.size > 10_000) activeCustomers.clear();
  activeCustomers.set(ctx.workspaceId, { n: Number(c.n), at: Date.now() });
  return Number(c.n);
}

const exists = async (ctx: Ctx, table: string) =>
  !!rowsOf<{ t: string | null }>(await ctx.db.execute(sql`select to_regclass(${table})::text as t`))[0]?.t;

/**
 * One figure of the dashboards over a period, optionally per channel, team, agent, service area or
 * contact reason. Each metric's definition is in `metricDefinitions` (and the OpenAPI document).
 */
export async function getInsightsMetric({ ctx, metric, input, now = new Date() }: { ctx: Ctx; metric: string; input: z.input<typeof MetricQuery>; now?: Date }) {
  authorize(ctx, 'conversations:read');
  if (!metricNames.includes(metric as MetricName)) {
    throw new AppError('not_found', `No metric ${metric}; known: ${metricNames.join(', ')}`);
  }
  const q = parseInput(MetricQuery, input);
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw new AppError('validation_failed', 'from must be before to', { fields: [{ path: 'from', message: 'must be before to' }] });
  const ws = ctx.workspaceId;
  const f = from.toISOString();
  const t = to.toISOString();
  const g = q.groupBy;
  let available = true;
  let rows: Row[] = [];
  const hourly = async (cols: string) => rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
    select ${keyOf(g, 'h')} as key, ${sql.raw(cols)} from insights_hourly h
    where h.workspace_id = ${ws} and h.hour >= ${f}::timestamptz and h.hour < ${t}::timestamptz group by 1 order by 1 nulls last`));

  switch (metric as MetricName) {
    case 'first_response_time':
    case 'resolution_time': {
      const col = sql.raw(metric === 'first_response_time' ? 'first_response_seconds' : 'resolution_seconds');
      rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
        select ${keyOf(g, 'f')} as key, count(*)::int as n, percentile_cont(0.5) within group (order by ${col}) as median,
          percentile_cont(0.9) within group (order by ${col}) as p90
        from conversation_facts f where f.workspace_id = ${ws} and f.created_at >= ${f}::timestamptz and f.created_at < ${t}::timestamptz and ${col} is not null
        group by 1 order by 1 nulls last`)).map((r) => ({ key: r.key as string | null, label: null, count: num(r.n), medianSeconds: num(r.median), p90Seconds: num(r.p90) }));
      break;
    }
    case 'sla_attainment':
      rows = (await hourly('sum(sla_timed)::int as timed, sum(sla_met)::int as met, sum(responded)::int as responded, sum(responded_in_sla)::int as responded_in, sum(resolved)::int as resolved, sum(resolved_in_sla)::int as resolved_in'))
        .map((r) => ({ key: r.key as string | null, label: null, timed: num(r.timed), met: num(r.met), attainment: share(r.met, r.timed),
          firstResponseInSla: share(r.responded_in, r.responded), resolutionInSla: share(r.resolved_in, r.resolved) }));
      break;
    case 'repeat_contact_rate':
      rows = (await hourly('sum(contacts)::int as contacts, sum(repeats)::int as repeats'))
        .map((r) => ({ key: r.key as string | null, label: null, contacts: num(r.contacts), repeats: num(r.repeats), rate: share(r.repeats, r.contacts) }));
      break;
    case 'first_contact_resolution':
      rows = (await hourly('sum(resolved)::int as resolved, sum(first_contact_resolved)::int as fcr'))
        .map((r) => ({ key: r.key as string | null, label: null, resolved: num(r.resolved), firstContactResolved: num(r.fcr), rate: share(r.fcr, r.resolved) }));
      break;
    case 'repeats_caused':
      rows = (await hourly('sum(contacts)::int as contacts, sum(repeats_caused)::int as caused'))
        .map((r) => ({ key: r.key as string | null, label: null, contacts: num(r.contacts), repeatsCaused: num(r.caused) }));
      break;
    case 'contacts':
    case 'contacts_per_1000_customers': {
      const n = metric === 'contacts_per_1000_customers' ? await countActiveCustomers(ctx) : 0;
      rows = (await hourly('sum(contacts)::int as contacts')).map((r) => ({ key: r.key as string | null, label: null, contacts: num(r.contacts),
        ...(metric === 'contacts_per_1000_customers' ? { activeCustomers: n, per1000: n ? (Number(r.contacts) * 1000) / n : null } : {}) }));
      break;
    }
    case 'rising_reasons': {
      const before = new Date(from.getTime() - (to.getTime() - from.getTime())).toISOString();
      rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
        select nullif(reason, '') as key, sum(contacts) filter (where hour >= ${f}::timestamptz)::int as now_n, coalesce(sum(contacts) filter (where hour < ${f}::timestamptz), 0)::int as before_n
        from insights_hourly where workspace_id = ${ws} and hour >= ${before}::timestamptz and hour < ${t}::timestamptz group by 1`))
        .map((r) => ({ key: r.key as string | null, label: null, contacts: Number(r.now_n ?? 0), before: Number(r.before_n), rise: Number(r.now_n ?? 0) - Number(r.before_n) }))
        .sort((a, b) => b.rise - a.rise || b.contacts - a.contacts);
      const l = await labels(ctx, 'reason');
      for (const r of rows) r.label = r.key ? l.get(r.key) ?? r.key : null;
      return result(metric, from, to, 'reason', true, rows);
    }
    case 'sentiment_trend':
      rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
        select ${keyOf(g, 'h')} as key, to_char(h.hour at time zone 'UTC', 'YYYY-MM-DD') as day, sum(sentiment_sum) as s, sum(sentiment_count)::int as n,
          sum(worsening)::int as w, sum(contacts)::int as c
        from insights_hourly h where h.workspace_id = ${ws} and h.hour >= ${f}::timestamptz and h.hour < ${t}::timestamptz group by 1, 2 order by 2, 1 nulls last`))
        .map((r) => ({ key: r.key as string | null, label: null, day: r.day as string, meanSentiment: share(r.s, r.n), worseningShare: share(r.w, r.c), contacts: num(r.c) }));
      break;
    case 'csat':
    case 'nps':
    case 'ces': {
      available = await exists(ctx, 'survey_responses');
      if (!available) break;
      const agg = metric === 'csat' ? 'count(*) filter (where s.score >= 4)::float / count(*) * 100'
        : metric === 'nps' ? '(count(*) filter (where s.score >= 9) - count(*) filter (where s.score <= 6))::float / count(*) * 100' : 'avg(s.score)::float';
      rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
        select ${keyOf(g, 'f')} as key, count(*)::int as n, ${sql.raw(agg)} as v
        from survey_responses s left join conversation_facts f on f.workspace_id = s.workspace_id and f.conversation_id = s.conversation_id
        where s.workspace_id = ${ws} and s.kind = ${metric} and s.answered_at >= ${f}::timestamptz and s.answered_at < ${t}::timestamptz
        group by 1 order by 1 nulls last`)).map((r) => ({ key: r.key as string | null, label: null, responses: num(r.n), value: num(r.v) }));
      break;
    }
    case 'deflection': {
      available = await exists(ctx, 'self_service_journeys');
      if (!available) break;
      rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
        select null::text as key, count(*)::int as n, count(*) filter (where conversation_id is null)::int as d from self_service_journeys
        where workspace_id = ${ws} and started_at >= ${f}::timestamptz and started_at < ${t}::timestamptz`))
        .map((r) => ({ key: null, label: null, journeys: num(r.n), deflected: num(r.d), rate: share(r.d, r.n) }));
      break;
    }
    case 'outcomes':
      rows = await outcomes(ctx, g, f, t);
      break;
  }
  const l = await labels(ctx, g);
  for (const r of rows) r.label = r.key === null ? null : g === 'channel' ? r.key : l.get(r.key) ?? r.key;
  return result(metric, from, to, g ?? null, available, rows);
}

function result(metric: string, from: Date, to: Date, groupBy: string | null, available: boolean, rows: Row[]) {
  return { metric, definition: metricDefinitions[metric as MetricName], from: from.toISOString(), to: to.toISOString(), groupBy, available, rows };
}

async function outcomes(ctx: Ctx, g: GroupBy | undefined, f: string, t: string): Promise<Row[]> {
  const ws = ctx.workspaceId;
  const rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql`
    with k as (
      select distinct on (f.customer_id) f.customer_id, f.created_at, ${keyOf(g, 'f')} as key,
        (coalesce(f.first_response_breached, false) or coalesce(f.resolution_breached, false) or f.is_repeat or f.sentiment_trend = 'worsening') as troubled
      from conversation_facts f where f.workspace_id = ${ws} and f.created_at >= ${f}::timestamptz and f.created_at < ${t}::timestamptz
      order by f.customer_id, f.created_at)
    select k.key, count(*)::int as customers, count(*) filter (where lost.n = 0)::int as stayed, count(*) filter (where gained.n > 0)::int as returned,
      coalesce(sum(lost.cents), 0)::int as lost_cents, coalesce(sum(rev.cents) filter (where lost.n = 0 and k.troubled), 0)::int as risk_cents
    from k
    left join lateral (select count(*)::int as n, coalesce(sum(p.price_cents), 0)::int as cents from subscriptions s join plans p on p.workspace_id = s.workspace_id and p.id = s.plan_id
      where s.workspace_id = ${ws} and s.customer_id = k.customer_id and s.status = 'cancelled' and s.ended_at >= k.created_at and s.ended_at < k.created_at + interval '90 days') lost on true
    left join lateral (select count(*)::int as n from subscriptions s
      where s.workspace_id = ${ws} and s.customer_id = k.customer_id and s.started_at > k.created_at and s.started_at < k.created_at + interval '90 days') gained on true
    left join lateral (select coalesce(sum(p.price_cents), 0)::int as cents from subscriptions s join plans p on p.workspace_id = s.workspace_id and p.id = s.plan_id
      where s.workspace_id = ${ws} and s.customer_id = k.customer_id and s.status = 'active') rev on true
    group by 1 order by 1 nulls last`));
  return rows.map((r) => ({
    key: r.key as string | null, label: null, customers: num(r.customers), stayed: num(r.stayed), stayRate: share(r.stayed, r.customers),
    churnRate: Number(r.customers) ? 1 - Number(r.stayed) / Number(r.customers) : null, returned: num(r.returned), returnRate: share(r.returned, r.customers),
    told: null, revenueLostCents: num(r.lost_cents), revenueAtRiskCents: num(r.risk_cents),
  }));
}

/** A metric's rows as CSV (the columns of its rows, in order). */
export function metricCsv(res: { rows: Row[] }): string {
  const cols = [...new Set(res.rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => { const s = v === null || v === undefined ? '' : String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  return [cols.join(','), ...res.rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
