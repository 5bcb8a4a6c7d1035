import { pgTable, uuid, text, jsonb, timestamp, boolean, integer, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';
import type { ChannelKind } from './conversations.ts';

/**
 * A configured channel of a workspace: a mailbox, a WhatsApp number, a Telegram bot … Several of a
 * kind are allowed. `config` holds what is safe to show (addresses, ids, base URLs); `secrets`
 * holds tokens and signing keys, never returned by the API.
 */
export const channels = pgTable('channels', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  kind: text('kind').$type<ChannelKind>().notNull(),
  name: text('name').notNull(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
  secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default({}),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('channels_name_uq').on(t.workspaceId, t.kind, t.name),
]);

/** Inbound items that could not be read (malformed MIME or JSON): kept for an admin, never lost. */
export const inboundQuarantine = pgTable('inbound_quarantine', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  channelId: uuid('channel_id'),
  kind: text('kind').notNull(),
  reason: text('reason').notNull(),
  contentType: text('content_type'),
  payload: text('payload').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('quarantine_received_idx').on(t.workspaceId, t.receivedAt)]);

/** Files attached to messages, stored under the data dir (or an S3-compatible store). */
export const attachments = pgTable('attachments', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] })]);
