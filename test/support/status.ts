import type { TestWorkspace } from './workspace.ts';
import { createCustomer } from '../../src/domains/customers/index.ts';
import { upsertPlan, upsertServiceArea, upsertSubscription } from '../../src/domains/billing/index.ts';

export type Person = { id: string; name: string; email: string; area: 'north' | 'south'; preferred: string | null };

/**
 * Two service areas (North, South), one plan (€45/month) and customers in each: North has three
 * (one prefers SMS, one has opted out of notices, one by email), South two by email.
 */
export async function statusFixture(w: TestWorkspace, tag = 'x') {
  const north = await upsertServiceArea({ ctx: w.system, input: { code: `north-${tag}`, name: `North ${tag}`, region: 'Utrecht' } });
  const south = await upsertServiceArea({ ctx: w.system, input: { code: `south-${tag}`, name: `South ${tag}` } });
  await upsertPlan({ ctx: w.system, input: { code: `F100-${tag}`, name: 'Fibre 100', priceCents: 4500, currency: 'EUR', downloadMbps: 100, uploadMbps: 100 } });
  const people: Person[] = [];
  const add = async (area: 'north' | 'south', n: number, extra: Record<string, unknown> = {}, started = '2024-01-01T00:00:00Z') => {
    const email = `${area}${n}-${tag}@example.test`;
    const c = await createCustomer({ ctx: w.system, input: { name: `${area} ${n} ${tag}`, email, timezone: 'Europe/Amsterdam', ...extra } });
    await upsertSubscription({ ctx: w.system, input: { externalRef: `sub-${area}-${n}-${tag}`, customerId: c.id, planCode: `F100-${tag}`, serviceAreaCode: `${area}-${tag}`, address: `Street ${n}`, startedAt: started } as any });
    people.push({ id: c.id, name: c.name ?? '', email, area, preferred: (extra.channelPrefs as any)?.preferred ?? null });
    return c;
  };
  await add('north', 1, { phone: '+31611111111', channelPrefs: { preferred: 'sms', quietHours: null } });
  await add('north', 2, { consent: { marketing: false, surveys: true, serviceNotices: false } });
  await add('north', 3, { channelPrefs: { preferred: 'email' } });
  await add('south', 1);
  await add('south', 2);
  return { north, south, people };
}
