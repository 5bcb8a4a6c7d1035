import { and, asc, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  incidents, incidentComponents, incidentUpdates, networkUpgrades, serviceAreas, statusStatements, workspaces,
  type AffectedComponent, type ComponentStatus,
} from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { notFound } from '../../platform/errors.ts';
import { syncComponents, isGroup, type ComponentRow } from './components.ts';
import { componentStates, effectiveStatus, worse } from './component-states.ts';
import { statusSettings } from './settings.ts';
import { dailyBars, monthlyUptime, uptimeOver, localDate, localMidnight, type DayBar, type UptimeWindow } from './uptime.ts';
import type { IncidentRow, UpdateRow } from './views.ts';
import type { StatusSettingsView } from './status.schemas.ts';
import { rowsOf } from '../../platform/bulk.ts';

const DAY = 86_400_000;

export type PageIncident = IncidentRow & { effective: IncidentRow['status']; updates: UpdateRow[]; componentIds: string[] };
export type PageComponent = ComponentRow & {
  status: ComponentStatus; bars: DayBar[]; uptime90: number | null; months: { month: string; uptime: number | null; downMinutes: number }[];
  children: string[];
};
export type DeskRecord = { channel: string; conversations: number; firstResponseMedianMin: number | null; resolutionMedianMin: number | null };
export type StatusPageData = {
  workspace: { id: string; slug: string; name: string; timezone: string };
  settings: StatusSettingsView;
  now: number;
  updatedAt: number;
  components: PageComponent[];
  incidents: PageIncident[];
  maintenances: PageIncident[];
  reliability: { month: string; incidents: number; mttaMinutes: number | null; mttrMinutes: number | null }[];
  desk: DeskRecord[];
  roadmap: { id: string; area: string; title: string; description: string; status: 'planned' | 'in_progress' | 'done'; plannedFor: string | null; doneAt: string | null }[];
  statements: { key: string; title: string; bodyMd: string }[];
};

/** Component → its state over time within one incident, from the update history (affected_components). */
function windowsOf(inc: PageIncident, comps: Map<string, ComponentStatus>, now: number): Map<string, UptimeWindow[]> {
  const out = new Map<string, UptimeWindow[]>();
  if (inc.kind === 'maintenance') {
    const s = inc.scheduledFor?.getTime() ?? inc.startedAt.getTime();
    if (s > now || inc.effective === 'scheduled') return out;
    const e = inc.resolvedAt?.getTime() ?? inc.scheduledUntil?.getTime() ?? null;
    for (const id of inc.componentIds) out.set(id, [{ start: s, end: e, status: 'under_maintenance' }]);
    return out;
  }
  const end = inc.resolvedAt?.getTime() ?? null;
  const history = [...inc.updates].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const id of inc.componentIds) {
    let status: ComponentStatus = comps.get(id) ?? 'major_outage';
    const first = history.find((u) => u.affectedComponents?.some((c) => c.code === id));
    if (first) status = first.affectedComponents!.find((c) => c.code === id)!.new_status;
    let from = inc.startedAt.getTime();
    const list: UptimeWindow[] = [];
    for (const u of history) {
      const change = (u.affectedComponents as AffectedComponent[] | null)?.find((c) => c.code === id);
      if (!change || u === first || change.new_status === status) continue;
      const t = u.createdAt.getTime();
      if (change.new_status === 'operational') break;
      list.push({ start: from, end: t, status });
      from = t; status = change.new_status;
    }
    list.push({ start: from, end, status });
    out.set(id, list);
  }
  return out;
}

/**
 * Everything the public page and the Statuspage-compatible JSON show for a workspace, read in a
 * handful of queries: components with state and 90-day bars, incidents and maintenance of the
 * window with their updates, MTTA/MTTR per month, the desk's own record, roadmap, statements.
 */
