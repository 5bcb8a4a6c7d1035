import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { DomainEvent } from '../src/platform/events.ts';
import {
  receiveMessage, createConversation, postMessage, updateConversation, listConversations, listMessages, getConversation,
  updateDeliveryStatus, wakeSnoozedConversations, ingestBatch, receiveMessages,
} from '../src/domains/conversations/index.ts';
import { createCustomer, getTimeline, mergeCustomers, getCustomer, linkIdentity, updateCustomer } from '../src/domains/customers/index.ts';
import { createTeam } from '../src/domains/workspaces/index.ts';
import { messageSummary } from '../src/domains/conversations/message-timeline.ts';
import { upsertServiceArea, upsertPlan, upsertSubscription } from '../src/domains/billing/index.ts';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app); });

const inbound = (value: string, bodyText: string, extra: Record<string, unknown> = {}) =>
  receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value }, bodyText, ...extra } as any });

describe('receiving messages', () => {
  it('opens a conversation for a new sender, creating an unverified customer', async () => {
    const r = await inbound('new@example.com', 'My internet is down', { subject: 'Outage', externalId: 'm-1' });
    expect(r.duplicate).toBe(false);
    expect(r.customerCreated).toBe(true);
    expect(r.conversation).toMatchObject({ status: 'open', channel: 'email', subject: 'Outage', messageCount: 1 });
    expect(r.message).toMatchObject({ direction: 'in', authorType: 'customer', deliveryStatus: 'received', bodyText: 'My internet is down' });
  });

  it('treats a redelivery with the same external id as a no-op', async () => {
    const first = await inbound('dup@example.com', 'once', { externalId: 'dup-1' });
    const again = await inbound('dup@example.com', 'once', { externalId: 'dup-1' });
    expect(again.duplicate).toBe(true);
    expect(again.message.id).toBe(first.message.id);
    const msgs = await listMessages({ ctx: t.agentCtx, conversationId: first.conversation!.id, input: {} });
    expect(msgs.data).toHaveLength(1);
    // the same external id on another channel is another message
    const other = await receiveMessage({ ctx: t.system, input: { channel: 'sms', from: { kind: 'phone', value: '+31611111111' }, bodyText: 'x', externalId: 'dup-1' } });
    expect(other.duplicate).toBe(false);
  });

  it('joins the open conversation across channels: chat, then email, then WhatsApp is one thread', async () => {
    const c = await createCustomer({ ctx: t.agentCtx, input: { name: 'Multi', email: 'multi@example.com', identities: [{ kind: 'whatsapp', value: '31622222222' }, { kind: 'portal', value: 'multi' }] } });
    const a = await receiveMessage({ ctx: t.system, input: { channel: 'chat', from: { kind: 'portal', value: 'multi' }, bodyText: 'hi on chat' } });
    const b = await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: 'multi@example.com' }, bodyText: 'and by email' } });
    const w = await receiveMessage({ ctx: t.system, input: { channel: 'whatsapp', from: { kind: 'whatsapp', value: '31622222222' }, bodyText: 'and whatsapp' } });
    expect(a.conversation!.customerId).toBe(c.id);
    expect(new Set([a.conversation!.id, b.conversation!.id, w.conversation!.id]).size).toBe(1);
    expect(w.conversation).toMatchObject({ messageCount: 3, channel: 'whatsapp' });
  });

  it('reopens a pending conversation on a customer reply, and starts a new one after resolution', async () => {
    const first = await inbound('reopen@example.com', 'question');
    const id = first.conversation!.id;
    await updateConversation({ ctx: t.agentCtx, id, input: { status: 'pending' } });
    const reply = await inbound('reopen@example.com', 'more info');
    expect(reply.conversation).toMatchObject({ id, status: 'open' });
    await updateConversation({ ctx: t.agentCtx, id, input: { status: 'resolved' } });
    const fresh = await inbound('reopen@example.com', 'a new matter');
    expect(fresh.conversation!.id).not.toBe(id);
    // a reply on the resolved thread itself (the channel knows the thread) reopens it
    const threaded = await inbound('reopen@example.com', 'about the old one', { conversationId: id });
    expect(threaded.conversation).toMatchObject({ id, status: 'open' });
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: first.conversation!.customerId, input: {} });
    expect(tl.data.filter((e) => e.kind === 'conversation.reopened').length).toBe(2);
  });

  it('rolls back everything when the ingest fails part-way, and publishes no event', async () => {
    // A trigger makes the message insert fail after the customer and conversation rows were written.
    await app.database.query(`create or replace function candor_test_fail() returns trigger language plpgsql as $$
      begin if new.body_text = 'explode' then raise exception 'disk on fire'; end if; return new; end $$`);
    await app.database.query('create trigger candor_test_fail before insert on messages for each row execute function candor_test_fail()');
    const seen: DomainEvent[] = [];
    const off = app.bus.subscribe((e) => seen.push(e));
    try {
      await expect(inbound('rollback@example.com', 'explode')).rejects.toThrow();
    } finally {
      off();
      await app.database.query('drop trigger candor_test_fail on messages');
    }
    expect(seen.filter((e) => e.workspaceId === t.ws.id)).toHaveLength(0);
    const rows = await app.database.query("select 1 from customer_identities where workspace_id = $1 and value = 'rollback@example.com'", [t.ws.id]);
    expect(rows).toHaveLength(0);
    const retry = await inbound('rollback@example.com', 'now it works');
    expect(retry.customerCreated).toBe(true);
  });

  it('records a new customer once, though its first batch opens two threads for it', async () => {
    const w = await newWorkspace(app, 'Twice');
    const from = { kind: 'email' as const, value: 'twice@example.com' };
    const [a, b] = await receiveMessages({ ctx: w.system, input: [
      { channel: 'email', from, bodyText: 'first matter' },
      { channel: 'email', from, bodyText: 'second matter', newConversation: true },
    ] });
    expect(a.message.conversationId).not.toBe(b.message.conversationId);
    expect([a.customerCreated, b.customerCreated]).toEqual([true, false]);
    const [row] = await app.database.query<{ timeline: number; audit: number }>(
      "select (select count(*)::int from timeline_entries where workspace_id = $1 and kind = 'customer.created') as timeline, (select count(*)::int from audit_log where workspace_id = $1 and action = 'customer.created') as audit", [w.ws.id]);
    expect(row).toEqual({ timeline: 1, audit: 1 });
  });

  it("writes a new thread with the facts of all its messages in the batch, in the customer's service area", async () => {
    const w = await newWorkspace(app, 'Facts');
    const area = await upsertServiceArea({ ctx: w.system, input: { code: 'east', name: 'East' } });
    const plan = await upsertPlan({ ctx: w.system, input: { code: 'F1', name: 'Fibre 1', priceCents: 100, currency: 'EUR', downloadMbps: 1, uploadMbps: 1 } });
    const known = await createCustomer({ ctx: w.agentCtx, input: { name: 'Known', email: 'known@example.com' } });
    await upsertSubscription({ ctx: w.system, input: { externalRef: 'S-1', customerId: known.id, planId: plan.id, serviceAreaId: area.id, address: 'Dorpsstraat 1' } });
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const rs = await receiveMessages({ ctx: w.system, input: [
      { channel: 'email', from: { kind: 'email', value: 'known@example.com' }, bodyText: 'one', receivedAt: at(0) },
      { channel: 'email', from: { kind: 'email', value: 'stranger@example.com' }, bodyText: 'a', receivedAt: at(1), subject: 'S' },
      { channel: 'email', from: { kind: 'email', value: 'known@example.com' }, bodyText: 'two', receivedAt: at(5) },
      { channel: 'email', from: { kind: 'email', value: 'stranger@example.com' }, bodyText: 'b', receivedAt: at(3) },
    ] });
    expect(new Set(rs.map((r) => r.message.conversationId)).size).toBe(2);
    const facts = async (id: string) => (await app.database.query<Record<string, any>>(
      'select message_count, channel, created_at, last_message_at, last_inbound_at, updated_at, status, service_area_id from conversations where workspace_id = $1 and id = $2', [w.ws.id, id]))[0];
    expect(await facts(rs[0].message.conversationId)).toMatchObject({ message_count: 2, status: 'open', service_area_id: area.id });
    const k = await facts(rs[0].message.conversationId);
    expect([k.created_at, k.last_message_at, k.last_inbound_at, k.updated_at].map((d: Date) => d.toISOString())).toEqual([at(0), at(5), at(5), at(5)]);
    const s = await facts(rs[1].message.conversationId);
    expect(s).toMatchObject({ message_count: 2, service_area_id: null });
    expect([s.created_at, s.last_message_at].map((d: Date) => d.toISOString())).toEqual([at(1), at(3)]);
    // Every answer carries the thread as it stands after the whole batch.
    expect(rs.map((r) => r.conversation!.messageCount)).toEqual([2, 2, 2, 2]);
    expect(rs[1].conversation).toMatchObject({ serviceAreaId: null, subject: 'S', lastMessageAt: at(3) });
    expect(rs[0].conversation).toMatchObject({ serviceAreaId: area.id, lastMessageAt: at(5) });

    // A known thread: a late message (older than its last) counts but changes neither its last
    // activity nor its channel; a newer one moves both.
    const fromKnown = (bodyText: string, s: number) => ({ channel: 'chat' as const, from: { kind: 'email' as const, value: 'known@example.com' }, bodyText, receivedAt: at(s) });
    const [late] = await receiveMessages({ ctx: w.system, input: [fromKnown('late', 4)] });
    expect(late.conversation).toMatchObject({ id: rs[0].message.conversationId, messageCount: 3, channel: 'email', lastMessageAt: at(5), lastInboundAt: at(5) });
    const [newer] = await receiveMessages({ ctx: w.system, input: [fromKnown('newer', 9)] });
    expect(newer.conversation).toMatchObject({ messageCount: 4, channel: 'chat', lastMessageAt: at(9), lastInboundAt: at(9) });
    expect(await facts(rs[0].message.conversationId)).toMatchObject({ message_count: 4, channel: 'chat' });
  });

  it('resolves one new sender to one customer and one thread when two batches race to create them', async () => {
    // Two transactions at once (PostgreSQL runs them concurrently): both find no identity, both
    // claim it, one wins the unique index; the other finds the winner's customer and joins its thread.
    const w = await newWorkspace(app, 'Race');
    const item = (n: number) => ({ channel: 'chat', from: { kind: 'email', value: 'racer@example.com' }, identity: 'racer@example.com', bodyText: `race ${n}`, at: new Date(), newConversation: false });
    const [a, b] = await Promise.all([ingestBatch(w.system, [item(1) as any]), ingestBatch(w.system, [item(2) as any])]);
    expect(a[0].message.customerId).toBe(b[0].message.customerId);
    expect(a[0].message.conversationId).toBe(b[0].message.conversationId);
    const [row] = await app.database.query<{ customers: number; conversations: number; messages: number }>(
      'select (select count(*)::int from customers where workspace_id = $1) as customers, (select count(*)::int from conversations where workspace_id = $1) as conversations, (select count(*)::int from messages where workspace_id = $1) as messages', [w.ws.id]);
    expect(row).toEqual({ customers: 1, conversations: 1, messages: 2 });
  });

  it('commits a burst of concurrent messages together without mixing senders or losing one', async () => {
    const w = await newWorkspace(app, 'Burst');
    const sends = Array.from({ length: 60 }, (_, i) => receiveMessage({ ctx: w.system, input: {
      channel: i % 2 ? 'whatsapp' : 'sms', from: i % 2 ? { kind: 'whatsapp', value: `3160000${String(i % 10).padStart(4, '0')}` } : { kind: 'phone', value: `+3161000${String(i % 10).padStart(4, '0')}` },
      bodyText: `burst ${i}`, externalId: `burst-${i % 50}`,
    } }));
    const results = await Promise.all(sends);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(50);
    expect(results.filter((r) => r.duplicate).map((r) => r.message.externalId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `burst-${i}`).sort());
    // one customer and one conversation per sender, however the burst was batched
    const bySender = new Map<string, Set<string>>();
    results.filter((r) => !r.duplicate).forEach((r) => {
      const set = bySender.get(r.message.customerId) ?? new Set(); set.add(r.message.conversationId); bySender.set(r.message.customerId, set);
    });
    expect(bySender.size).toBe(10);
    for (const convs of bySender.values()) expect(convs.size).toBe(1);
    expect(results.filter((r) => r.customerCreated)).toHaveLength(10);
    const list = await listConversations({ ctx: w.agentCtx, input: { limit: 100 } });
    expect(list.data).toHaveLength(10);
    expect(list.data.reduce((n, c) => n + c.messageCount, 0)).toBe(50);
  });

  it('fails only the bad message of a batch', async () => {
    await app.database.query(`create or replace function candor_test_fail() returns trigger language plpgsql as $$
      begin if new.body_text = 'poison' then raise exception 'poison'; end if; return new; end $$`);
    await app.database.query('create trigger candor_test_fail before insert on messages for each row execute function candor_test_fail()');
    try {
      const results = await Promise.allSettled(['fine 1', 'poison', 'fine 2', 'fine 3'].map((bodyText, i) => inbound(`batch${i}@example.com`, bodyText)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    } finally {
      await app.database.query('drop trigger candor_test_fail on messages');
    }
  });

  it('names the field of invalid input and drops NUL characters instead of failing', async () => {
    await expect(receiveMessage({ ctx: t.system, input: { channel: 'fax', from: { kind: 'email', value: 'x@example.com' }, bodyText: '' } as any }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/channel.*bodyText|bodyText.*channel/s) });
    const r = await inbound('nul@example.com', 'a\u0000b');
    expect(r.message.bodyText).toBe('ab');
  });
});

