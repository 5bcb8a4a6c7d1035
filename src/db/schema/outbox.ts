import { pgTable, uuid, text, jsonb, timestamp, primaryKey, index } from 'drizzle-orm/pg-core';

/**
 * The workspace outbox: a built-in mail catcher and provider simulator. Where a channel has no
 * relay or provider configured and the workspace says so (the demo does), what would have been
 * sent lands here, whole, for an admin to read, instead of failing.
 */
export const outboxMessages = pgTable('outbox_messages', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  channel: text('channel').notNull(),
  to: text('to').notNull(),
  subject: text('subject'),
  bodyText: text('body_text').notNull(),
  headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
  /** What sent it: reply | notice | subscription | webhook … and the id of that thing. */
  source: text('source').notNull(),
  refId: text('ref_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('outbox_created_idx').on(t.workspaceId, t.createdAt)]);
