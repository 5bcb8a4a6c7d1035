import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { createCustomer, getCustomer, linkIdentity, resolveIdentity, updateCustomer, listCustomers } from '../src/domains/customers/index.ts';
import { listAuditLog } from '../src/domains/workspaces/index.ts';

let app: Platform;
let t: TestWorkspace;
beforeAll(async () => { app = await testPlatform(); t = await newWorkspace(app); });

describe('customers', () => {
  it('creates a customer whose email and phone become identities', async () => {
    const c = await createCustomer({ ctx: t.agentCtx, input: { name: 'Ada Lovelace', email: 'Ada@Example.com', phone: '+31612345678', language: 'nl' } });
    expect(c.email).toBe('ada@example.com');
    expect(c.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(['email:ada@example.com', 'phone:+31612345678']);
    const again = await getCustomer({ ctx: t.agentCtx, id: c.id });
    expect(again.language).toBe('nl');
  });

  it('rejects a phone that is not E.164 and names the field', async () => {
    await expect(createCustomer({ ctx: t.agentCtx, input: { name: 'X', identities: [{ kind: 'phone', value: '0612345678' }] } }))
      .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('identities.0.value') });
  });

  it('refuses an identity held by another customer', async () => {
    await createCustomer({ ctx: t.agentCtx, input: { name: 'One', email: 'shared@example.com' } });
    await expect(createCustomer({ ctx: t.agentCtx, input: { name: 'Two', email: 'shared@example.com' } })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('resolves a known identity to its customer and a new one to a new unverified customer', async () => {
    const c = await createCustomer({ ctx: t.agentCtx, input: { name: 'Tele', identities: [{ kind: 'telegram', value: '987654' }] } });
    expect(await resolveIdentity({ ctx: t.system, input: { kind: 'telegram', value: '987654' } })).toEqual({ customerId: c.id, created: false });
    const fresh = await resolveIdentity({ ctx: t.system, input: { kind: 'whatsapp', value: '+44 7700 900123', name: 'New Person' } });
    expect(fresh.created).toBe(true);
    const created = await getCustomer({ ctx: t.agentCtx, id: fresh.customerId });
    expect(created).toMatchObject({ verified: false, name: 'New Person' });
    expect(created.identities[0]).toMatchObject({ kind: 'whatsapp', value: '447700900123' });
  });

  it('resolves concurrent first messages from one new address to one customer', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => resolveIdentity({ ctx: t.system, input: { kind: 'email', value: 'race@example.com' } })));
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('links identities, updates consent and preferences, and audits each write', async () => {
    const c = await createCustomer({ ctx: t.agentCtx, input: { name: 'Linker' } });
    await linkIdentity({ ctx: t.agentCtx, customerId: c.id, input: { kind: 'messenger', value: '1234567890' } });
    const u = await updateCustomer({ ctx: t.agentCtx, id: c.id, input: { consent: { marketing: true, surveys: false }, channelPrefs: { preferred: 'whatsapp' } } });
    expect(u.consent).toMatchObject({ marketing: true, surveys: false });
    expect(u.channelPrefs.preferred).toBe('whatsapp');
    expect(u.identities).toHaveLength(1);
    const log = await listAuditLog({ ctx: t.adminCtx, input: { entityType: 'customer', entityId: c.id } });
    expect(log.data.map((e) => e.action).sort()).toEqual(['customer.created', 'customer.updated', 'identity.linked']);
    const upd = log.data.find((e) => e.action === 'customer.updated')!;
    expect(upd).toMatchObject({ actorType: 'agent', actorId: t.agent.id });
    expect((upd.before as any).consent.marketing).toBe(false);
    expect((upd.after as any).consent.marketing).toBe(true);
  });

  it('searches by name and identity and paginates with a cursor', async () => {
    for (let i = 0; i < 5; i++) await createCustomer({ ctx: t.agentCtx, input: { name: `Pager ${i}`, email: `pager${i}@example.org` } });
    const p1 = await listCustomers({ ctx: t.agentCtx, input: { q: 'pager', limit: 3 } });
    expect(p1.data).toHaveLength(3);
    const p2 = await listCustomers({ ctx: t.agentCtx, input: { q: 'pager', limit: 3, cursor: p1.nextCursor! } });
    expect(p2.data).toHaveLength(2);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.data, ...p2.data].map((c) => c.name)).size).toBe(5);
    const byEmail = await listCustomers({ ctx: t.agentCtx, input: { q: 'pager3@' } });
    expect(byEmail.data.map((c) => c.name)).toEqual(['Pager 3']);
  });
});