describe('the record of each message', () => {
  it('puts every message on the customer timeline with the same summary, however it came in, and audits what was received', async () => {
    // Tabs, newlines and a run of spaces collapse; a no-break space stays; the cut counts characters, so an emoji is never split.
    const text = `Line one\t\tand\r\n  two\u00a0three ${'é'.repeat(120)}${'😀'.repeat(60)}`;
    const r = await inbound('record@example.com', text, { externalId: 'rec-1' });
    const id = r.conversation!.id;
    const note = await postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'checking\n\nthe line', direction: 'note' } });
    const out = await postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'We  are on it' } });
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: r.conversation!.customerId, input: { kinds: ['message.received', 'message.noted', 'message.sent'] } });
    expect(tl.data.map((e) => ({ kind: e.kind, refId: e.refId, conversationId: e.conversationId, summary: e.summary, data: e.data, actorType: e.actorType })).reverse()).toEqual([
      { kind: 'message.received', refId: r.message.id, conversationId: id, summary: messageSummary('email', text), data: { channel: 'email', direction: 'in' }, actorType: 'system' },
      { kind: 'message.noted', refId: note.id, conversationId: id, summary: 'email: checking the line', data: { channel: 'email', direction: 'note' }, actorType: 'agent' },
      { kind: 'message.sent', refId: out.id, conversationId: id, summary: 'email: We are on it', data: { channel: 'email', direction: 'out' }, actorType: 'agent' },
    ]);
    expect(messageSummary('email', text)).toBe(`email: Line one and two\u00a0three ${'é'.repeat(120)}${'😀'.repeat(160 - 143)}`);
    expect(tl.data.at(-1)!.occurredAt).toBe(r.message.createdAt);
    const audit = await app.database.query<{ action: string; entity_id: string; after: unknown; actor_type: string }>(
      "select action, entity_id, after, actor_type from audit_log where workspace_id = $1 and entity_type = 'message' and entity_id = $2", [t.ws.id, r.message.id]);
    expect(audit).toEqual([{ action: 'message.received', entity_id: r.message.id, after: { conversationId: id, channel: 'email', externalId: 'rec-1' }, actor_type: 'system' }]);
  });
});

