import { pgTable, uuid, text, jsonb, timestamp, integer, boolean, real, date, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const componentStatuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof componentStatuses)[number];
export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
export const maintenanceStatuses = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number] | (typeof maintenanceStatuses)[number];
export const impacts = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;
export type Impact = (typeof impacts)[number];

/** The status page's settings of a workspace (one row; defaults when there is none). */
export type StatusSettings = {
  /** The services every area has; components are services × service areas. */
  services: string[];
  slaTargetPercent: number;
  /** Degraded performance counts as up (weight 0) unless false; then it weighs `degradedWeight`. */
  degradedCountsAsUp: boolean;
  degradedWeight: number;
  /** Maintenance windows are left out of uptime (neither up nor down) unless false; then they count as down. */
  maintenanceExcluded: boolean;
  /** Customers are not messaged between these local times (their timezone, else the workspace's) … */
  quietHours: { start: string; end: string } | null;
  /** … except for a critical incident, when this is true. */
  criticalOverridesQuietHours: boolean;
  /** Credits after resolution: `dayFeesPerStartedHours` hours down (started) earn one day's fee. */
  credits: { enabled: boolean; mode: 'apply' | 'propose'; perStartedHours: number; minImpact: 'major' | 'critical' };
  /** Outage detection from contact reasons (docs/ARCHITECTURE.md, "Outage detection"). */
  detection: { enabled: boolean; reasons: string[]; windowMinutes: number; weeks: number; minCount: number; minIncrease: number; factor: number; madK: number; cooldownMinutes: number };
};

/** Per workspace: the page's settings and the public part of its identity. */
export const statusPages = pgTable('status_pages', {
  workspaceId: uuid('workspace_id').notNull(),
  settings: jsonb('settings').$type<Partial<StatusSettings>>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId] })]);

/**
 * What the page shows a state for: a group per service, and one component per service × service
 * area under it. `created_at` is when the component began to be observed (uptime before it is "no data").
 */
export const statusComponents = pgTable('status_components', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  service: text('service').notNull(),
  /** NO_AREA for the service's group row. */
  serviceAreaId: uuid('service_area_id').notNull(),
  groupId: uuid('group_id'),
  name: text('name').notNull(),
  description: text('description'),
  position: integer('position').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('status_components_uq').on(t.workspaceId, t.service, t.serviceAreaId),
]);

/**
 * Incidents and scheduled maintenance (kind), as Statuspage keeps them: one row with its status,
 * impact and timestamps; the story is in incident_updates. Unpublished rows are suspected
 * incidents a supervisor has not published (or dismissed) yet.
 */
export const incidents = pgTable('incidents', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  kind: text('kind').$type<'incident' | 'maintenance'>().notNull(),
  name: text('name').notNull(),
  status: text('status').$type<IncidentStatus>().notNull(),
  impact: text('impact').$type<Impact>().notNull(),
  published: boolean('published').notNull().default(true),
  source: text('source').$type<'manual' | 'detected'>().notNull().default('manual'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  /** First update past "investigating" (identified or later): mean time to acknowledge. */
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  monitoringAt: timestamp('monitoring_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
  scheduledUntil: timestamp('scheduled_until', { withTimezone: true }),
  creditedCents: integer('credited_cents').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  index('incidents_open_idx').on(t.workspaceId, t.kind, t.resolvedAt),
  index('incidents_started_idx').on(t.workspaceId, t.startedAt),
]);

/** The components an incident affects and the state it puts each in. */
export const incidentComponents = pgTable('incident_components', {
  workspaceId: uuid('workspace_id').notNull(),
  incidentId: uuid('incident_id').notNull(),
  componentId: uuid('component_id').notNull(),
  status: text('status').$type<ComponentStatus>().notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.incidentId, t.componentId] })]);

export type AffectedComponent = { code: string; name: string; old_status: ComponentStatus; new_status: ComponentStatus };

