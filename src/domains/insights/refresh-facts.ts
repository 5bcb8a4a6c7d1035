import { sql } from 'drizzle-orm';
import { conversationFacts, slaPolicies, slaBreaches, NO_AREA } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { emit } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { textArray, rowsOf } from '../../platform/bulk.ts';
import { eq } from 'drizzle-orm';
import { loadCalendars, matchPolicy } from './sla-policies.ts';
import { computeTimer, resolutionCycles, type StatusChange } from './sla-timers.ts';
import { ALWAYS_OPEN } from './business-calendar.ts';

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : new Date(v as string).getTime());
const date = (v: number | null) => (v === null ? null : new Date(v));

const statusOfKind: Record<string, StatusChange['status']> = {
  'conversation.opened': 'open', 'conversation.reopened': 'open', 'conversation.pending': 'pending',
  'conversation.snoozed': 'snoozed', 'conversation.resolved': 'resolved', 'conversation.closed': 'closed',
};

type ConvRow = {
  id: string; customer_id: string; status: string; priority: string; channel: string; team_id: string | null; assignee_id: string | null;
  service_area_id: string | null; reason: string | null; created_at: string; first_response_at: string | null; resolved_at: string | null;
  repeat_of: string | null; reopen_count: number; sentiment: number | null; sentiment_trend: string | null;
  last_out: string | null; waiting_since: string | null; repeats_caused: number; revenue_cents: number;
};

type Breach = typeof slaBreaches.$inferInsert;

/**
 * Rewrites the facts of these conversations from what is stored now (idempotent: running it twice,
 * or on two nodes, writes the same rows), records any SLA breach it finds (once per clock and due
 * instant, announced as `sla.breached` with the supervisor it escalates to), and rebuilds the
 * hourly roll-up of the hours they started in. 
 */