describe('agents working conversations', () => {
  it('records first response once, queues the reply for delivery and keeps notes internal', async () => {
    const r = await inbound('reply@example.com', 'help please');
    const id = r.conversation!.id;
    const note = await postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'checking the line', direction: 'note' } });
    expect(note).toMatchObject({ direction: 'note', authorType: 'agent', authorId: t.agent.id, deliveryStatus: 'sent' });
    expect((await getConversation({ ctx: t.agentCtx, id })).firstResponseAt).toBeNull();
    const out = await postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'We are on it' } });
    expect(out).toMatchObject({ direction: 'out', channel: 'email', deliveryStatus: 'queued' });
    const c1 = await getConversation({ ctx: t.agentCtx, id });
    expect(c1.firstResponseAt).toBe(out.createdAt);
    await postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'second' } });
    expect((await getConversation({ ctx: t.agentCtx, id })).firstResponseAt).toBe(c1.firstResponseAt);
    const [job] = await app.database.query<{ queue: string; payload: any }>("select queue, payload from jobs where workspace_id = $1 and payload->>'messageId' = $2", [t.ws.id, out.id]);
    expect(job.queue).toBe('outbound.deliver');
  });

  it('assigns, prioritises, tags, resolves and closes with timestamps and timeline entries', async () => {
    const team = await createTeam({ ctx: t.adminCtx, input: { name: 'Billing' } });
    const r = await inbound('work@example.com', 'bill question');
    const id = r.conversation!.id;
    const u = await updateConversation({ ctx: t.agentCtx, id, input: { assigneeId: t.agent.id, teamId: team.id, priority: 'high', tags: ['billing', 'billing', 'vip'] } });
    expect(u).toMatchObject({ assigneeId: t.agent.id, teamId: team.id, priority: 'high', tags: ['billing', 'vip'] });
    const resolved = await updateConversation({ ctx: t.agentCtx, id, input: { status: 'resolved' } });
    expect(resolved.resolvedAt).not.toBeNull();
    const closed = await updateConversation({ ctx: t.agentCtx, id, input: { status: 'closed' } });
    expect(closed.closedAt).not.toBeNull();
    await expect(postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'late' } })).rejects.toMatchObject({ code: 'conflict' });
    const kinds = (await getTimeline({ ctx: t.agentCtx, customerId: r.conversation!.customerId, input: {} })).data.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['conversation.assigned', 'conversation.resolved', 'conversation.closed', 'message.received', 'conversation.opened']));
  });

  it('requires snoozedUntil to snooze and refuses an unknown assignee', async () => {
    const r = await inbound('snooze@example.com', 'later');
    await expect(updateConversation({ ctx: t.agentCtx, id: r.conversation!.id, input: { status: 'snoozed' } })).rejects.toMatchObject({ message: expect.stringContaining('snoozedUntil') });
    await expect(updateConversation({ ctx: t.agentCtx, id: r.conversation!.id, input: { assigneeId: '01900000-0000-7000-8000-000000000000' } })).rejects.toMatchObject({ code: 'not_found' });
    const s = await updateConversation({ ctx: t.agentCtx, id: r.conversation!.id, input: { status: 'snoozed', snoozedUntil: new Date(Date.now() + 3600_000) } });
    expect(s.status).toBe('snoozed');
  });

  it('wakes a snoozed conversation when its time comes, on the timeline', async () => {
    const r = await inbound('wake@example.com', 'remind me');
    const until = new Date(Date.now() + 60_000);
    await updateConversation({ ctx: t.agentCtx, id: r.conversation!.id, input: { status: 'snoozed', snoozedUntil: until } });
    await wakeSnoozedConversations({ app, now: new Date(until.getTime() - 1000) });
    expect((await getConversation({ ctx: t.agentCtx, id: r.conversation!.id })).status).toBe('snoozed');
    await wakeSnoozedConversations({ app, now: new Date(until.getTime() + 1000) });
    const c = await getConversation({ ctx: t.agentCtx, id: r.conversation!.id });
    expect(c).toMatchObject({ status: 'open', snoozedUntil: null });
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: c.customerId, input: { limit: 1 } });
    expect(tl.data[0]).toMatchObject({ kind: 'conversation.reopened', actorType: 'system', actorId: 'snooze-timer' });
  });

  it("replies where the customer last wrote, unless they prefer a channel they can be reached on", async () => {
    const c = await createCustomer({ ctx: t.agentCtx, input: { name: 'Pref', email: 'pref@example.com', identities: [{ kind: 'whatsapp', value: '31655555555' }] } });
    const r = await inbound('pref@example.com', 'by email');
    expect((await postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'one' } })).channel).toBe('email');
    await updateCustomer({ ctx: t.agentCtx, id: c.id, input: { channelPrefs: { preferred: 'whatsapp' } } });
    expect((await postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'two' } })).channel).toBe('whatsapp');
    // a preference the customer cannot be reached on (no phone for SMS) does not strand the reply
    await updateCustomer({ ctx: t.agentCtx, id: c.id, input: { channelPrefs: { preferred: 'sms' } } });
    expect((await postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'three' } })).channel).toBe('email');
    // the agent may still name the channel
    expect((await postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'four', channel: 'email' } })).channel).toBe('email');
  });

  it('starts an outbound conversation for an existing customer', async () => {
    const c = await createCustomer({ ctx: t.agentCtx, input: { name: 'Out', email: 'out@example.com' } });
    const conv = await createConversation({ ctx: t.agentCtx, input: { customerId: c.id, channel: 'email', subject: 'Your new router', message: { bodyText: 'It ships today' } } });
    expect(conv).toMatchObject({ customerId: c.id, messageCount: 1, subject: 'Your new router' });
    expect(conv.messages[0]).toMatchObject({ direction: 'out', authorType: 'agent' });
    expect(conv.firstResponseAt).not.toBeNull();
    // The thread opens, then its first message: newest first, the message is on top.
    const tl = await getTimeline({ ctx: t.agentCtx, customerId: c.id, input: {} });
    expect(tl.data.slice(0, 2).map((e) => [e.kind, e.occurredAt])).toEqual([['message.sent', conv.createdAt], ['conversation.opened', conv.createdAt]]);
  });

  it('moves delivery states forward only, whatever order the callbacks arrive in', async () => {
    const r = await inbound('deliv@example.com', 'x');
    const out = await postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'reply' } });
    await updateDeliveryStatus({ ctx: t.system, messageId: out.id, input: { status: 'read' } });
    const late = await updateDeliveryStatus({ ctx: t.system, messageId: out.id, input: { status: 'delivered' } });
    expect(late.changed).toBe(false);
    expect(late.message.deliveryStatus).toBe('read');
  });

  it('fails a message only while it is queued or sent: a late failure after delivered or read changes nothing', async () => {
    const r = await inbound('late-fail@example.com', 'x');
    const post = () => postMessage({ ctx: t.agentCtx, conversationId: r.conversation!.id, input: { bodyText: 'reply' } });
    const queued = await post();
    expect((await updateDeliveryStatus({ ctx: t.system, messageId: queued.id, input: { status: 'failed', error: 'refused' } })).message)
      .toMatchObject({ deliveryStatus: 'failed', deliveryError: 'refused' });
    const sent = await post();
    await updateDeliveryStatus({ ctx: t.system, messageId: sent.id, input: { status: 'sent' } });
    expect((await updateDeliveryStatus({ ctx: t.system, messageId: sent.id, input: { status: 'failed', error: 'bounced' } })).message)
      .toMatchObject({ deliveryStatus: 'failed', deliveryError: 'bounced' });
    for (const reached of ['delivered', 'read'] as const) {
      const out = await post();
      await updateDeliveryStatus({ ctx: t.system, messageId: out.id, input: { status: reached } });
      const late = await updateDeliveryStatus({ ctx: t.system, messageId: out.id, input: { status: 'failed', error: 'late report' } });
      expect(late.changed).toBe(false);
      expect(late.message).toMatchObject({ deliveryStatus: reached, deliveryError: null });
    }
  });
});

