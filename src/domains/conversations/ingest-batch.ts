import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { channels, conversations, messages } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { bulkInsert, bulkInsertSql, textArray, rowsOf } from '../../platform/bulk.ts';
import { toIso } from '../../platform/pagination.ts';
import { newId } from '../../platform/ids.ts';
import { withTransaction, deferWrite, type Ctx } from '../../platform/ctx.ts';
import { emit } from '../../platform/events.ts';
import { reserveConversationNumbers, type NumberReservation } from './conversation-numbers.ts';
import type { InboundMessageInput } from './conversations.schemas.ts';
import { recordMessageEntries } from './message-timeline.ts';
import { linkAttachments } from './attachment-links.ts';
import { conversationView, labelsFromSql, messageView, notYetLabelled, type ConversationRow, type MessageRow } from './views.ts';

/** An inbound message after validation, its identity in canonical form. */
export type Inbound = z.output<typeof InboundMessageInput> & { identity: string; at: Date; requestId?: string };
export type IngestOutcome = {
  duplicate: boolean;
  message: ReturnType<typeof messageView>;
  conversation: ReturnType<typeof conversationView> | null;
  customerCreated: boolean;
};

/** How long after resolution a reply on the same thread reopens it instead of starting anew. */
export const REOPEN_WINDOW_MS = 7 * 86400_000;
const key = (kind: string, value: string) => `${kind}\u0000${value}`;
const cols = {
  identity: [['workspace_id', 'uuid'], ['id', 'uuid'], ['customer_id', 'uuid'], ['kind', 'text'], ['value', 'text'], ['created_at', 'timestamptz']],
  customer: [['workspace_id', 'uuid'], ['id', 'uuid'], ['name', 'text'], ['email', 'text'], ['phone', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz']],
  conversation: [['workspace_id', 'uuid'], ['id', 'uuid'], ['number', 'int'], ['customer_id', 'uuid'], ['subject', 'text'], ['status', 'text'], ['channel', 'text'],
    ['channel_id', 'uuid'], ['service_area_id', 'uuid'], ['message_count', 'int'], ['created_at', 'timestamptz'], ['last_message_at', 'timestamptz'], ['last_inbound_at', 'timestamptz'], ['updated_at', 'timestamptz']],
  message: [['workspace_id', 'uuid'], ['id', 'uuid'], ['conversation_id', 'uuid'], ['customer_id', 'uuid'], ['direction', 'text'], ['author_type', 'text'], ['author_id', 'text'],
    ['channel', 'text'], ['channel_id', 'uuid'], ['body_text', 'text'], ['body_html', 'text'], ['attachments', 'jsonb'], ['external_id', 'text'], ['delivery_status', 'text'], ['meta', 'jsonb'], ['created_at', 'timestamptz']],
  timeline: [['workspace_id', 'uuid'], ['id', 'uuid'], ['customer_id', 'uuid'], ['occurred_at', 'timestamptz'], ['kind', 'text'], ['actor_type', 'text'], ['actor_id', 'text'],
    ['conversation_id', 'uuid'], ['ref_id', 'uuid'], ['summary', 'text'], ['data', 'jsonb']],
  participant: [['workspace_id', 'uuid'], ['conversation_id', 'uuid'], ['customer_id', 'uuid'], ['role', 'text'], ['created_at', 'timestamptz']],
  audit: [['workspace_id', 'uuid'], ['id', 'uuid'], ['at', 'timestamptz'], ['actor_type', 'text'], ['actor_id', 'text'], ['action', 'text'], ['entity_type', 'text'],
    ['entity_id', 'text'], ['after', 'jsonb'], ['request_id', 'text']],
} as const;
const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(v as string));
/** A conversations row read with plain SQL, in the shape Drizzle gives. */
const conversationFromSql = (r: Record<string, any>): ConversationRow => ({
  workspaceId: r.workspace_id, id: r.id, number: Number(r.number), customerId: r.customer_id, subject: r.subject, status: r.status, priority: r.priority,
  channel: r.channel, channelId: r.channel_id, assigneeId: r.assignee_id, teamId: r.team_id, serviceAreaId: r.service_area_id, tags: r.tags ?? [], snoozedUntil: date(r.snoozed_until),
  messageCount: Number(r.message_count), createdAt: date(r.created_at)!, lastMessageAt: date(r.last_message_at)!, lastInboundAt: date(r.last_inbound_at),
  firstResponseAt: date(r.first_response_at), resolvedAt: date(r.resolved_at), closedAt: date(r.closed_at), updatedAt: date(r.updated_at)!,
  ...labelsFromSql(r),
});

/*
 * Every lookup of a batch's keys is one index probe per key: a lateral subquery with `limit 1`
 * (the keys are unique), which the planner can neither flatten into a join nor turn into a hash
 * join. Written as `(a, b) in (select … unnest …)` or a plain join, the planner, trusting row
 * counts that lag behind a table growing by thousands of rows a second, hashed the batch's keys
 * and scanned the workspace's whole table for each batch: every batch read every earlier message.
 */

/** The stored identities among (kind, value) pairs: `kind, value, customer_id`. */
const identitiesIn = (ws: string, pairs: string[][]) => sql`
  select i.kind, i.value, i.customer_id from unnest(${textArray(pairs.map((p) => p[0]))}::text[], ${textArray(pairs.map((p) => p[1]))}::text[]) as v(kind, value)
  cross join lateral (select kind, value, customer_id from customer_identities i where i.workspace_id = ${ws} and i.kind = v.kind and i.value = v.value limit 1) i`;

/** The stored messages among (channel, externalId) pairs: `id`. */
const messagesWithExternalIds = (ws: string, channels: string[], externalIds: string[]) => sql`
  select m.id from unnest(${textArray(channels)}::text[], ${textArray(externalIds)}::text[]) as v(channel, external_id)
  cross join lateral (select id from messages m where m.workspace_id = ${ws} and m.channel = v.channel and m.external_id = v.external_id limit 1) m`;

/** Stored messages by id (found by messagesWithExternalIds), keyed by channel and external id: what a redelivery answers with. */
async function storedByExternalId(tx: Ctx, ids: string[]): Promise<Map<string, MessageRow>> {
  if (!ids.length) return new Map();
  const rows = await tx.db.select().from(messages).where(and(eq(messages.workspaceId, tx.workspaceId), inArray(messages.id, ids)));
  return new Map(rows.map((r) => [key(r.channel, r.externalId!), r]));
}

/**
 * The latest unresolved conversation of each customer of `customers` (a FROM item naming the
 * column `i.customer_id`): a lateral join, one probe of conversations_customer_idx per customer.
 * Written as `customer_id in (…)` the planner ran a scan and ingest halved (ADR 0005).
 */
const latestOpenOf = (ws: string, customers: SQL) => sql`
  select c.* from ${customers} cross join lateral (
    select * from conversations c where c.workspace_id = ${ws} and c.customer_id = i.customer_id and c.status in ('open', 'pending', 'snoozed')
    order by c.last_message_at desc limit 1) c`;

/** The service area of each customer of `customers` with an active subscription (the one a new thread is placed in). */
const serviceAreasOf = (ws: string, customers: SQL) => sql`
  select i.customer_id, s.service_area_id from ${customers} cross join lateral (
    select service_area_id from subscriptions s where s.workspace_id = ${ws} and s.customer_id = i.customer_id and s.status = 'active' limit 1) s`;

/** Channels known to belong to a workspace, with their kind (`ws/id` → kind): they never move, so a hit needs no query. */
const knownChannels = new Map<string, string>();

/**
 * Every channelId a batch names must be a channel of this workspace of the message's kind, else
 * not_found: a message naming another workspace's channel is refused, never stored.
 */
async function assertChannelsOfWorkspace(tx: Ctx, items: Inbound[]): Promise<void> {
  const ws = tx.workspaceId;
  const unknown = [...new Set(items.filter((i) => i.channelId && !knownChannels.has(`${ws}/${i.channelId}`)).map((i) => i.channelId!))];
  if (unknown.length) {
    const rows = await tx.db.select({ id: channels.id, kind: channels.kind }).from(channels).where(and(eq(channels.workspaceId, ws), inArray(channels.id, unknown)));
    if (knownChannels.size > 10_000) knownChannels.clear();
    for (const r of rows) knownChannels.set(`${ws}/${r.id}`, r.kind);
  }
  for (const it of items) {
    if (it.channelId && knownChannels.get(`${ws}/${it.channelId}`) !== it.channel) {
      throw new AppError('not_found', `Channel ${it.channelId} not found`, { fields: [{ path: 'channelId', message: `not a ${it.channel} channel of this workspace` }] });
    }
  }
}

/**
 * Ingests many inbound messages in one transaction with a fixed number of statements, whatever
 * the batch size: resolve every sender, find or open every thread, insert every message, update
 * every conversation, and write timeline, audit and events — in input order, so two messages of
 * one new sender in one batch land on one customer and one conversation.
 */
export async function ingestBatch(ctx: Ctx, items: Inbound[]): Promise<IngestOutcome[]> {
  // Numbers for every conversation this batch might open, reserved before the transaction (see conversation-numbers.ts).
  const reserved = await reserveConversationNumbers(ctx, items.length);
  try {
    return await ingestInTransaction(ctx, items, reserved);
  } finally {
    reserved.release();
  }
}

function ingestInTransaction(ctx: Ctx, items: Inbound[], reserved: NumberReservation): Promise<IngestOutcome[]> {
  return withTransaction(ctx, async (tx) => {
    const ws = ctx.workspaceId;
    const out: (IngestOutcome | undefined)[] = new Array(items.length);
    await assertChannelsOfWorkspace(tx, items);
    const linked = await linkAttachments(tx, items.map((i) => i.attachments));

    // 1. One statement looks up everything the batch needs to know: external ids already stored
    //    (redeliveries change nothing), the senders' identities, and each known sender's latest
    //    unresolved conversation and service area.
    const withExt = items.filter((i) => i.externalId);
    const senders = [...new Set(items.map((it) => key(it.from.kind, it.identity)))].map((k) => k.split('\u0000'));
    const found = rowsOf<{ t: 'd' | 'i' | 'c' | 's'; a: string | null; b: string | null; c: string | null; conv: Record<string, unknown> | null }>(await tx.db.execute(sql`
      with dup as (${messagesWithExternalIds(ws, withExt.map((i) => i.channel), withExt.map((i) => i.externalId!))}
      ), ids as (${identitiesIn(ws, senders)}
      ), senders as (select distinct customer_id from ids
      ), latest as (${latestOpenOf(ws, sql`senders i`)}
      ), areas as (${serviceAreasOf(ws, sql`senders i`)}
      )
      select 'd' as t, id::text as a, null as b, null as c, null::json as conv from dup
      union all select 'i', kind, value, customer_id::text, null from ids
      union all select 'c', null, null, null, row_to_json(latest) from latest
      union all select 's', customer_id::text, service_area_id::text, null, null from areas`));
    const known = await storedByExternalId(tx, found.filter((r) => r.t === 'd').map((r) => r.a!));
    const firstOfExt = new Map<string, number>();
    const live: number[] = [];
    items.forEach((it, n) => {
      if (!it.externalId) return live.push(n);
      const k = key(it.channel, it.externalId);
      const stored = known.get(k);
      if (stored) out[n] = { duplicate: true, message: messageView(stored), conversation: null, customerCreated: false };
      else if (firstOfExt.has(k)) out[n] = undefined; // filled from the first copy below
      else { firstOfExt.set(k, n); live.push(n); }
    });

    // 2. Senders: known ones came with the lookup; new ones claim their identity first (unique index), then get a customer.
    const idKeys = [...new Set(live.map((n) => key(items[n].from.kind, items[n].identity)))];
    const customerOf = new Map<string, string>();
    for (const r of found) if (r.t === 'i') customerOf.set(key(r.a!, r.b!), r.c!);
    const createdCustomers = new Map<string, Inbound>(); // each new customer and its first message
    /** Customers found after the first statement (a concurrent ingest claimed their identity first): their threads are looked up below. */
    const lateCustomers = new Set<string>();
    const fresh = idKeys.filter((k) => !customerOf.has(k)).sort();
    if (fresh.length) {
      const firstItem = new Map<string, Inbound>();
      for (const n of live) { const it = items[n]; const k = key(it.from.kind, it.identity); if (!firstItem.has(k)) firstItem.set(k, it); }
      const claims = fresh.map((k) => { const it = firstItem.get(k)!; return { k, it, customerId: newId(it.at.getTime()) }; });
      const claimed = await bulkInsert<{ customer_id: string }>(tx, 'customer_identities', cols.identity,
        claims.map((c) => [ws, newId(c.it.at.getTime()), c.customerId, c.it.from.kind, c.it.identity, c.it.at]), { onConflictDoNothing: true, returning: 'customer_id' });
      const wonIds = new Set(claimed.map((r) => r.customer_id));
      const won = claims.filter((c) => wonIds.has(c.customerId));
      await bulkInsert(tx, 'customers', cols.customer, won.map((c) => [ws, c.customerId, c.it.from.name ?? null,
        c.it.from.kind === 'email' ? c.it.identity : null, c.it.from.kind === 'phone' ? c.it.identity : null, c.it.at, c.it.at]));
      for (const c of won) { customerOf.set(c.k, c.customerId); createdCustomers.set(c.customerId, c.it); }
      const lost = claims.filter((c) => !wonIds.has(c.customerId)).map((c) => c.k.split('\u0000'));
      if (lost.length) {
        const rows = rowsOf<{ kind: string; value: string; customer_id: string }>(await tx.db.execute(identitiesIn(ws, lost)));
        for (const r of rows) { customerOf.set(key(r.kind, r.value), r.customer_id); lateCustomers.add(r.customer_id); }
      }
    }

    // 3. Threads: the one the channel named (if still open, or resolved recently), else the customer's latest unresolved one.
    const hints = [...new Set(live.map((n) => items[n].conversationId).filter(Boolean) as string[])];
    const byId = new Map<string, ConversationRow>();
    const latestOpen = new Map<string, ConversationRow>();
    const keep = (c: ConversationRow) => { byId.set(c.id, c); latestOpen.set(c.customerId, c); };
    for (const r of found) if (r.t === 'c') keep(conversationFromSql(r.conv!));
    const areaOf = new Map<string, string>();
    for (const r of found) if (r.t === 's') areaOf.set(r.a!, r.b!);
    if (lateCustomers.size) {
      const late = sql`unnest(${textArray([...lateCustomers])}::uuid[]) as i(customer_id)`;
      for (const r of rowsOf<Record<string, unknown>>(await tx.db.execute(latestOpenOf(ws, late)))) keep(conversationFromSql(r));
      for (const r of rowsOf<{ customer_id: string; service_area_id: string }>(await tx.db.execute(serviceAreasOf(ws, late)))) areaOf.set(r.customer_id, r.service_area_id);
    }
    const missingHints = hints.filter((h) => !byId.has(h));
    if (missingHints.length) {
      const rows = await tx.db.select().from(conversations).where(and(eq(conversations.workspaceId, ws), inArray(conversations.id, missingHints)));
      for (const r of rows) byId.set(r.id, r);
      // A thread this workspace does not have (another workspace's, or none): refused, never a new conversation.
      const unknown = missingHints.find((h) => !byId.has(h));
      if (unknown) throw new AppError('not_found', `Conversation ${unknown} not found`, { fields: [{ path: 'conversationId', message: 'not a conversation of this workspace' }] });
    }
    const target = new Map<number, { conv?: ConversationRow; newIndex?: number }>();
    const toOpen: { customerId: string; it: Inbound }[] = [];
    const openedFor = new Map<string, number>();
    for (const n of live) {
      const it = items[n];
      const customerId = customerOf.get(key(it.from.kind, it.identity))!;
      const hinted = it.conversationId ? byId.get(it.conversationId) : undefined;
      if (hinted && (hinted.customerId === customerId || it.participant) && hinted.status !== 'closed'
        && (hinted.status !== 'resolved' || it.at.getTime() - (hinted.resolvedAt?.getTime() ?? 0) < REOPEN_WINDOW_MS)) { target.set(n, { conv: hinted }); continue; }
      if (!it.newConversation) {
        const open = latestOpen.get(customerId);
        if (open) { target.set(n, { conv: open }); continue; }
        if (openedFor.has(customerId)) { target.set(n, { newIndex: openedFor.get(customerId) }); continue; }
      }
      openedFor.set(customerId, toOpen.length);
      target.set(n, { newIndex: toOpen.length });
      toOpen.push({ customerId, it });
    }

    // 4. New conversations, numbered and placed in the customer's service area; written in step 6
    //    with their facts, once, and only if one of their messages is.
    const numbers = toOpen.length ? await reserved.take(tx, toOpen.length) : [];
    const opened: ConversationRow[] = toOpen.map((o, i) => ({
      workspaceId: ws, id: newId(o.it.at.getTime()), number: numbers[i], customerId: o.customerId, subject: o.it.subject ?? null,
      status: 'open', priority: 'normal', channel: o.it.channel, channelId: o.it.channelId ?? null, assigneeId: null, teamId: null, serviceAreaId: areaOf.get(o.customerId) ?? null,
      tags: [], snoozedUntil: null, messageCount: 0, createdAt: o.it.at, lastMessageAt: o.it.at, lastInboundAt: null,
      firstResponseAt: null, resolvedAt: null, closedAt: null, updatedAt: o.it.at, ...notYetLabelled,
    }));
    const convFor = (n: number) => { const t = target.get(n)!; return t.conv ?? opened[t.newIndex!]; };

    // 5. Messages. A concurrent redelivery may win the unique index: then this copy is the duplicate.
    const msgRows: MessageRow[] = live.map((n) => {
      const it = items[n]; const conv = convFor(n);
      return {
        workspaceId: ws, id: newId(it.at.getTime()), conversationId: conv.id, customerId: conv.customerId, direction: 'in',
        // The author is the sender: the conversation's customer, or a participant (a colleague in Cc who replied).
        authorType: 'customer', authorId: customerOf.get(key(it.from.kind, it.identity))!, channel: it.channel, channelId: it.channelId ?? null, bodyText: it.bodyText, bodyHtml: it.bodyHtml ?? null,
        attachments: linked[n] ?? [], externalId: it.externalId ?? null, deliveryStatus: 'received', deliveryError: null, labels: null, meta: (it.meta as MessageRow['meta']) ?? null, createdAt: it.at,
      };
    });
    const insertedIds = new Set((await bulkInsert<{ id: string }>(tx, 'messages', cols.message, msgRows.map((m) => [
      ws, m.id, m.conversationId, m.customerId, 'in', 'customer', m.authorId, m.channel, m.channelId, m.bodyText, m.bodyHtml, m.attachments, m.externalId, 'received', m.meta, m.createdAt,
    ]), { onConflictDoNothing: true, returning: 'id' })).map((r) => r.id));
    const insertedById = new Map(msgRows.filter((m) => insertedIds.has(m.id)).map((m) => [m.id, m]));
    // A sender who is not the conversation's customer takes part in it from now on.
    const joined = [...insertedById.values()].filter((m) => m.authorId !== m.customerId).map((m) => [ws, m.conversationId, m.authorId, 'reply', m.createdAt]);
    if (joined.length) await bulkInsert(tx, 'conversation_participants', cols.participant, joined, { onConflictDoNothing: true });
    const lost = live.filter((_, i) => !insertedById.has(msgRows[i].id));
    if (lost.length) {
      const ids = rowsOf<{ id: string }>(await tx.db.execute(messagesWithExternalIds(ws, lost.map((n) => items[n].channel), lost.map((n) => items[n].externalId!))));
      const stored = await storedByExternalId(tx, ids.map((r) => r.id));
      for (const n of lost) out[n] = { duplicate: true, message: messageView(stored.get(key(items[n].channel, items[n].externalId!))!), conversation: null, customerCreated: false };
    }

    // 6. Conversation facts, one upsert: a new thread is inserted with them; a known one (the
    //    primary key conflicts) is updated: counts, last activity, channel of the latest message,
    //    reopen. The conflict check is an index probe per thread, whatever the planner estimates.
    const agg = new Map<string, { n: number; at: Date; channel: string; channelId: string | null }>();
    live.forEach((n, i) => {
      if (!insertedById.has(msgRows[i].id)) return;
      const conv = convFor(n); const it = items[n];
      const a = agg.get(conv.id) ?? { n: 0, at: new Date(0), channel: it.channel, channelId: it.channelId ?? null };
      a.n++;
      if (it.at >= a.at) { a.at = it.at; a.channel = it.channel; a.channelId = it.channelId ?? null; }
      agg.set(conv.id, a);
    });
    const newThreads = opened.filter((c) => agg.has(c.id));
    const isNew = new Set(newThreads.map((c) => c.id));
    const before = new Map([...byId.values(), ...newThreads].map((c) => [c.id, c]));
    const updated = new Map<string, ConversationRow & { oldStatus: string }>();
    if (agg.size) {
      const facts = [...agg.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, a]) => {
        const c = before.get(id)!;
        if (!isNew.has(id)) return [ws, id, c.number, c.customerId, c.subject, 'open', a.channel, a.channelId, c.serviceAreaId, a.n, c.createdAt, a.at, a.at, a.at];
        // A new thread gets the values the upsert's rules give a known one: the latest inserted
        // message sets last activity and channel, unless it is older than the thread's creation
        // (the first message, which may have lost a race to a redelivery).
        const latest = a.at >= c.createdAt;
        const last = latest ? a.at : c.createdAt;
        return [ws, id, c.number, c.customerId, c.subject, 'open', latest ? a.channel : c.channel, (latest ? a.channelId : null) ?? c.channelId,
          c.serviceAreaId, a.n, c.createdAt, last, a.at, last];
      });
      const rows = await bulkInsert<Record<string, any>>(tx, 'conversations as c', cols.conversation, facts, {
        onConflict: sql`(workspace_id, id) do update set
          message_count = c.message_count + excluded.message_count,
          last_message_at = greatest(c.last_message_at, excluded.last_message_at),
          last_inbound_at = greatest(coalesce(c.last_inbound_at, excluded.last_inbound_at), excluded.last_inbound_at),
          channel = case when excluded.last_message_at >= c.last_message_at then excluded.channel else c.channel end,
          channel_id = case when excluded.last_message_at >= c.last_message_at then coalesce(excluded.channel_id, c.channel_id) else c.channel_id end,
          reopen_count = c.reopen_count + (c.status in ('resolved', 'closed'))::int,
          status = 'open', snoozed_until = null, updated_at = greatest(c.updated_at, excluded.updated_at)`,
        returning: 'id, message_count, last_message_at, last_inbound_at, channel, channel_id, updated_at',
      });
      for (const r of rows) {
        const b = before.get(r.id)!;
        updated.set(r.id, {
          ...b, status: 'open', snoozedUntil: null, reopenCount: b.reopenCount + (b.status === 'resolved' || b.status === 'closed' ? 1 : 0), messageCount: Number(r.message_count), lastMessageAt: new Date(r.last_message_at),
          lastInboundAt: new Date(r.last_inbound_at), channel: r.channel, channelId: r.channel_id, updatedAt: new Date(r.updated_at), oldStatus: b.status,
        });
      }
    }

    // 7. Timeline, audit and events, all in this transaction; events leave after commit.
    const timeline: Record<string, unknown>[] = [];
    const audits: Record<string, unknown>[] = [];
    const actor = { actorType: ctx.actor.type, actorId: ctx.actor.id };
    for (const [customerId, it] of createdCustomers) {
      timeline.push({ workspaceId: ws, id: newId(it.at.getTime()), customerId, occurredAt: it.at, kind: 'customer.created', ...actor, summary: `Unverified customer created from ${it.from.kind} ${it.identity}`, data: {} });
      audits.push({ workspaceId: ws, id: newId(), ...actor, action: 'customer.created', entityType: 'customer', entityId: customerId, after: { kind: it.from.kind, value: it.identity, name: it.from.name ?? null }, requestId: it.requestId ?? null });
      emit(tx, 'customer.created', { customerId, data: { from: it.from.kind } });
    }
    for (const c of newThreads) {
      timeline.push({ workspaceId: ws, id: newId(c.createdAt.getTime()), customerId: c.customerId, conversationId: c.id, occurredAt: c.createdAt, kind: 'conversation.opened', ...actor,
        summary: `Conversation #${c.number} opened on ${c.channel}${c.subject ? `: ${c.subject}` : ''}`, data: {} });
      emit(tx, 'conversation.created', { customerId: c.customerId, conversationId: c.id, data: { channel: c.channel, serviceAreaId: c.serviceAreaId } });
    }
    const received = { messageIds: [] as string[], timelineIds: [] as string[], auditIds: [] as string[], requestIds: [] as (string | null)[] };
    const reopened = new Set<string>();
    const announced = new Set<string>();
    live.forEach((n, i) => {
      const m = insertedById.get(msgRows[i].id);
      if (!m) return;
      const conv = updated.get(m.conversationId)!;
      const it = items[n];
      received.messageIds.push(m.id); received.timelineIds.push(newId(it.at.getTime()));
      if (conv.oldStatus !== 'open' && !reopened.has(conv.id)) {
        reopened.add(conv.id);
        timeline.push({ workspaceId: ws, id: newId(it.at.getTime()), customerId: m.customerId, conversationId: conv.id, occurredAt: it.at, kind: 'conversation.reopened', ...actor, summary: `Conversation #${conv.number} reopened by the customer's reply`, data: {} });
        emit(tx, 'conversation.updated', { customerId: m.customerId, conversationId: conv.id, data: { changes: { status: { from: conv.oldStatus, to: 'open' } } } });
      }
      received.auditIds.push(newId()); received.requestIds.push(it.requestId ?? null);
      emit(tx, 'message.created', { customerId: m.customerId, conversationId: m.conversationId,
        data: { messageId: m.id, direction: 'in', channel: m.channel, serviceAreaId: conv.serviceAreaId, preview: m.bodyText.slice(0, 140), status: conv.status, messageCount: conv.messageCount, lastMessageAt: toIso(conv.lastMessageAt) } });
      const customerCreated = createdCustomers.has(m.customerId) && !announced.has(m.customerId);
      announced.add(m.customerId);
      out[n] = { duplicate: false, message: messageView(m), conversation: conversationView(conv), customerCreated };
    });
    // Written with the transaction's last statement, beside the NOTIFY (deferWrite): no round trip of their own.
    if (timeline.length) await deferWrite(tx, bulkInsertSql('timeline_entries', cols.timeline, timeline.map((e) => [ws, e.id, e.customerId, e.occurredAt, e.kind, e.actorType, e.actorId, e.conversationId ?? null, e.refId ?? null, e.summary, e.data])));
    await recordMessageEntries(tx, received.messageIds, received.timelineIds);
    if (received.messageIds.length) await auditReceived(tx, received.messageIds, received.auditIds, received.requestIds);
    if (audits.length) await deferWrite(tx, bulkInsertSql('audit_log', cols.audit, audits.map((a) => [ws, a.id, new Date(), a.actorType, a.actorId, a.action, a.entityType, a.entityId, a.after, a.requestId])));

    // Copies of an external id repeated inside the batch answer with the first copy's message.
    items.forEach((it, n) => {
      if (out[n] || !it.externalId) return;
      const first = out[firstOfExt.get(key(it.channel, it.externalId))!]!;
      out[n] = { duplicate: true, message: first.message, conversation: null, customerCreated: false };
    });
    return out as IngestOutcome[];
  });
}

/**
 * The audit row of each received message, derived in the database from the message row just
 * written (as its timeline entry is, by recordMessageEntries): the text crosses the wire once.
 */
async function auditReceived(ctx: Ctx, messageIds: string[], auditIds: string[], requestIds: (string | null)[]) {
  await deferWrite(ctx, sql`
    insert into audit_log (workspace_id, id, at, actor_type, actor_id, action, entity_type, entity_id, after, request_id)
    select m.workspace_id, v.aid, now(), ${ctx.actor.type}, ${ctx.actor.id}, 'message.received', 'message', m.id::text,
      jsonb_build_object('conversationId', m.conversation_id, 'channel', m.channel, 'externalId', m.external_id), v.req
    from unnest(${textArray(messageIds)}::uuid[], ${textArray(auditIds)}::uuid[], ${textArray(requestIds)}::text[]) as v(mid, aid, req)
    cross join lateral (select * from messages m where m.workspace_id = ${ctx.workspaceId} and m.id = v.mid limit 1) m`);
}
