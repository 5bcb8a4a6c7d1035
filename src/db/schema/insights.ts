import { pgTable, uuid, text, jsonb, timestamp, integer, real, boolean, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * SLA targets (business seconds) for conversations of a priority and/or channel; null in either
 * means "any". The most specific policy matching a conversation applies (priority and channel,
 * then priority, then channel, then the workspace default with both null).
 */
export const slaPolicies = pgTable('sla_policies', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  priority: text('priority'),
  channel: text('channel'),
  firstResponseSeconds: integer('first_response_seconds'),
  nextResponseSeconds: integer('next_response_seconds'),
  resolutionSeconds: integer('resolution_seconds'),
  /** What the workspace's policy owes the customer per breach (a service credit). */
  creditCents: integer('credit_cents').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

/** A team's own business hours (time zone, ranges per weekday, holidays); teams without one use the workspace's settings. */
export const teamCalendars = pgTable('team_calendars', {
  workspaceId: uuid('workspace_id').notNull(),
  teamId: uuid('team_id').notNull(),
  timezone: text('timezone').notNull(),
  hours: jsonb('hours').$type<{ day: number; open: string; close: string }[]>().notNull(),
  holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.teamId] })]);

/**
 * One row per conversation: what the analytics read, rewritten whenever the conversation changes
 * (src/domains/insights/refresh-facts.ts). Durations are business seconds on the team's calendar,
 * excluding time spent pending (waiting on the customer).
 */
export const conversationFacts = pgTable('conversation_facts', {
  workspaceId: uuid('workspace_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  status: text('status').notNull(),
  priority: text('priority').notNull(),
  channel: text('channel').notNull(),
  teamId: uuid('team_id'),
  agentId: uuid('agent_id'),
  areaId: uuid('area_id'),
  reason: text('reason'),
  policyId: uuid('policy_id'),
  firstResponseSeconds: integer('first_response_seconds'),
  firstResponseBreached: boolean('first_response_breached'),
  resolutionSeconds: integer('resolution_seconds'),
  resolutionBreached: boolean('resolution_breached'),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  /** Resolved without ever being reopened and without being a repeat of an earlier contact. */
  firstContactResolution: boolean('first_contact_resolution').notNull().default(false),
  isRepeat: boolean('is_repeat').notNull().default(false),
  /** Later conversations of the same customer that are repeats of this one. */
  repeatsCaused: integer('repeats_caused').notNull().default(0),
  sentiment: real('sentiment'),
  sentimentTrend: text('sentiment_trend'),
  /** Since when the customer has been waiting for our answer (null: not waiting). */
  waitingSince: timestamp('waiting_since', { withTimezone: true }),
  firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
  nextResponseDueAt: timestamp('next_response_due_at', { withTimezone: true }),
  resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
  /** The earliest running due instant: the breach sweep's index. */
  nextDueAt: timestamp('next_due_at', { withTimezone: true }),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.conversationId] }),
  index('conversation_facts_created_idx').on(t.workspaceId, t.createdAt),
  index('conversation_facts_customer_idx').on(t.workspaceId, t.customerId, t.createdAt),
  index('conversation_facts_waiting_idx').on(t.workspaceId, t.waitingSince).where(sql`waiting_since is not null`),
  index('conversation_facts_due_idx').on(t.nextDueAt).where(sql`next_due_at is not null`),
]);

/** Every SLA breach, with what it costs: the policy's credit and the customer's monthly revenue at risk. */
export const slaBreaches = pgTable('sla_breaches', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  kind: text('kind').$type<'first_response' | 'next_response' | 'resolution'>().notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  policyId: uuid('policy_id'),
  teamId: uuid('team_id'),
  agentId: uuid('agent_id'),
  channel: text('channel').notNull(),
  /** The supervisor told. */
  escalatedTo: uuid('escalated_to'),
  creditCents: integer('credit_cents').notNull(),
  revenueAtRiskCents: integer('revenue_at_risk_cents').notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('sla_breaches_uq').on(t.workspaceId, t.conversationId, t.kind, t.dueAt),
  index('sla_breaches_time_idx').on(t.workspaceId, t.recordedAt),
]);

/**
 * The hourly roll-up of conversation_facts by the hour a conversation started and its dimensions
 * (absent dimensions as the nil uuid / ''). Rebuilt per hour from the facts whenever a fact of
 * that hour changes, so it always equals a GROUP BY over the facts.
 */
export const insightsHourly = pgTable('insights_hourly', {
  workspaceId: uuid('workspace_id').notNull(),
  hour: timestamp('hour', { withTimezone: true }).notNull(),
  channel: text('channel').notNull(),
  teamId: uuid('team_id').notNull(),
  agentId: uuid('agent_id').notNull(),
  areaId: uuid('area_id').notNull(),
  reason: text('reason').notNull(),
  contacts: integer('contacts').notNull(),
  responded: integer('responded').notNull(),
  respondedInSla: integer('responded_in_sla').notNull(),
  resolved: integer('resolved').notNull(),
  resolvedInSla: integer('resolved_in_sla').notNull(),
  slaTimed: integer('sla_timed').notNull(),
  slaMet: integer('sla_met').notNull(),
  firstContactResolved: integer('first_contact_resolved').notNull(),
  repeats: integer('repeats').notNull(),
  repeatsCaused: integer('repeats_caused').notNull(),
  sentimentSum: real('sentiment_sum').notNull(),
  sentimentCount: integer('sentiment_count').notNull(),
  worsening: integer('worsening').notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.hour, t.channel, t.teamId, t.agentId, t.areaId, t.reason] })]);

/** Per-workspace insights settings: the leaderboard switch and team goals. */
export const insightsSettings = pgTable('insights_settings', {
  workspaceId: uuid('workspace_id').primaryKey(),
  leaderboardEnabled: boolean('leaderboard_enabled').notNull().default(true),
  /** Goals per team id: { slaAttainment, firstContactResolution, csat } as shares 0..1. */
  teamGoals: jsonb('team_goals').$type<Record<string, { slaAttainment?: number; firstContactResolution?: number; csat?: number }>>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
