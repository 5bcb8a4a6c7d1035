import { pgTable, uuid, text, jsonb, timestamp, integer, primaryKey, index } from 'drizzle-orm/pg-core';

export const auditLog = pgTable('audit_log', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorType: text('actor_type').notNull(),
  actorId: text('actor_id'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  requestId: text('request_id'),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('audit_entity_idx').on(t.workspaceId, t.entityType, t.entityId)]);

export const jobStatuses = ['queued', 'running', 'done', 'dead'] as const;

/** The durable queue: outbound messages, webhooks, notices. A job is enqueued in the transaction that decided it. */
export const jobs = pgTable('jobs', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  queue: text('queue').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<(typeof jobStatuses)[number]>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(5),
  runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  index('jobs_ready_idx').on(t.status, t.runAt),
]);

export const idempotencyKeys = pgTable('idempotency_keys', {
  workspaceId: uuid('workspace_id').notNull(),
  principal: text('principal').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  status: integer('status'),
  body: jsonb('body'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.principal, t.key] })]);

export const counters = pgTable('counters', {
  workspaceId: uuid('workspace_id').notNull(),
  name: text('name').notNull(),
  value: integer('value').notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.name] })]);