describe('inbox listing', () => {
  it('filters by status, assignee, channel and tag, and pages with a keyset cursor', async () => {
    const w = await newWorkspace(app, 'Inbox');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await receiveMessage({ ctx: w.system, input: { channel: i % 2 ? 'sms' : 'email', from: { kind: 'email', value: `p${i}@example.com` }, bodyText: `m${i}`, receivedAt: new Date(Date.UTC(2026, 0, 1, 0, i)) } });
      ids.push(r.conversation!.id);
    }
    await updateConversation({ ctx: w.agentCtx, id: ids[0], input: { assigneeId: w.agent.id, tags: ['vip'] } });
    const p1 = await listConversations({ ctx: w.agentCtx, input: { status: 'open', limit: 3 } });
    const p2 = await listConversations({ ctx: w.agentCtx, input: { status: 'open', limit: 3, cursor: p1.nextCursor! } });
    const p3 = await listConversations({ ctx: w.agentCtx, input: { status: 'open', limit: 3, cursor: p2.nextCursor! } });
    expect([...p1.data, ...p2.data, ...p3.data].map((c) => c.id)).toEqual([...ids].reverse());
    expect(p3.nextCursor).toBeNull();
    expect((await listConversations({ ctx: w.agentCtx, input: { channel: 'sms' } })).data).toHaveLength(3);
    expect((await listConversations({ ctx: w.agentCtx, input: { assigneeId: w.agent.id } })).data.map((c) => c.id)).toEqual([ids[0]]);
    expect((await listConversations({ ctx: w.agentCtx, input: { tag: 'vip' } })).data.map((c) => c.id)).toEqual([ids[0]]);
    expect((await listConversations({ ctx: w.agentCtx, input: { unassigned: true } })).data).toHaveLength(6);
  });
});

