import { z } from '@hono/zod-openapi';
import { channelKinds, conversationStatuses, priorities, identityKinds } from '../../db/schema/index.ts';
import { sanitizeEmailHtml } from '../../platform/sanitize-html.ts';
import { instant } from '../../platform/instant.ts';

export const AttachmentSchema = z.object({
  id: z.string(), filename: z.string(), contentType: z.string(), size: z.number().int().min(0), url: z.string().optional(),
}).openapi('Attachment');

export const MessageSchema = z.object({
  id: z.string().uuid(), conversationId: z.string().uuid(), customerId: z.string().uuid(),
  direction: z.enum(['in', 'out', 'note']), authorType: z.enum(['customer', 'agent', 'bot', 'system']), authorId: z.string().nullable(),
  channel: z.enum(channelKinds), channelId: z.string().nullable(), bodyText: z.string(), bodyHtml: z.string().nullable(), attachments: z.array(AttachmentSchema),
  externalId: z.string().nullable(), deliveryStatus: z.string(), deliveryError: z.string().nullable(),
  meta: z.record(z.string(), z.unknown()).nullable().describe('channel facts: email from/to/cc, the provider\'s send time, earlier texts of an edited message'), createdAt: z.string(),
  reason: z.string().nullable().describe("a customer message's contact reason ('unknown' below the confidence floor); null until labelled, and on agents' messages"),
  reasonConfidence: z.number().nullable().describe('calibrated probability that the reason is right'),
  reasonEvidence: z.array(z.string()).describe('the words that weighed most for the reason'),
  sentiment: z.enum(['negative', 'neutral', 'positive']).nullable(), sentimentScore: z.number().nullable().describe('-1 (negative) … 1 (positive)'),
  language: z.string().nullable().describe('ISO 639-1'),
}).openapi('Message');

export const ConversationSchema = z.object({
  id: z.string().uuid(), number: z.number().int(), customerId: z.string().uuid(), subject: z.string().nullable(),
  status: z.enum(conversationStatuses), priority: z.enum(priorities), channel: z.enum(channelKinds),
  assigneeId: z.string().nullable(), teamId: z.string().nullable(), serviceAreaId: z.string().nullable(), tags: z.array(z.string()),
  snoozedUntil: z.string().nullable(), messageCount: z.number().int(), createdAt: z.string(), lastMessageAt: z.string(),
  lastInboundAt: z.string().nullable(), firstResponseAt: z.string().nullable(), resolvedAt: z.string().nullable(), closedAt: z.string().nullable(),
  reason: z.string().nullable().describe('the contact reason, from the subject and opening customer messages, or as an agent set it'),
  reasonConfidence: z.number().nullable(), reasonEvidence: z.array(z.string()), reasonSource: z.enum(['model', 'agent']).nullable(),
  language: z.string().nullable(), sentiment: z.number().nullable().describe("the latest customer message's score, -1 … 1"),
  sentimentTrend: z.enum(['improving', 'worsening', 'steady']).nullable(),
  effort: z.object({
    customerMessages: z.number().int(), channelSwitches: z.number().int(), reopens: z.number().int(), transfers: z.number().int(),
    repeatOf: z.string().nullable().describe("the customer's conversation with the same reason started within the 7 days before"),
  }),
}).openapi('Conversation');

/** PostgreSQL text cannot hold NUL; channels sometimes send it. Drop it rather than lose the message. */
const text = (max: number) => z.string().max(max).transform((s) => s.replaceAll('\u0000', ''));

/**
 * An attachment as a caller names it. Its `url` is accepted for compatibility and ignored:
 * links are built by Candor from stored attachments (attachment-links.ts).
 */
export const AttachmentInput = z.object({
  id: z.string().min(1).max(100), filename: z.string().max(255).transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, '')),
  contentType: z.string().max(255), size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  url: z.string().max(2000).optional().describe('ignored: Candor builds attachment links itself'),
}).transform(({ url: _ignored, ...a }) => a);

export const MessageBody = z.object({
  bodyText: text(100_000).pipe(z.string().min(1)),
  /** Sanitised like an email's (no script, no remote images) whoever sends it. */
  bodyHtml: text(500_000).transform((h) => sanitizeEmailHtml(h)).optional(),
  attachments: z.array(AttachmentInput).max(20).optional(),
});

/** What a channel adapter (or an integration with messages:ingest) hands in for one inbound message. */
export const InboundMessageInput = MessageBody.extend({
  channel: z.enum(channelKinds),
  from: z.object({ kind: z.enum(identityKinds), value: z.string().min(1).max(320), name: z.string().max(200).optional() }),
  externalId: z.string().min(1).max(500).optional(),
  subject: z.string().max(500).optional(),
  receivedAt: instant().optional(),
  /** A provider's own timestamp for the message: ordering uses it only when plausible (else the time Candor received it); an implausible one is kept as meta.sentAt. */
  sentAt: instant().optional(),
  /** A thread the channel already knows (email In-Reply-To, a chat session). */
  conversationId: z.string().uuid().optional(),
  /** The configured channel it arrived through (set by channel adapters); replies leave by it. */
  channelId: z.string().uuid().optional(),
  /** Force a new conversation (a rule decided it is a new matter). */
  newConversation: z.boolean().optional(),
  /**
   * The sender takes part in `conversationId` without being its customer (a colleague in Cc who
   * replied to the thread): the message joins it and the conversation's customer stays.
   */
  participant: z.boolean().optional(),
  /** Channel facts kept with the message (email addresses, provider time …). */
  meta: z.record(z.string(), z.unknown()).optional(),
}).openapi('InboundMessage');

export const CreateConversationInput = z.object({
  customerId: z.string().uuid(),
  channel: z.enum(channelKinds),
  subject: z.string().max(500).optional(),
  priority: z.enum(priorities).optional(),
  teamId: z.string().uuid().optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
  message: MessageBody.extend({ direction: z.enum(['in', 'out', 'note']).default('out'), externalId: z.string().max(500).optional() }),
}).openapi('CreateConversation');

export const PostMessageInput = MessageBody.extend({
  direction: z.enum(['in', 'out', 'note']).default('out'),
  channel: z.enum(channelKinds).optional(),
  externalId: z.string().max(500).optional(),
}).openapi('PostMessage');

export const UpdateConversationInput = z.object({
  status: z.enum(conversationStatuses).optional(),
  snoozedUntil: instant().optional(),
  priority: z.enum(priorities).optional(),
  assigneeId: z.string().uuid().nullable().optional(),
  teamId: z.string().uuid().nullable().optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
  subject: z.string().max(500).optional(),
}).openapi('UpdateConversation');

export const ListConversationsInput = z.object({
  status: z.enum(conversationStatuses).optional(),
  assigneeId: z.string().uuid().optional(),
  unassigned: z.coerce.boolean().optional(),
  teamId: z.string().uuid().optional(),
  channel: z.enum(channelKinds).optional(),
  priority: z.enum(priorities).optional(),
  tag: z.string().optional(),
  serviceAreaId: z.string().uuid().optional(),
  customerId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().optional(),
});
