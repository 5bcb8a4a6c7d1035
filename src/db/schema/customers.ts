import { pgTable, uuid, text, jsonb, timestamp, boolean, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';

export type Consent = { marketing: boolean; surveys: boolean; serviceNotices?: boolean; updatedAt?: string };
export type ChannelPrefs = { preferred?: string | null; doNotContact?: string[]; quietHours?: { start: string; end: string } | null };

export const customers = pgTable('customers', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  name: text('name'),
  email: text('email'),
  phone: text('phone'),
  language: text('language').notNull().default('en'),
  timezone: text('timezone'),
  verified: boolean('verified').notNull().default(false),
  /** The contact email was only claimed (typed into the chat widget), never proven: not an identity, never merged on. */
  emailClaimed: boolean('email_claimed').notNull().default(false),
  consent: jsonb('consent').$type<Consent>().notNull().default({ marketing: false, surveys: true }),
  channelPrefs: jsonb('channel_prefs').$type<ChannelPrefs>().notNull().default({}),
  externalRef: text('external_ref'),
  mergedIntoId: uuid('merged_into_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('customers_external_ref_uq').on(t.workspaceId, t.externalRef),
  index('customers_name_idx').on(t.workspaceId, t.name),
]);

export const identityKinds = ['email', 'phone', 'whatsapp', 'telegram', 'messenger', 'social', 'portal'] as const;
export type IdentityKind = (typeof identityKinds)[number];

export const customerIdentities = pgTable('customer_identities', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  kind: text('kind').$type<IdentityKind>().notNull(),
  value: text('value').notNull(),
  verified: boolean('verified').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('identities_value_uq').on(t.workspaceId, t.kind, t.value),
  index('identities_customer_idx').on(t.workspaceId, t.customerId),
]);

/** One row per thing that happened to a customer: the feed behind the customer's story. */
export const timelineEntries = pgTable('timeline_entries', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  kind: text('kind').notNull(),
  actorType: text('actor_type').notNull(),
  actorId: text('actor_id'),
  conversationId: uuid('conversation_id'),
  refId: uuid('ref_id'),
  summary: text('summary').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  index('timeline_customer_idx').on(t.workspaceId, t.customerId, t.occurredAt.desc(), t.id.desc()),
]);
