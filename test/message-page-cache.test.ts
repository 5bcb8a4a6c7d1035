import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { BUS_RECONNECTED, type DomainEvent } from '../src/platform/events.ts';
import { receiveMessage, postMessage, updateConversation, updateDeliveryStatus } from '../src/domains/conversations/index.ts';
import { MessagePageCache, messagePageCache, type Page } from '../src/domains/conversations/message-page-cache.ts';
import { createCustomer, mergeCustomers } from '../src/domains/customers/index.ts';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app); other = await newWorkspace(app, 'Other'); });

const page = async (w: TestWorkspace, conversationId: string, query = '') => {
  const res = await w.request(`/api/v1/conversations/${conversationId}/messages${query}`);
  return { status: res.status, body: await res.json() as any };
};
const inbound = (value: string, bodyText: string) =>
  receiveMessage({ ctx: t.system, input: { channel: 'chat', from: { kind: 'email', value }, bodyText } });

describe('message pages served from the node cache', () => {
  it('serves a repeated read from memory, and shows a new message on the next read', async () => {
    const first = await inbound('cache-a@example.com', 'one');
    const id = first.conversation!.id;
    const cache = messagePageCache(app);
    expect((await page(t, id)).body.data.map((m: any) => m.bodyText)).toEqual(['one']);
    const hits = cache.hits;
    expect((await page(t, id)).body.data).toHaveLength(1);
    expect(cache.hits).toBe(hits + 1);

    await inbound('cache-a@example.com', 'two');
    const after = await page(t, id);
    expect(after.body.data.map((m: any) => m.bodyText)).toEqual(['one', 'two']);
    expect(after.body.conversation.messageCount).toBe(2);
  });

  it('shows an agent reply, its delivery status and a status change as soon as each is committed', async () => {
    const first = await inbound('cache-b@example.com', 'help');
    const id = first.conversation!.id;
    await page(t, id);
    const reply = await postMessage({ ctx: t.agentCtx, conversationId: id, input: { bodyText: 'on it' } });
    expect((await page(t, id)).body.data.find((m: any) => m.id === reply.id)).toMatchObject({ bodyText: 'on it' });

    await updateDeliveryStatus({ ctx: t.system, messageId: reply.id, input: { status: 'failed', error: 'mailbox full' } });
    expect((await page(t, id)).body.data.find((m: any) => m.id === reply.id)).toMatchObject({ deliveryStatus: 'failed', deliveryError: 'mailbox full' });

    await updateConversation({ ctx: t.agentCtx, id, input: { status: 'pending', priority: 'high' } });
    expect((await page(t, id)).body.conversation).toMatchObject({ status: 'pending', priority: 'high' });
  });

  it('keeps every page of a conversation fresh, not only the first', async () => {
    const first = await inbound('cache-c@example.com', 'm0');
    const id = first.conversation!.id;
    for (let i = 1; i < 3; i++) await inbound('cache-c@example.com', `m${i}`);
    const p1 = await page(t, id, '?limit=2');
    const cursor = encodeURIComponent(p1.body.nextCursor);
    expect((await page(t, id, `?limit=2&cursor=${cursor}`)).body.data.map((m: any) => m.bodyText)).toEqual(['m2']);
    await inbound('cache-c@example.com', 'm3');
    expect((await page(t, id, `?limit=2&cursor=${cursor}`)).body.data.map((m: any) => m.bodyText)).toEqual(['m2', 'm3']);
  });

  it('moves cached messages with their customer when two customers are merged', async () => {
    const first = await inbound('merge-src@example.com', 'before the merge');
    const id = first.conversation!.id;
    expect((await page(t, id)).body.data[0].customerId).toBe(first.conversation!.customerId);
    const target = await createCustomer({ ctx: t.agentCtx, input: { name: 'Target', email: 'merge-target@example.com' } });
    await mergeCustomers({ ctx: t.agentCtx, input: { sourceId: first.conversation!.customerId, targetId: target.id } });
    const after = (await page(t, id)).body;
    expect(after.conversation.customerId).toBe(target.id);
    expect(after.data[0].customerId).toBe(target.id);
  });

  it('never serves one workspace the page another workspace has cached', async () => {
    const first = await inbound('isolated@example.com', 'private to workspace one');
    const id = first.conversation!.id;
    expect((await page(t, id)).status).toBe(200); // now cached on this node
    const foreign = await page(other, id);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('private to workspace one');
  });
});

describe('MessagePageCache', () => {
  const bytes = (s: string): Page => Buffer.from(s);
  const event = (type: string, workspaceId: string, conversationId?: string): DomainEvent =>
    ({ id: 'e', type, workspaceId, conversationId, at: new Date().toISOString(), data: {} });
  let loads = 0;
  const load = (s: string) => async () => { loads++; return bytes(s); };

  it('does not keep a page read while its conversation changed', async () => {
    const cache = new MessagePageCache(1 << 20);
    let finish!: (p: Page) => void;
    const slow = cache.get('w', 'c', 'p', () => new Promise<Page>((r) => { finish = r; }));
    cache.observe(event('message.created', 'w', 'c')); // committed while the read was in flight
    finish(bytes('old'));
    expect((await slow).toString()).toBe('old'); // that caller gets what it read…
    expect((await cache.get('w', 'c', 'p', load('new'))).toString()).toBe('new'); // …but nobody after it
  });

  it('shares one query among concurrent misses of the same page', async () => {
    const cache = new MessagePageCache(1 << 20);
    loads = 0;
    const all = await Promise.all(Array.from({ length: 5 }, () => cache.get('w', 'c', 'p', load('x'))));
    expect(all.map(String)).toEqual(['x', 'x', 'x', 'x', 'x']);
    expect(loads).toBe(1);
  });

  it('forgets a conversation, a workspace or everything, as the event says', async () => {
    const cache = new MessagePageCache(1 << 20);
    const fill = async () => { for (const [w, c] of [['w1', 'a'], ['w1', 'b'], ['w2', 'a']]) await cache.get(w, c, 'p', load(`${w}${c}`)); };
    const cached = () => cache.size.pages;
    await fill();
    expect(cached()).toBe(3);
    cache.observe(event('invoice.issued', 'w1')); // billing never changes a message page
    cache.observe(event('customer.updated', 'w1'));
    expect(cached()).toBe(3);
    cache.observe(event('conversation.updated', 'w1', 'a'));
    expect(cached()).toBe(2);
    cache.observe(event('customer.merged', 'w1')); // no conversation named: the whole workspace
    expect(cached()).toBe(1);
    await fill();
    cache.observe(event(BUS_RECONNECTED, '')); // events may have been missed: everything
    expect(cached()).toBe(0);
  });

  it('drops the least recently used pages beyond its byte budget', async () => {
    const cache = new MessagePageCache(25);
    for (const c of ['a', 'b']) await cache.get('w', c, 'p', load('x'.repeat(10)));
    await cache.get('w', 'a', 'p', load('unused')); // a is now the most recently used
    await cache.get('w', 'c', 'p', load('y'.repeat(10)));
    expect(cache.size).toEqual({ pages: 2, bytes: 20 });
    loads = 0;
    await cache.get('w', 'a', 'p', load('reloaded'));
    expect(loads).toBe(0);
    expect((await cache.get('w', 'b', 'p', load('reloaded'))).toString()).toBe('reloaded');
  });
});