export async function loadStatusPageData(ctx: Ctx, nowDate = new Date()): Promise<StatusPageData> {
  const ws = ctx.workspaceId;
  const now = nowDate.getTime();
  const [w] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ws));
  if (!w) throw notFound('Workspace');
  const tz = w.settings.timezone ?? 'UTC';
  const settings = await statusSettings(ctx);
  const components = await syncComponents(ctx);
  const states = await componentStates(ctx, nowDate);
  const since = new Date(now - 92 * DAY);
  const rows = await ctx.db.select().from(incidents).where(and(eq(incidents.workspaceId, ws), eq(incidents.published, true),
    or(gte(incidents.startedAt, since), isNull(incidents.resolvedAt), gte(incidents.scheduledFor, since)))).orderBy(desc(incidents.startedAt), desc(incidents.id));
  const ids = rows.map((r) => r.id);
  const [updates, links] = ids.length ? await Promise.all([
    ctx.db.select().from(incidentUpdates).where(and(eq(incidentUpdates.workspaceId, ws), inArray(incidentUpdates.incidentId, ids))).orderBy(desc(incidentUpdates.createdAt), desc(incidentUpdates.id)),
    ctx.db.select().from(incidentComponents).where(and(eq(incidentComponents.workspaceId, ws), inArray(incidentComponents.incidentId, ids))),
  ]) : [[], []];
  const all: PageIncident[] = rows.map((r) => ({
    ...r, effective: effectiveStatus(r, nowDate), updates: updates.filter((u) => u.incidentId === r.id), componentIds: links.filter((l) => l.incidentId === r.id).map((l) => l.componentId),
  }));
  const linkStatus = new Map(links.map((l) => [`${l.incidentId}|${l.componentId}`, l.status]));

  const windows = new Map<string, UptimeWindow[]>();
  for (const inc of all) {
    const per = windowsOf(inc, new Map(inc.componentIds.map((c) => [c, linkStatus.get(`${inc.id}|${c}`)!])), now);
    for (const [c, list] of per) windows.set(c, [...(windows.get(c) ?? []), ...list]);
  }
  const from90 = localMidnight(localDate(now, tz).y, localDate(now, tz).m, localDate(now, tz).d - 89, tz);
  const pageComponents: PageComponent[] = components.map((c) => {
    const list = windows.get(c.id) ?? [];
    const observed = c.createdAt.getTime();
    return {
      ...c, status: states.get(c.id) ?? 'operational', children: [],
      bars: isGroup(c) ? [] : dailyBars(list, settings, observed, now, tz, 90),
      uptime90: isGroup(c) ? null : uptimeOver(from90, now, list, settings, observed, now).uptime,
      months: isGroup(c) ? [] : monthlyUptime(list, settings, observed, now, tz, 3),
    };
  });
  for (const g of pageComponents.filter(isGroup)) {
    const kids = pageComponents.filter((c) => c.groupId === g.id);
    g.children = kids.map((k) => k.id);
    g.status = kids.reduce<ComponentStatus>((m, k) => worse(m, k.status), 'operational');
  }

  const reliability = monthlyReliability(all.filter((i) => i.kind === 'incident'), now, tz);
  const [desk, roadmap, statements] = await Promise.all([deskRecord(ctx, now), loadRoadmap(ctx), loadStatements(ctx)]);
  const updatedAt = Math.max(0, ...rows.map((r) => r.updatedAt.getTime()), ...components.map((c) => c.updatedAt.getTime()));
  return {
    workspace: { id: w.id, slug: w.slug, name: w.name, timezone: tz }, settings, now, updatedAt: updatedAt || now,
    components: pageComponents, incidents: all.filter((i) => i.kind === 'incident'), maintenances: all.filter((i) => i.kind === 'maintenance'),
    reliability, desk, roadmap, statements,
  };
}

/** Mean time to acknowledge (start → first update past investigating) and to resolve, per local month of the start. */
export function monthlyReliability(list: Pick<IncidentRow, 'startedAt' | 'acknowledgedAt' | 'resolvedAt'>[], now: number, tz: string, months = 3) {
  const t = localDate(now, tz);
  const out: { month: string; incidents: number; mttaMinutes: number | null; mttrMinutes: number | null }[] = [];
  const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  for (let k = months - 1; k >= 0; k--) {
    const [a, b] = [localMidnight(t.y, t.m - k, 1, tz), localMidnight(t.y, t.m - k + 1, 1, tz)];
    const inMonth = list.filter((i) => i.startedAt.getTime() >= a && i.startedAt.getTime() < b);
    const l = localDate(a + 12 * 3_600_000, tz);
    out.push({
      month: `${l.y}-${String(l.m + 1).padStart(2, '0')}`, incidents: inMonth.length,
      mttaMinutes: mean(inMonth.filter((i) => i.acknowledgedAt).map((i) => (i.acknowledgedAt!.getTime() - i.startedAt.getTime()) / 60_000)),
      mttrMinutes: mean(inMonth.filter((i) => i.resolvedAt).map((i) => (i.resolvedAt!.getTime() - i.startedAt.getTime()) / 60_000)),
    });
  }
  return out;
}

/** The support desk's own record over the last 30 days: median first response and resolution per channel (wall-clock minutes). */
export async function deskRecord(ctx: Ctx, now: number): Promise<DeskRecord[]> {
  const since = new Date(now - 30 * DAY).toISOString();
  const rows = rowsOf<Record<string, any>>(await ctx.db.execute(sql`
    select channel, count(*)::int as n,
      percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at)) filter (where first_response_at is not null) as frt,
      percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)) filter (where resolved_at is not null) as res
    from conversations where workspace_id = ${ctx.workspaceId} and created_at >= ${since}::timestamptz and not ('incident-notice' = any(tags))
    group by channel order by count(*) desc`));
  const min = (s: unknown) => (s === null || s === undefined ? null : Math.round(Number(s) / 60));
  return rows.map((r) => ({ channel: r.channel, conversations: Number(r.n), firstResponseMedianMin: min(r.frt), resolutionMedianMin: min(r.res) }));
}

async function loadRoadmap(ctx: Ctx) {
  const rows = await ctx.db.select({ u: networkUpgrades, area: serviceAreas.name }).from(networkUpgrades)
    .innerJoin(serviceAreas, and(eq(serviceAreas.workspaceId, networkUpgrades.workspaceId), eq(serviceAreas.id, networkUpgrades.serviceAreaId)))
    .where(eq(networkUpgrades.workspaceId, ctx.workspaceId)).orderBy(asc(serviceAreas.name), asc(networkUpgrades.plannedFor));
  const day = (d: unknown) => (d ? String(d instanceof Date ? d.toISOString() : d).slice(0, 10) : null);
  return rows.map(({ u, area }) => ({ id: u.id, area, title: u.title, description: u.description, status: u.status, plannedFor: day(u.plannedFor), doneAt: day(u.doneAt) }));
}

async function loadStatements(ctx: Ctx) {
  const rows = await ctx.db.select().from(statusStatements).where(eq(statusStatements.workspaceId, ctx.workspaceId)).orderBy(asc(statusStatements.position), asc(statusStatements.key));
  return rows.map((s) => ({ key: s.key, title: s.title, bodyMd: s.bodyMd }));
}
