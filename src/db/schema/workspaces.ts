import { pgTable, uuid, text, jsonb, timestamp, boolean, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';

/** Workspace settings: the tenant's clock, opening hours, holidays and per-role limits. */
export type WorkspaceSettings = {
  timezone: string;
  businessHours: { day: number; open: string; close: string }[];
  holidays: string[];
  roleLimits: Record<string, { maxCreditCents: number }>;
  /** Contact reasons: below `unknownBelow` confidence a reason is 'unknown'; `retrainAfter` new agent labels start a retrain. */
  understanding?: { unknownBelow: number; retrainAfter: number };
  /** What cannot be sent (no relay, no provider) lands in the workspace outbox instead of failing (src/domains/outbox). */
  outbox?: { fallback: boolean };
};

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  settings: jsonb('settings').$type<WorkspaceSettings>().notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const agents = pgTable('agents', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role').$type<'admin' | 'supervisor' | 'agent'>().notNull(),
  passwordHash: text('password_hash'),
  skills: text('skills').array().notNull().default([]),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('agents_email_uq').on(t.workspaceId, t.email),
  // Login arrives with an email only; this lookup is the one query that crosses tenants.
  index('agents_login_idx').on(t.email),
]);

export const teams = pgTable('teams', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('teams_name_uq').on(t.workspaceId, t.name)]);

export const teamMembers = pgTable('team_members', {
  workspaceId: uuid('workspace_id').notNull(),
  teamId: uuid('team_id').notNull(),
  agentId: uuid('agent_id').notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.teamId, t.agentId] })]);

export const sessions = pgTable('sessions', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  agentId: uuid('agent_id').notNull(),
  secretHash: text('secret_hash').notNull(),
  /** The absolute end: no use of the session extends it. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Last use (written at most once a minute): the idle timeout counts from here. */
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);

export const apiKeys = pgTable('api_keys', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  secretHash: text('secret_hash').notNull(),
  scopes: text('scopes').array().notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
