import { pgTable, uuid, text, jsonb, timestamp, integer, real, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const channelKinds = ['email', 'chat', 'whatsapp', 'telegram', 'sms', 'messenger', 'voice', 'social', 'portal', 'api'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const conversations = pgTable('conversations', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  number: integer('number').notNull(),
  customerId: uuid('customer_id').notNull(),
  subject: text('subject'),
  status: text('status').$type<ConversationStatus>().notNull(),
  priority: text('priority').$type<(typeof priorities)[number]>().notNull().default('normal'),
  channel: text('channel').$type<ChannelKind>().notNull(),
  /** The configured channel the customer last wrote through: replies leave by it. */
  channelId: uuid('channel_id'),
  assigneeId: uuid('assignee_id'),
  teamId: uuid('team_id'),
  serviceAreaId: uuid('service_area_id'),
  tags: text('tags').array().notNull().default([]),
  snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
  messageCount: integer('message_count').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
  lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
  firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  // What the customer wants, read from their messages so far (src/domains/understanding), or set by an agent.
  reason: text('reason'),
  reasonConfidence: real('reason_confidence'),
  reasonEvidence: text('reason_evidence').array(),
  reasonSource: text('reason_source').$type<'model' | 'agent'>(),
  reasonSetBy: uuid('reason_set_by'),
  language: text('language'),
  /** The latest customer message's sentiment score (-1..1) and the trend over the conversation. */
  sentiment: real('sentiment'),
  sentimentTrend: text('sentiment_trend').$type<'improving' | 'worsening' | 'steady'>(),
  // Effort facts the analytics read.
  customerMessages: integer('customer_messages').notNull().default(0),
  channelSwitches: integer('channel_switches').notNull().default(0),
  reopenCount: integer('reopen_count').notNull().default(0),
  transferCount: integer('transfer_count').notNull().default(0),
  /** The same customer's earlier conversation with the same reason started within 7 days before this one. */
  repeatOf: uuid('repeat_of'),
  labelledAt: timestamp('labelled_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('conversations_number_uq').on(t.workspaceId, t.number),
  index('conversations_inbox_idx').on(t.workspaceId, t.status, t.lastMessageAt.desc(), t.id.desc()),
  index('conversations_team_idx').on(t.workspaceId, t.teamId, t.status, t.lastMessageAt.desc(), t.id.desc()),
  index('conversations_assignee_idx').on(t.workspaceId, t.assigneeId, t.status, t.lastMessageAt.desc(), t.id.desc()),
  index('conversations_customer_idx').on(t.workspaceId, t.customerId, t.lastMessageAt.desc()),
  index('conversations_tags_idx').using('gin', t.tags),
  index('conversations_snoozed_idx').on(t.snoozedUntil).where(sql`status = 'snoozed'`),
  index('conversations_reason_idx').on(t.workspaceId, t.reason, t.createdAt),
]);

/** A message's channel facts (messages.meta): all optional, small. */
export type MessageMeta = {
  /** Email: the addresses as written (lower case), kept per message so replies can go to everyone. */
  from?: string; to?: string[]; cc?: string[];
  /** The subject of this one mail as written. */
  subject?: string;
  /** The provider's own timestamp (ISO), when it differs from or was not trusted as the received time. */
  sentAt?: string;
  /** An agent of the workspace who forwarded this customer's mail in. */
  forwardedBy?: string;
  /** Earlier texts of an edited message, oldest first. */
  history?: { text: string; until: string }[];
  editedAt?: string;
  /** A delivery report naming the recipient that failed. */
  failedRecipient?: string;
  [k: string]: unknown;
};

export type Attachment = { id: string; filename: string; contentType: string; size: number; url?: string };

export const messages = pgTable('messages', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  direction: text('direction').$type<'in' | 'out' | 'note'>().notNull(),
  authorType: text('author_type').$type<'customer' | 'agent' | 'bot' | 'system'>().notNull(),
  authorId: text('author_id'),
  channel: text('channel').$type<ChannelKind>().notNull(),
  channelId: uuid('channel_id'),
  bodyText: text('body_text').notNull(),
  bodyHtml: text('body_html'),
  attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
  externalId: text('external_id'),
  deliveryStatus: text('delivery_status').$type<'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed'>().notNull(),
  deliveryError: text('delivery_error'),
  labels: jsonb('labels').$type<Record<string, unknown>>(),
  /** What the channel knew about the message beyond its text (email From/To/Cc, provider send time, edit history, a bounce's recipient). */
  meta: jsonb('meta').$type<MessageMeta>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('messages_external_uq').on(t.workspaceId, t.channel, t.externalId).where(sql`external_id is not null`),
  index('messages_conversation_idx').on(t.workspaceId, t.conversationId, t.createdAt, t.id),
  /** Customer messages still waiting for their labels (the labeller's queue). */
  index('messages_unlabelled_idx').on(t.workspaceId, t.createdAt).where(sql`labels is null and direction = 'in'`),
]);

/**
 * Who besides the conversation's customer takes part in a conversation (a colleague in Cc who
 * replied): they may write to it; the conversation's customer stays who it was.
 */
export const conversationParticipants = pgTable('conversation_participants', {
  workspaceId: uuid('workspace_id').notNull(),
  conversationId: uuid('conversation_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  /** How they joined: 'reply' (wrote to the thread). */
  role: text('role').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.conversationId, t.customerId] }),
  index('participants_customer_idx').on(t.workspaceId, t.customerId),
]);