export async function refreshConversationFacts(ctx: Ctx, ids: string[], now = new Date(), opts: { rollUp?: boolean } = {}): Promise<void> {
  if (!ids.length) return;
  const ws = ctx.workspaceId;
  await withTransaction(ctx, async (tx) => {
    const convs = rowsOf<ConvRow>(await tx.db.execute(sql`
      select c.id, c.customer_id, c.status, c.priority, c.channel, c.team_id, c.assignee_id, c.service_area_id, c.reason, c.created_at,
        c.first_response_at, c.resolved_at, c.repeat_of, c.reopen_count, c.sentiment, c.sentiment_trend, lo.at as last_out,
        case when c.status = 'open' then (select min(m.created_at) from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id
          and m.direction = 'in' and m.created_at > coalesce(lo.at, '-infinity'::timestamptz)) end as waiting_since,
        (select count(*)::int from conversations r where r.workspace_id = c.workspace_id and r.customer_id = c.customer_id and r.repeat_of = c.id) as repeats_caused,
        (select coalesce(sum(p.price_cents), 0)::int from subscriptions s join plans p on p.workspace_id = s.workspace_id and p.id = s.plan_id
          where s.workspace_id = c.workspace_id and s.customer_id = c.customer_id and s.status = 'active') as revenue_cents
      from conversations c
      left join lateral (select max(m.created_at) as at from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id
        and m.direction = 'out' and m.author_type in ('agent', 'bot')) lo on true
      where c.workspace_id = ${ws} and c.id = any(${textArray(ids)}::uuid[])`));
    if (!convs.length) return;
    const history = new Map<string, StatusChange[]>();
    const hist = rowsOf<{ conversation_id: string; occurred_at: string; kind: string }>(await tx.db.execute(sql`
      select conversation_id, occurred_at, kind from timeline_entries
      where workspace_id = ${ws} and customer_id = any(${textArray([...new Set(convs.map((c) => c.customer_id))])}::uuid[])
        and conversation_id = any(${textArray(convs.map((c) => c.id))}::uuid[]) and kind like 'conversation.%'
      order by occurred_at, id`));
    for (const h of hist) {
      const status = statusOfKind[h.kind];
      if (!status) continue;
      let list = history.get(h.conversation_id);
      if (!list) history.set(h.conversation_id, (list = []));
      list.push({ at: ms(h.occurred_at)!, status });
    }
    const policies = await tx.db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, ws));
    const calendars = await loadCalendars(tx.db, ws);
    const nowMs = now.getTime();
    const facts: (typeof conversationFacts.$inferInsert)[] = [];
    const breaches: Breach[] = [];

    for (const c of convs) {
      const created = ms(c.created_at)!;
      const hs = (history.get(c.id) ?? []).filter((h) => h.at >= created);
      if (!hs.length || hs[0].at > created) hs.unshift({ at: created, status: 'open' });
      // The stored status is the truth for now, whatever the timeline lacks (e.g. rows written by an import).
      if (hs.at(-1)!.status !== c.status) hs.push({ at: Math.max(hs.at(-1)!.at, nowMs), status: c.status as StatusChange['status'] });
      const cal = calendars.get(c.team_id ?? '') ?? calendars.get('') ?? ALWAYS_OPEN;
      const policy = matchPolicy(policies, c.priority, c.channel);
      const fra = ms(c.first_response_at);
      const fr = computeTimer(cal, hs, created, fra, policy?.firstResponseSeconds ?? Infinity, nowMs);
      const done = c.status === 'resolved' || c.status === 'closed';
      const cycles = resolutionCycles(hs, created).map((cy) => ({ ...cy, t: computeTimer(cal, hs, cy.start, cy.stop, policy?.resolutionSeconds ?? Infinity, nowMs) }));
      const waitingSince = ms(c.waiting_since);
      const nr = fra !== null && waitingSince !== null && waitingSince > fra && policy?.nextResponseSeconds
        ? computeTimer(cal, hs, waitingSince, null, policy.nextResponseSeconds, nowMs) : null;

      const cost = { creditCents: policy?.creditCents ?? 0, revenueAtRiskCents: c.revenue_cents };
      const breach = (kind: Breach['kind'], dueAt: number) => breaches.push({
        workspaceId: ws, id: newId(), conversationId: c.id, customerId: c.customer_id, kind, dueAt: new Date(dueAt), recordedAt: now,
        policyId: policy?.id ?? null, teamId: c.team_id, agentId: c.assignee_id, channel: c.channel, ...cost,
      });
      const hasFr = policy?.firstResponseSeconds != null;
      const hasRes = policy?.resolutionSeconds != null;
      if (hasFr && fr.breached) breach('first_response', fr.dueAt!);
      if (hasRes) for (const cy of cycles) if (cy.t.breached) breach('resolution', cy.t.dueAt!);
      if (nr?.breached) breach('next_response', nr.dueAt!);
      const openCycle = cycles.find((cy) => cy.stop === null);
      const running = (t: { dueAt: number | null; breached: boolean; stopped: boolean } | null | undefined) => (t && !t.stopped && !t.breached ? t.dueAt : null);
      const frDue = hasFr ? running(fr) : null;
      const resDue = hasRes ? running(openCycle?.t) : null;
      const nrDue = running(nr);
      const dues = [frDue, resDue, nrDue].filter((d): d is number => d !== null);
      const resBreached = hasRes ? cycles.some((cy) => cy.t.breached) : false;

      facts.push({
        workspaceId: ws, conversationId: c.id, customerId: c.customer_id, createdAt: new Date(created), status: c.status, priority: c.priority,
        channel: c.channel, teamId: c.team_id, agentId: c.assignee_id, areaId: c.service_area_id, reason: c.reason, policyId: policy?.id ?? null,
        firstResponseSeconds: fra !== null ? fr.elapsedSeconds : null,
        // null while the clock runs and is not yet due: neither met nor missed.
        firstResponseBreached: !hasFr ? null : fr.breached ? true : fr.stopped ? false : null,
        resolutionSeconds: done ? cycles.reduce((s, cy) => s + cy.t.elapsedSeconds, 0) : null,
        resolutionBreached: !hasRes ? null : resBreached ? true : done ? false : null,
        resolvedAt: done ? date(ms(c.resolved_at) ?? hs.at(-1)!.at) : null,
        firstContactResolution: done && c.reopen_count === 0 && !c.repeat_of,
        isRepeat: !!c.repeat_of, repeatsCaused: c.repeats_caused,
        sentiment: c.sentiment, sentimentTrend: c.sentiment_trend,
        waitingSince: date(waitingSince),
        firstResponseDueAt: date(frDue), nextResponseDueAt: date(nrDue), resolutionDueAt: date(resDue),
        nextDueAt: dues.length ? new Date(Math.min(...dues)) : null,
        refreshedAt: now,
      });
    }

    const set = Object.fromEntries(Object.entries(conversationFacts as unknown as Record<string, { name?: string }>)
      .filter(([k, col]) => col && typeof col === 'object' && 'name' in col && k !== 'workspaceId' && k !== 'conversationId')
      .map(([k, col]) => [k, sql.raw(`excluded.${col.name}`)]));
    await tx.db.insert(conversationFacts).values(facts).onConflictDoUpdate({ target: [conversationFacts.workspaceId, conversationFacts.conversationId], set });

    if (breaches.length) {
      // Escalation: a supervisor (or admin) of the conversation's team, else the workspace's first supervisor.
      const supervisors = rowsOf<{ team_id: string | null; id: string }>(await tx.db.execute(sql`
        select tm.team_id, a.id from agents a left join team_members tm on tm.workspace_id = a.workspace_id and tm.agent_id = a.id
        where a.workspace_id = ${ws} and a.active and a.role in ('supervisor', 'admin') order by (a.role = 'supervisor') desc, a.created_at`));
      for (const b of breaches) b.escalatedTo = (supervisors.find((s) => b.teamId && s.team_id === b.teamId) ?? supervisors[0])?.id ?? null;
      const fresh = await tx.db.insert(slaBreaches).values(breaches).onConflictDoNothing().returning();
      for (const b of fresh) {
        // A breach found in history (a catch-up, the demo seed) is recorded with its cost and owner but not announced.
        if (b.dueAt.getTime() < nowMs - ANNOUNCE_WITHIN_MS) continue;
        emit(tx, 'sla.breached', {
          customerId: b.customerId, conversationId: b.conversationId,
          data: { breachId: b.id, kind: b.kind, dueAt: b.dueAt.toISOString(), escalatedTo: b.escalatedTo, creditCents: b.creditCents, revenueAtRiskCents: b.revenueAtRiskCents },
        });
      }
    }
    if (opts.rollUp !== false) await rollUpHours(tx, [...new Set(facts.map((f) => hourOf(f.createdAt)))]);
    emit(tx, 'insights.changed', { data: { conversations: facts.length } });
  });
}

