import { z } from '@hono/zod-openapi';
import { componentStatuses, incidentStatuses, maintenanceStatuses } from '../../db/schema/index.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const Instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time' });
const Uuid = z.string().uuid('a uuid');

export const incidentImpacts = ['none', 'minor', 'major', 'critical'] as const;
export const ComponentStatusEnum = z.enum(componentStatuses);

export const StatusSettingsSchema = z.object({
  services: z.array(z.string().min(1).max(80)).min(1).max(20),
  slaTargetPercent: z.number().min(0).max(100),
  degradedCountsAsUp: z.boolean(),
  degradedWeight: z.number().min(0).max(1),
  maintenanceExcluded: z.boolean(),
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable(),
  criticalOverridesQuietHours: z.boolean(),
  credits: z.object({
    enabled: z.boolean(), mode: z.enum(['apply', 'propose']), perStartedHours: z.number().min(0.25).max(168), minImpact: z.enum(['major', 'critical']),
  }),
  detection: z.object({
    enabled: z.boolean(), reasons: z.array(z.string().min(1)).min(1), windowMinutes: z.number().int().min(5).max(240).multipleOf(5),
    weeks: z.number().int().min(1).max(12), minCount: z.number().int().min(1), minIncrease: z.number().int().min(0),
    factor: z.number().min(1), madK: z.number().min(0), cooldownMinutes: z.number().int().min(0).max(10_080),
  }),
}).openapi('StatusSettings');
export type StatusSettingsView = z.infer<typeof StatusSettingsSchema>;

export const defaultStatusSettings = (): StatusSettingsView => ({
  services: ['Internet'],
  slaTargetPercent: 99.9,
  degradedCountsAsUp: true,
  degradedWeight: 0.25,
  maintenanceExcluded: true,
  quietHours: { start: '22:00', end: '08:00' },
  criticalOverridesQuietHours: false,
  credits: { enabled: true, mode: 'apply', perStartedHours: 4, minImpact: 'major' },
  detection: { enabled: true, reasons: ['outage'], windowMinutes: 30, weeks: 4, minCount: 8, minIncrease: 6, factor: 3, madK: 4, cooldownMinutes: 120 },
});

const ComponentChoice = z.object({ componentId: Uuid, status: ComponentStatusEnum });

export const CreateIncidentInput = z.object({
  name: z.string().trim().min(1).max(200),
  status: z.enum(incidentStatuses).default('investigating'),
  impact: z.enum(incidentImpacts),
  body: z.string().trim().min(1).max(10_000),
  areaIds: z.array(Uuid).max(500).default([]).openapi({ description: 'service areas as in GET /service-areas; every service of each area is affected' }),
  services: z.array(z.string().min(1)).optional().openapi({ description: 'only these services of the areas (default: all)' }),
  components: z.array(ComponentChoice).max(1000).optional().openapi({ description: 'components and their states, besides or instead of areaIds' }),
  startedAt: Instant.optional(),
  notify: z.boolean().default(true),
  published: z.boolean().default(true),
}).refine((v) => v.areaIds.length > 0 || (v.components?.length ?? 0) > 0, { path: ['areaIds'], message: 'name at least one area (or components)' })
  .openapi('CreateIncident');

export const CreateMaintenanceInput = z.object({
  name: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(10_000),
  areaIds: z.array(Uuid).min(1, 'name at least one area').max(500),
  services: z.array(z.string().min(1)).optional(),
  scheduledFor: Instant,
  scheduledUntil: Instant,
  notify: z.boolean().default(true),
}).refine((v) => new Date(v.scheduledUntil) > new Date(v.scheduledFor), { path: ['scheduledUntil'], message: 'must be after scheduledFor' })
  .openapi('CreateMaintenance');

export const PostUpdateInput = z.object({
  status: z.enum([...incidentStatuses, ...maintenanceStatuses]).optional(),
  body: z.string().trim().min(1).max(10_000),
  impact: z.enum(incidentImpacts).optional(),
  componentStatus: ComponentStatusEnum.optional().openapi({ description: 'put every affected component in this state' }),
  notify: z.boolean().default(true),
  at: Instant.optional(),
}).openapi('PostIncidentUpdate');

export const IncidentListQuery = z.object({
  kind: z.enum(['incident', 'maintenance']).optional(),
  state: z.enum(['open', 'resolved', 'suspected', 'all']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const Notices = z.object({ queued: z.number().int(), sent: z.number().int(), failed: z.number().int(), skipped: z.number().int() });
export const IncidentSchema = z.object({
  id: z.string(), kind: z.enum(['incident', 'maintenance']), name: z.string(), status: z.string(), impact: z.string(),
  published: z.boolean(), source: z.enum(['manual', 'detected']),
  startedAt: z.string(), acknowledgedAt: z.string().nullable(), monitoringAt: z.string().nullable(), resolvedAt: z.string().nullable(),
  scheduledFor: z.string().nullable(), scheduledUntil: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
  areaIds: z.array(z.string()),
  components: z.array(z.object({ id: z.string(), name: z.string(), service: z.string(), serviceAreaId: z.string(), status: ComponentStatusEnum })),
  updates: z.array(z.object({ id: z.string(), status: z.string(), body: z.string(), notify: z.boolean(), createdAt: z.string(), displayAt: z.string() })),
  notices: Notices,
  contacts: z.number().int(),
  credits: z.object({ totalCents: z.number().int(), appliedCents: z.number().int(), proposedCents: z.number().int(), currency: z.string().nullable(), customers: z.number().int() }),
}).openapi('Incident');

export const ComponentSchema = z.object({
  id: z.string(), name: z.string(), service: z.string(), serviceAreaId: z.string().nullable(), groupId: z.string().nullable(),
  status: ComponentStatusEnum, createdAt: z.string(),
}).openapi('StatusComponent');

export const UpsertStatementInput = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'lowercase letters, digits, dashes'),
  title: z.string().trim().min(1).max(200),
  bodyMd: z.string().max(20_000),
  position: z.number().int().min(0).max(1000).default(0),
}).openapi('TransparencyStatementInput');

export const UpsertUpgradeInput = z.object({
  id: Uuid.optional(),
  serviceAreaId: Uuid,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  status: z.enum(['planned', 'in_progress', 'done']),
  plannedFor: z.iso.date('a day as YYYY-MM-DD').nullable().optional(),
  doneAt: z.iso.date('a day as YYYY-MM-DD').nullable().optional(),
}).openapi('NetworkUpgradeInput');

export const SuspicionSchema = z.object({
  id: z.string(), serviceAreaId: z.string(), areaName: z.string(), status: z.enum(['open', 'published', 'dismissed']),
  evidence: z.any(), incidentId: z.string().nullable(), detectedAt: z.string(), decidedAt: z.string().nullable(), note: z.string().nullable(),
}).openapi('OutageSuspicion');

export const SubscribeInput = z.object({
  email: z.string().trim().toLowerCase().email('an email address').optional(),
  webhook: z.string().url('a URL').refine((u) => /^https?:\/\//.test(u), 'http(s) only').optional(),
}).refine((v) => !!v.email !== !!v.webhook, { path: ['email'], message: 'give an email or a webhook URL (one of them)' }).openapi('StatusSubscribe');
