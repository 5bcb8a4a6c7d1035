import { isGroup } from './components.ts';
import type { PageComponent, PageIncident, StatusPageData } from './page-data.ts';

/**
 * Atlassian Statuspage's public v2 API, field for field (https://<page>/api: summary, status,
 * components, incidents, incidents/unresolved, scheduled-maintenances and its upcoming/active
 * views), so widgets and clients written for Statuspage read a Candor page unchanged. The
 * schema it is tested against is test/support/statuspage-v2-schema.ts.
 */
const iso = (d: Date | number | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());

export type V2Files = Record<string, unknown>;

const indicatorOf = (impact: string) => (impact === 'critical' ? 'critical' : impact === 'major' ? 'major' : impact === 'minor' ? 'minor' : 'none');
const rank = { none: 0, minor: 1, major: 2, critical: 3 } as const;

/** The page's overall indicator and its words, as Statuspage words them. */
export function pageStatus(d: StatusPageData): { indicator: 'none' | 'minor' | 'major' | 'critical'; description: string } {
  const open = d.incidents.filter((i) => !i.resolvedAt);
  let indicator: keyof typeof rank = 'none';
  for (const i of open) { const x = indicatorOf(i.impact); if (rank[x] > rank[indicator]) indicator = x; }
  const comps = d.components.filter((c) => !isGroup(c));
  if (indicator === 'none' && comps.some((c) => c.status !== 'operational' && c.status !== 'under_maintenance')) indicator = 'minor';
  const words = {
    none: comps.some((c) => c.status === 'under_maintenance') ? 'Service Under Maintenance' : 'All Systems Operational',
    minor: 'Minor Service Outage', major: 'Partial System Outage', critical: 'Major System Outage',
  };
  return { indicator, description: words[indicator] };
}

export function buildStatuspageV2(d: StatusPageData, baseUrl: string): V2Files {
  const pageId = d.workspace.id;
  const page = { id: pageId, name: d.workspace.name, url: baseUrl, time_zone: d.workspace.timezone, updated_at: iso(d.updatedAt) };
  const byId = new Map(d.components.map((c) => [c.id, c]));
  const component = (c: PageComponent) => ({
    id: c.id, name: c.name, status: c.status, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt), position: c.position,
    description: c.description, showcase: !isGroup(c), start_date: iso(c.createdAt)!.slice(0, 10), group_id: c.groupId, page_id: pageId,
    group: isGroup(c), only_show_if_degraded: false, ...(isGroup(c) ? { components: c.children } : {}),
  });
  const components = d.components.map(component);
  const update = (i: PageIncident) => i.updates.map((u) => ({
    id: u.id, status: u.status, body: u.body, incident_id: i.id, created_at: iso(u.createdAt), updated_at: iso(u.createdAt), display_at: iso(u.displayAt),
    affected_components: u.affectedComponents ?? null, deliver_notifications: u.notify, custom_tweet: null, tweet_id: null,
  }));
  const incident = (i: PageIncident) => ({
    id: i.id, name: i.name, status: i.kind === 'maintenance' ? i.effective : i.status,
    created_at: iso(i.createdAt), updated_at: iso(i.updatedAt), monitoring_at: iso(i.monitoringAt), resolved_at: iso(i.resolvedAt ?? (i.effective === 'completed' ? i.scheduledUntil : null)),
    impact: i.impact, shortlink: `${baseUrl}#incident-${i.id}`, started_at: iso(i.startedAt), page_id: pageId,
    incident_updates: update(i),
    components: i.componentIds.map((id) => byId.get(id)).filter((c): c is PageComponent => !!c).map(component),
    ...(i.kind === 'maintenance' ? { scheduled_for: iso(i.scheduledFor), scheduled_until: iso(i.scheduledUntil) } : {}),
  });
  const incidents = d.incidents.slice(0, 50).map(incident);
  const unresolved = d.incidents.filter((i) => !i.resolvedAt).map(incident);
  const maint = d.maintenances.map(incident);
  const upcoming = d.maintenances.filter((m) => m.effective === 'scheduled').map(incident);
  const active = d.maintenances.filter((m) => m.effective === 'in_progress' || m.effective === 'verifying').map(incident);
  const status = pageStatus(d);
  return {
    'summary.json': { page, components, incidents: unresolved, scheduled_maintenances: [...active, ...upcoming], status },
    'status.json': { page, status },
    'components.json': { page, components },
    'incidents.json': { page, incidents },
    'incidents/unresolved.json': { page, incidents: unresolved },
    'scheduled-maintenances.json': { page, scheduled_maintenances: maint.slice(0, 50) },
    'scheduled-maintenances/upcoming.json': { page, scheduled_maintenances: upcoming },
    'scheduled-maintenances/active.json': { page, scheduled_maintenances: active },
  };
}