/** Breaches due longer ago than this when found are history: recorded, not escalated. */
const ANNOUNCE_WITHIN_MS = 3_600_000;

export const hourOf = (d: Date) => Math.floor(d.getTime() / 3_600_000) * 3_600_000;

/** What a roll-up row sums, as SQL over conversation_facts (shared by the incremental path and the full rebuild). */
export const rollupSelect = sql.raw(`
  select workspace_id, to_timestamp(floor(extract(epoch from created_at) / 3600) * 3600) as hour, channel,
    coalesce(team_id, '${NO_AREA}'), coalesce(agent_id, '${NO_AREA}'), coalesce(area_id, '${NO_AREA}'), coalesce(reason, ''),
    count(*)::int, count(first_response_seconds)::int, count(*) filter (where first_response_seconds is not null and first_response_breached is not true)::int,
    count(resolution_seconds)::int, count(*) filter (where resolution_seconds is not null and resolution_breached is not true)::int,
    count(*) filter (where first_response_breached is not null or resolution_breached is not null)::int,
    count(*) filter (where (first_response_breached is not null or resolution_breached is not null) and first_response_breached is not true and resolution_breached is not true)::int,
    count(*) filter (where first_contact_resolution)::int, count(*) filter (where is_repeat)::int, coalesce(sum(repeats_caused), 0)::int,
    coalesce(sum(sentiment), 0)::real, count(sentiment)::int, count(*) filter (where sentiment_trend = 'worsening')::int
  from conversation_facts`);
const rollupGroup = sql.raw(' group by 1, 2, 3, 4, 5, 6, 7');

/** Rebuilds the roll-up rows of these hours (ms since the epoch) from the facts, in two statements. */
async function rollUpHours(ctx: Ctx, hours: number[]): Promise<void> {
  if (!hours.length) return;
  const list = textArray(hours.map((h) => new Date(h).toISOString()));
  const from = new Date(Math.min(...hours)).toISOString();
  const to = new Date(Math.max(...hours) + 3_600_000).toISOString();
  await ctx.db.execute(sql`delete from insights_hourly where workspace_id = ${ctx.workspaceId} and hour = any(${list}::timestamptz[])`);
  await ctx.db.execute(sql`insert into insights_hourly ${rollupSelect} where workspace_id = ${ctx.workspaceId} and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
    and to_timestamp(floor(extract(epoch from created_at) / 3600) * 3600) = any(${list}::timestamptz[]) ${rollupGroup}`);
}

/**
 * The full scan: facts of every conversation of the workspace recomputed, and the whole roll-up
 * rebuilt from them (an admin's repair, the demo seed, and the proof in the tests that the
 * incremental path equals it).
 */
export async function rebuildInsights(ctx: Ctx, now = new Date(), batch = 500): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let n = 0;
  for (;;) {
    const ids = rowsOf<{ id: string }>(await ctx.db.execute(sql`select id from conversations where workspace_id = ${ctx.workspaceId} and id > ${after}::uuid order by id limit ${batch}`)).map((r) => r.id);
    if (!ids.length) break;
    await refreshConversationFacts(ctx, ids, now, { rollUp: false });
    n += ids.length;
    after = ids.at(-1)!;
  }
  await withTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`delete from insights_hourly where workspace_id = ${ctx.workspaceId}`);
    await tx.db.execute(sql`insert into insights_hourly ${rollupSelect} where workspace_id = ${ctx.workspaceId} ${rollupGroup}`);
  });
  return n;
}
