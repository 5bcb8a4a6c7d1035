import { pgTable, uuid, text, jsonb, timestamp, integer, boolean, primaryKey, uniqueIndex, customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The workspace's own taxonomy of contact reasons: why customers get in touch. */
export const contactReasons = pgTable('contact_reasons', {
  workspaceId: uuid('workspace_id').notNull(),
  key: text('key').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  position: integer('position').notNull().default(0),
  archived: boolean('archived').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.key] })]);

/**
 * Labelled examples the reason model learns from: the workspace's seed examples, and one per
 * conversation whose reason an agent confirmed or corrected (a later correction replaces it).
 */
export const reasonExamples = pgTable('reason_examples', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  reason: text('reason').notNull(),
  text: text('text').notNull(),
  source: text('source').$type<'seed' | 'agent'>().notNull(),
  conversationId: uuid('conversation_id'),
  agentId: uuid('agent_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('reason_examples_conversation_uq').on(t.workspaceId, t.conversationId).where(sql`conversation_id is not null`),
]);

export type ReasonModelMetrics = {
  accuracy: number; macroF1: number; n: number;
  /** The live model's figures on the same held-back rows when this version was judged (null: there was none). */
  liveAccuracy: number | null; liveMacroF1: number | null; liveVersion: number | null;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
};

/** Every trained version of a workspace's reason model, with the figures it was judged on. */
export const reasonModels = pgTable('reason_models', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  version: integer('version').notNull(),
  status: text('status').$type<'live' | 'retired' | 'rejected'>().notNull(),
  model: bytea('model').notNull(),
  labels: text('labels').array().notNull(),
  metrics: jsonb('metrics').$type<ReasonModelMetrics>().notNull(),
  trainExamples: integer('train_examples').notNull(),
  seedExamples: integer('seed_examples').notNull(),
  agentExamples: integer('agent_examples').notNull(),
  trainMs: integer('train_ms').notNull(),
  decision: text('decision').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  promotedAt: timestamp('promoted_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('reason_models_version_uq').on(t.workspaceId, t.version),
  uniqueIndex('reason_models_live_uq').on(t.workspaceId).where(sql`status = 'live'`),
]);

/** No service area: the key of reason counts for customers without an active subscription. */
export const NO_AREA = '00000000-0000-0000-0000-000000000000';

/**
 * Conversations per contact reason, service area and five-minute bucket of their start: the
 * series an outage detector watches. Kept exact as reasons are set and corrected.
 */
export const reasonCounts = pgTable('reason_counts', {
  workspaceId: uuid('workspace_id').notNull(),
  bucket: timestamp('bucket', { withTimezone: true }).notNull(),
  serviceAreaId: uuid('service_area_id').notNull(),
  reason: text('reason').notNull(),
  count: integer('count').notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.bucket, t.serviceAreaId, t.reason] })]);


