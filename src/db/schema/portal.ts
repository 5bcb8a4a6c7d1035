import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, jsonb, timestamp, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A one-time sign-in to the customer portal: a 6-digit code (any channel) and, by email, a magic
 * link. Only hashes are kept; a row is spent by its first successful use, dead after 5 wrong
 * codes or its expiry (10 minutes; a staff-made link lasts longer).
 */
export const portalSignIns = pgTable('portal_sign_ins', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  channel: text('channel').notNull(),
  address: text('address').notNull(),
  codeHash: text('code_hash'),
  linkHash: text('link_hash'),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  index('portal_sign_ins_address_idx').on(t.workspaceId, t.address, t.createdAt),
]);

/** A signed-in customer (cookie `candor_portal`): its own kind of session, never an agent's. */
export const portalSessions = pgTable('portal_sessions', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  secretHash: text('secret_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('portal_sessions_customer_idx').on(t.workspaceId, t.customerId)]);

/** Access a customer gave their own AI assistant: named, scoped, expiring, revocable; the token's hash only. */
export const assistantGrants = pgTable('assistant_grants', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  name: text('name').notNull(),
  scopes: text('scopes').array().notNull(),
  secretHash: text('secret_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('assistant_grants_customer_idx').on(t.workspaceId, t.customerId)]);

export type PlanQuote = {
  kind: 'change' | 'cancel';
  subscriptionId: string; fromPlanId: string; toPlanId: string | null;
  effectiveDate: string; daysLeft: number; daysInMonth: number;
  prorationCents: number; newMonthlyCents: number; currency: string;
};

/**
 * A price the customer (or their assistant) has seen: a plan change or a cancellation, bound to
 * the subscription and the plan, single use (`usedAt`), short lived. Applying needs its token.
 */
export const planChangePreviews = pgTable('plan_change_previews', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  subscriptionId: uuid('subscription_id').notNull(),
  kind: text('kind').$type<'change' | 'cancel'>().notNull(),
  toPlanId: uuid('to_plan_id'),
  quote: jsonb('quote').$type<PlanQuote>().notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  provisioningRef: text('provisioning_ref'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('plan_change_previews_customer_idx').on(t.workspaceId, t.customerId, t.createdAt)]);

export const diagnosisOutcomes = ['resolved', 'subscribed', 'conversation'] as const;
export type DiagnosisOutcome = (typeof diagnosisOutcomes)[number];

/** One self-diagnosis: what was found (account, area, line, steps) and how it ended. */
export const diagnoses = pgTable('diagnoses', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  subscriptionId: uuid('subscription_id'),
  symptom: text('symptom').notNull(),
  findings: jsonb('findings').$type<Record<string, unknown>>().notNull(),
  outcome: text('outcome').$type<DiagnosisOutcome>(),
  outcomeRef: uuid('outcome_ref'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('diagnoses_customer_idx').on(t.workspaceId, t.customerId, t.createdAt)]);

/** A customer following an incident from the portal: updates on their preferred channel. */
export const incidentFollowers = pgTable('incident_followers', {
  workspaceId: uuid('workspace_id').notNull(),
  incidentId: uuid('incident_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  channel: text('channel'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.incidentId, t.customerId] }), index('incident_followers_customer_idx').on(t.workspaceId, t.customerId)]);

/** A customer's request that an admin acts on: deletion of everything held about them. */
export const portalRequests = pgTable('portal_requests', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  kind: text('kind').$type<'deletion'>().notNull(),
  status: text('status').$type<'open' | 'completed'>().notNull(),
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  completedBy: text('completed_by'),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('portal_requests_open_uq').on(t.workspaceId, t.customerId, t.kind).where(sql`status = 'open'`),
]);