export const incidentUpdates = pgTable('incident_updates', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  incidentId: uuid('incident_id').notNull(),
  status: text('status').$type<IncidentStatus>().notNull(),
  body: text('body').notNull(),
  affectedComponents: jsonb('affected_components').$type<AffectedComponent[] | null>(),
  notify: boolean('notify').notNull().default(true),
  authorId: text('author_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  displayAt: timestamp('display_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('incident_updates_incident_idx').on(t.workspaceId, t.incidentId, t.createdAt)]);

/**
 * One notice per customer and update: the unique key is what makes a retried fan-out harmless.
 * `message_id` is the outbound message that carries it (its delivery state is the notice's).
 */
export const incidentNotices = pgTable('incident_notices', {
  workspaceId: uuid('workspace_id').notNull(),
  updateId: uuid('update_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  incidentId: uuid('incident_id').notNull(),
  channel: text('channel'),
  messageId: uuid('message_id'),
  /** queued | skipped (no consent, no way to reach) — delivery states come from the message. */
  state: text('state').$type<'queued' | 'skipped'>().notNull(),
  reason: text('reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.updateId, t.customerId] }),
  index('incident_notices_incident_idx').on(t.workspaceId, t.incidentId),
]);

/** Conversations started during an incident by customers it affects: linked, and answered with its state. */
export const incidentContacts = pgTable('incident_contacts', {
  workspaceId: uuid('workspace_id').notNull(),
  incidentId: uuid('incident_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  answerId: uuid('answer_id'),
  linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.incidentId, t.conversationId] })]);

/** Credits owed after an incident, per affected subscription: applied at once or proposed for approval. */
export const incidentCredits = pgTable('incident_credits', {
  workspaceId: uuid('workspace_id').notNull(),
  incidentId: uuid('incident_id').notNull(),
  subscriptionId: uuid('subscription_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: text('currency').notNull(),
  hoursDown: real('hours_down').notNull(),
  status: text('status').$type<'proposed' | 'applied' | 'rejected'>().notNull(),
  decidedBy: text('decided_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.incidentId, t.subscriptionId] }),
  index('incident_credits_customer_idx').on(t.workspaceId, t.customerId),
]);

export type SuspicionEvidence = {
  windowStart: string; windowEnd: string; observed: number; baselineMedian: number; baselineMad: number; threshold: number;
  samples: number[]; reasons: string[]; messages: { conversationId: string; text: string; at: string }[];
};

/** A burst of connectivity contacts from one area, raised by detection; published, dismissed or still open. */
export const outageSuspicions = pgTable('outage_suspicions', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  serviceAreaId: uuid('service_area_id').notNull(),
  status: text('status').$type<'open' | 'published' | 'dismissed'>().notNull(),
  evidence: jsonb('evidence').$type<SuspicionEvidence>().notNull(),
  incidentId: uuid('incident_id'),
  detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: text('decided_by'),
  note: text('note'),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  index('outage_suspicions_area_idx').on(t.workspaceId, t.serviceAreaId, t.detectedAt),
  uniqueIndex('outage_suspicions_open_uq').on(t.workspaceId, t.serviceAreaId).where(sql`status = 'open'`),
]);

/** The network upgrade roadmap: per area, planned → in progress → done, with dates. */
export const networkUpgrades = pgTable('network_upgrades', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  serviceAreaId: uuid('service_area_id').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  status: text('status').$type<'planned' | 'in_progress' | 'done'>().notNull(),
  plannedFor: date('planned_for'),
  doneAt: date('done_at'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

/** Transparency statements (AI, outsourcing, environment …) in markdown, edited by admins. */
export const statusStatements = pgTable('status_statements', {
  workspaceId: uuid('workspace_id').notNull(),
  key: text('key').notNull(),
  title: text('title').notNull(),
  bodyMd: text('body_md').notNull(),
  position: integer('position').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.key] })]);

/** Public subscribers: email or webhook, confirmed by double opt-in, gone with one click. */
export const statusSubscribers = pgTable('status_subscribers', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  kind: text('kind').$type<'email' | 'webhook'>().notNull(),
  target: text('target').notNull(),
  token: text('token').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('status_subscribers_target_uq').on(t.workspaceId, t.kind, t.target),
  uniqueIndex('status_subscribers_token_uq').on(t.workspaceId, t.token),
]);