describe('merging customers', () => {
  it('keeps every conversation, message, identity and timeline entry of both', async () => {
    const a = await createCustomer({ ctx: t.agentCtx, input: { name: 'Merge A', email: 'ma@example.com' } });
    const b = await createCustomer({ ctx: t.agentCtx, input: { email: 'mb@example.com', phone: '+31633333333' } });
    await receiveMessage({ ctx: t.system, input: { channel: 'email', from: { kind: 'email', value: 'ma@example.com' }, bodyText: 'from a' } });
    const rb = await receiveMessage({ ctx: t.system, input: { channel: 'sms', from: { kind: 'phone', value: '+31633333333' }, bodyText: 'from b' } });
    const before = [...(await getTimeline({ ctx: t.agentCtx, customerId: a.id, input: { limit: 200 } })).data, ...(await getTimeline({ ctx: t.agentCtx, customerId: b.id, input: { limit: 200 } })).data];
    const merged = await mergeCustomers({ ctx: t.agentCtx, input: { sourceId: b.id, targetId: a.id } });
    expect(merged.identities.map((i) => i.value).sort()).toEqual(['+31633333333', 'ma@example.com', 'mb@example.com']);
    const convs = await listConversations({ ctx: t.agentCtx, input: { customerId: a.id } });
    expect(convs.data).toHaveLength(2);
    const msgs = await listMessages({ ctx: t.agentCtx, conversationId: rb.conversation!.id, input: {} });
    expect(msgs.data.every((m) => m.customerId === a.id)).toBe(true);
    const after = (await getTimeline({ ctx: t.agentCtx, customerId: a.id, input: { limit: 200 } })).data;
    expect(after.map((e) => e.id)).toEqual(expect.arrayContaining(before.map((e) => e.id)));
    expect(after.some((e) => e.kind === 'customer.merged')).toBe(true);
    // the old id still resolves, to the survivor; new messages from b's phone land on a
    expect((await getCustomer({ ctx: t.agentCtx, id: b.id })).id).toBe(a.id);
    const later = await receiveMessage({ ctx: t.system, input: { channel: 'sms', from: { kind: 'phone', value: '+31633333333' }, bodyText: 'again' } });
    expect(later.conversation!.customerId).toBe(a.id);
    await expect(linkIdentity({ ctx: t.agentCtx, customerId: a.id, input: { kind: 'email', value: 'mb@example.com' } })).resolves.toBeTruthy();
    await expect(mergeCustomers({ ctx: t.agentCtx, input: { sourceId: a.id, targetId: a.id } })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
