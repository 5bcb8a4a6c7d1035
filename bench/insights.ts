import type { Platform } from '../src/platform/platform.ts';
import { actorCtx, type Ctx } from '../src/platform/ctx.ts';
import { getInsightsMetric, getInsightsNow, upsertSlaPolicy } from '../src/domains/insights/index.ts';
import { createAgent, createTeam } from '../src/domains/workspaces/index.ts';
import { fig, fmtInt, percentile, progress, type Figure } from './report.ts';
import { benchWorkspace } from './workspace.ts';

const RUNS = 40;
const WARMUP = 5;
const TARGET_MS = 50;
const DAY = 86_400_000;

/**
 * The dashboards at scale: a workspace with `conversations` conversations over a year (rows and
 * their facts written in bulk by generate_series, 10 per customer, 30 % with an SLA breach), the
 * hourly roll-up built from them by the same SQL the incremental path uses, ANALYZE; then every
 * dashboard query through its verb over the last 30 days. As in a real inbox, only the last week's
 * conversations are still open or pending. Loading stops at `capSeconds` (the size
 * reached is printed).
 */
export async function measureInsights(app: Platform, conversations: number, capSeconds: number): Promise<Figure[]> {
  const w = await benchWorkspace(app, 'insights');
  const q = (text: string, params: unknown[] = []) => app.database.query(text, params);
  await upsertSlaPolicy({ ctx: w.ctx, input: { name: 'Standard', firstResponseSeconds: 7200, resolutionSeconds: 86_400 } });
  const teams = [];
  for (const name of ['One', 'Two', 'Three', 'Four']) teams.push((await createTeam({ ctx: w.ctx, input: { name } })).id);
  const agent = (await createAgent({ ctx: w.ctx, input: { email: `sup@${w.slug}.test`, name: 'Supervisor', role: 'supervisor', password: 'bench-password' } })).id;
  const now = Date.now();
  const t0 = performance.now();
  const chunk = 50_000;
  let loaded = 0;
  progress(`insights: loading up to ${fmtInt(conversations)} conversations with their facts (cap ${capSeconds} s)`);
  await q(`insert into plans (workspace_id, id, code, name, price_cents, currency, download_mbps, upload_mbps) values ($1, gen_random_uuid(), 'b', 'b', 4500, 'EUR', 100, 100)`, [w.id]);
  const teamArr = `{${teams.join(',')}}`;
  while (loaded < conversations && (performance.now() - t0) / 1000 < capSeconds) {
    const n = Math.min(chunk, conversations - loaded);
    // Deterministic pseudo-random columns from the row number (hashes, not random()): the same data every run.
    const params = [w.id, loaded, n, now - 365 * DAY, 365 * DAY, teamArr, agent];
    await q(`insert into customers (workspace_id, id, name, created_at, updated_at)
      select $1, ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'c' || g, now(), now() from generate_series($2::int / 10, ($2::int + $3::int) / 10 - 1) g
      on conflict do nothing`, params.slice(0, 3));
    await q(`insert into subscriptions (workspace_id, id, customer_id, plan_id, service_area_id, address, status, started_at, ended_at)
      select $1, ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
        (select id from plans where workspace_id = $1 limit 1), '00000000-0000-0000-0000-000000000000', 'x',
        case when g % 20 = 0 then 'cancelled' else 'active' end, now() - interval '2 years', case when g % 20 = 0 then now() - interval '30 days' end
      from generate_series($2::int / 10, ($2::int + $3::int) / 10 - 1) g on conflict do nothing`, params.slice(0, 3));
    await q(`with g as (select i, abs(hashint4(i)) as h, to_timestamp(($4::bigint + (abs(hashint4(i * 7)) % $5::bigint)) / 1000.0) as at from generate_series($2::int, $2::int + $3::int - 1) i)
      insert into conversations (workspace_id, id, number, customer_id, status, priority, channel, team_id, assignee_id, created_at, last_message_at, updated_at)
      select $1, ('00000000-0000-7000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, i + 1, ('00000000-0000-7000-8000-' || lpad(to_hex(i / 10), 12, '0'))::uuid,
        case when at > now() - interval '7 days' then (array['open','pending','resolved','closed','closed'])[1 + h % 5] else (array['resolved','closed'])[1 + h % 2] end,
        'normal', (array['email','chat','sms','whatsapp'])[1 + (h / 5) % 4], ($6::uuid[])[1 + (h / 20) % 4], $7::uuid, at, at, at from g`, params);
    await q(`with g as (select i, abs(hashint4(i)) as h, to_timestamp(($4::bigint + (abs(hashint4(i * 7)) % $5::bigint)) / 1000.0) as at from generate_series($2::int, $2::int + $3::int - 1) i)
      insert into conversation_facts (workspace_id, conversation_id, customer_id, created_at, status, priority, channel, team_id, agent_id, reason, policy_id,
        first_response_seconds, first_response_breached, resolution_seconds, resolution_breached, resolved_at, first_contact_resolution, is_repeat, repeats_caused,
        sentiment, sentiment_trend, waiting_since, next_due_at, refreshed_at)
      select $1, ('00000000-0000-7000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-7000-8000-' || lpad(to_hex(i / 10), 12, '0'))::uuid, at,
        case when at > now() - interval '7 days' then (array['open','pending','resolved','closed','closed'])[1 + h % 5] else (array['resolved','closed'])[1 + h % 2] end,
        'normal', (array['email','chat','sms','whatsapp'])[1 + (h / 5) % 4], ($6::uuid[])[1 + (h / 20) % 4], $7::uuid, (array['billing','outage','speed','move','cancel','router'])[1 + (h / 80) % 6], null,
        60 + h % 14400, h % 10 < 3, case when h % 5 >= 2 then 600 + h % 172800 end, case when h % 5 >= 2 then h % 10 < 3 end,
        case when h % 5 >= 2 then at + interval '1 day' end, h % 5 >= 2 and h % 7 <> 0, h % 7 = 0, (h / 7) % 2,
        ((h % 200) - 100) / 100.0, (array['improving','worsening','steady'])[1 + (h / 3) % 3],
        case when h % 5 = 0 and at > now() - interval '2 days' then at end, case when h % 5 = 0 and at > now() - interval '2 days' then at + interval '2 hours' end, now() from g`, params);
    loaded += n;
  }
  const loadS = (performance.now() - t0) / 1000;
  progress(`insights: ${fmtInt(loaded)} conversations in ${loadS.toFixed(1)} s; building the hourly roll-up`);
  const { rollupSelect } = await import('../src/domains/insights/refresh-facts.ts');
  const { sql } = await import('drizzle-orm');
  await app.db.execute(sql`insert into insights_hourly ${rollupSelect} where workspace_id = ${w.id} group by 1, 2, 3, 4, 5, 6, 7`);
  await q('analyze conversations, conversation_facts, insights_hourly, subscriptions, customers');
  const [{ n: hourly }] = await q(`select count(*)::int as n from insights_hourly where workspace_id = $1`, [w.id]) as { n: number }[];

  const ctx: Ctx = actorCtx(app, w.id, { type: 'agent', id: agent, role: 'supervisor' });
  const period = { from: new Date(now - 30 * DAY).toISOString(), to: new Date(now).toISOString() };
  const queries: [string, () => Promise<unknown>][] = [
    ['now', () => getInsightsNow({ ctx })],
    ...(['first_response_time', 'resolution_time', 'sla_attainment', 'repeat_contact_rate', 'first_contact_resolution', 'contacts_per_1000_customers', 'sentiment_trend', 'rising_reasons', 'csat', 'outcomes'] as const)
      .flatMap((m) => [[m, () => getInsightsMetric({ ctx, metric: m, input: period })], [`${m} by team`, () => getInsightsMetric({ ctx, metric: m, input: { ...period, groupBy: 'team' } })]] as [string, () => Promise<unknown>][]),
  ];
  const size = `${fmtInt(loaded)} convs${loaded < conversations ? ` (of ${fmtInt(conversations)}: load capped at ${capSeconds} s)` : ''}, ${fmtInt(hourly)} roll-up rows`;
  const figures: Figure[] = [fig('insights.load', loadS, 's', `bulk load of ${size} (conversations, facts, customers, subscriptions)`)];
  for (const [name, f] of queries) {
    if (/ by team$/.test(name) && !/first_response|outcomes|sla/.test(name)) continue; // the roll-up metrics group the same way; three are enough
    for (let i = 0; i < WARMUP; i++) await f();
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) { const t = performance.now(); await f(); xs.push(performance.now() - t); }
    figures.push(fig(`insights.${name.replace(/ by team$/, '.by-team')}.p95`, percentile(xs, 95), 'ms', `${name} over the last 30 days, ${size}; p50 ${percentile(xs, 50).toFixed(1)} ms, ${RUNS} runs, target p95 < ${TARGET_MS} ms`));
  }
  return figures;
}
