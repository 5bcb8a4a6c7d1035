import { z } from 'zod';

// Atlassian Statuspage's public v2 API (https://<any page>/api, e.g. status.atlassian.com/api and
// the sample responses it documents), written as strict zod schemas: every field named there, with
// its type and enum, and nothing else. `.strict()` fails on an unknown field; every field is
// required (nullable where Statuspage sends null).

const ts = z.string().datetime({ offset: true });
const nts = ts.nullable();
export const componentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);
export const incidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']);
export const maintenanceStatus = z.enum(['scheduled', 'in_progress', 'verifying', 'completed']);

export const Page = z.object({ id: z.string(), name: z.string(), url: z.string().url(), time_zone: z.string(), updated_at: ts }).strict();
export const Status = z.object({ indicator: z.enum(['none', 'minor', 'major', 'critical']), description: z.string() }).strict();

export const Component = z.object({
  id: z.string(), name: z.string(), status: componentStatus, created_at: ts, updated_at: ts, position: z.number().int(),
  description: z.string().nullable(), showcase: z.boolean(), start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  group_id: z.string().nullable(), page_id: z.string(), group: z.boolean(), only_show_if_degraded: z.boolean(),
  /** Only on group components: the ids of their children. */
  components: z.array(z.string()).optional(),
}).strict();

export const AffectedComponent = z.object({ code: z.string(), name: z.string(), old_status: componentStatus, new_status: componentStatus }).strict();

const update = (status: z.ZodTypeAny) => z.object({
  id: z.string(), status, body: z.string(), incident_id: z.string(), created_at: ts, updated_at: ts, display_at: ts,
  affected_components: z.array(AffectedComponent).nullable(), deliver_notifications: z.boolean(), custom_tweet: z.string().nullable(), tweet_id: z.string().nullable(),
}).strict();

const base = {
  id: z.string(), name: z.string(), created_at: ts, updated_at: ts, monitoring_at: nts, resolved_at: nts,
  shortlink: z.string().url(), started_at: ts, page_id: z.string(), components: z.array(Component),
};
export const Incident = z.object({ ...base, status: incidentStatus, impact: z.enum(['none', 'minor', 'major', 'critical']), incident_updates: z.array(update(incidentStatus)) }).strict();
export const ScheduledMaintenance = z.object({
  ...base, status: maintenanceStatus, impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']), incident_updates: z.array(update(maintenanceStatus)),
  scheduled_for: ts, scheduled_until: ts,
}).strict();

export const v2 = {
  'summary.json': z.object({ page: Page, components: z.array(Component), incidents: z.array(Incident), scheduled_maintenances: z.array(ScheduledMaintenance), status: Status }).strict(),
  'status.json': z.object({ page: Page, status: Status }).strict(),
  'components.json': z.object({ page: Page, components: z.array(Component) }).strict(),
  'incidents.json': z.object({ page: Page, incidents: z.array(Incident) }).strict(),
  'incidents/unresolved.json': z.object({ page: Page, incidents: z.array(Incident) }).strict(),
  'scheduled-maintenances.json': z.object({ page: Page, scheduled_maintenances: z.array(ScheduledMaintenance) }).strict(),
  'scheduled-maintenances/upcoming.json': z.object({ page: Page, scheduled_maintenances: z.array(ScheduledMaintenance) }).strict(),
  'scheduled-maintenances/active.json': z.object({ page: Page, scheduled_maintenances: z.array(ScheduledMaintenance) }).strict(),
} as const;
