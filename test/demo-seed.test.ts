import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import type { Platform } from '../src/platform/platform.ts';
import { seedDemo, formatSeedReport, type SeedResult } from '../src/demo/seed-demo.ts';
import { demoWorkspaceId, generateDemoData, hashDemoData, placeholderRefs } from '../src/demo/generate.ts';
import { login } from '../src/domains/workspaces/index.ts';

let app: Platform;
let seeded: SeedResult;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => app.database.query<T>(text, params);
const one = async (text: string) => Number(Object.values((await q(text, [seeded.workspaceId]))[0])[0]);

const tables = ['customers', 'customer_identities', 'service_areas', 'plans', 'subscriptions', 'usage_daily', 'invoices', 'invoice_lines', 'payments',
  'conversations', 'messages', 'timeline_entries', 'agents', 'teams', 'team_members'];
const countAll = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await one(`select count(*)::int from ${t} where workspace_id = $1`)])));

let crashed: { error: unknown; leftovers: Record<string, number> };

beforeAll(async () => {
  app = await testPlatform();
  // A seed that fails halfway (a row in its way) must leave nothing behind, so the next start seeds again.
  const earlier = new Date(now.getTime() - 3_600_000);
  const blockedId = demoWorkspaceId(42, earlier.getTime());
  await q(`insert into plans (workspace_id, id, code, name, price_cents, currency, download_mbps, upload_mbps) values ($1, $1, 'FIBRE-500', 'in the way', 1, 'EUR', 1, 1)`, [blockedId]);
  const error = await seedDemo(app, { now: earlier, customers: 50, conversations: 60 }).then(() => null, (e) => e);
  const left = async (sql: string) => Number(Object.values((await q(sql, [blockedId]))[0])[0]);
  crashed = { error, leftovers: {
    workspaces: await left(`select count(*)::int from workspaces where id = $1 or slug = 'fibrelink'`),
    agents: await left(`select count(*)::int from agents where workspace_id = $1`),
    customers: await left(`select count(*)::int from customers where workspace_id = $1`),
    audit: await left(`select count(*)::int from audit_log where workspace_id = $1`),
  } };
  await q(`delete from plans where workspace_id = $1`, [blockedId]);
  seeded = await seedDemo(app, { now });
}, 120_000);

describe('demo tenant "fibrelink"', () => {
  it('leaves nothing behind when seeding fails halfway', () => {
    const e = crashed.error as { code?: string; cause?: { code?: string } };
    expect(e.code ?? e.cause?.code).toBe('23505'); // the unique violation we planted
    expect(crashed.leftovers).toEqual({ workspaces: 0, agents: 0, customers: 0, audit: 0 });
  });

  it('creates the workspace with Amsterdam hours, in one go', async () => {
    expect(seeded.created).toBe(true);
    expect(seeded.workspaceId).toBe(demoWorkspaceId(42, now.getTime()));
    expect(formatSeedReport(seeded)).toContain('2,000 customers');
    const [ws] = await q<{ slug: string; is_demo: boolean; settings: any }>('select slug, is_demo, settings from workspaces where id = $1', [seeded.workspaceId]);
    expect(ws).toMatchObject({ slug: 'fibrelink', is_demo: true });
    expect(ws.settings.timezone).toBe('Europe/Amsterdam');
    expect(ws.settings.businessHours).toContainEqual({ day: 6, open: '09:00', close: '17:00' });
    expect(ws.settings.holidays.length).toBeGreaterThanOrEqual(2);
  });

  it('has the minimum volumes', async () => {
    const c = await countAll();
    expect(c.customers).toBeGreaterThanOrEqual(2000);
    expect(c.service_areas).toBeGreaterThanOrEqual(6);
    expect(c.plans).toBeGreaterThanOrEqual(4);
    expect(c.conversations).toBeGreaterThanOrEqual(5000);
    expect(c.agents).toBeGreaterThanOrEqual(9);
    expect(c.teams).toBe(3);
    expect(seeded.counts.customers).toBe(c.customers);
    expect(seeded.counts.usageDays).toBe(c.usage_daily);
    expect(await one(`select count(distinct channel)::int from conversations where workspace_id = $1`)).toBeGreaterThanOrEqual(5);
    expect(await one(`select count(distinct code)::int from service_areas where workspace_id = $1 and code ~ '^[A-Z]{3}-[A-Z]$'`)).toBeGreaterThanOrEqual(6);
  });

  it('gives every active subscription 90 days of usage', async () => {
    expect(await one(`select count(distinct day)::int from usage_daily where workspace_id = $1`)).toBe(90);
    const [r] = await q<{ subs: number; full: number }>(`select count(*)::int as subs, count(*) filter (where n = 90)::int as full from (
      select s.id, count(u.day) as n from subscriptions s left join usage_daily u on u.workspace_id = s.workspace_id and u.subscription_id = s.id
      where s.workspace_id = $1 and s.status = 'active' group by s.id) t`, [seeded.workspaceId]);
    expect(r.subs).toBeGreaterThan(1800);
    expect(r.full).toBe(r.subs);
    // Capped plans: some customers come near their cap (daily MB × 30 > 80% of 250 GB).
    expect(await one(`select count(*)::int from (select u.subscription_id from usage_daily u join subscriptions s on s.workspace_id = u.workspace_id and s.id = u.subscription_id
      join plans p on p.workspace_id = s.workspace_id and p.id = s.plan_id where u.workspace_id = $1 and p.data_cap_gb is not null
      group by 1 having avg(u.download_mb + u.upload_mb) * 30 > 0.8 * 250 * 1024) t`)).toBeGreaterThan(0);
  });

  it('bills every customer three months, totals equal to their lines, most paid', async () => {
    expect(await one(`select count(*)::int from (select c.id from customers c left join invoices i on i.workspace_id = c.workspace_id and i.customer_id = c.id
      where c.workspace_id = $1 group by c.id having count(i.id) <> 3) t`)).toBe(0);
    expect(await one(`select count(*)::int from invoices i left join (select invoice_id, sum(amount_cents) as s from invoice_lines where workspace_id = $1 group by 1) l
      on l.invoice_id = i.id where i.workspace_id = $1 and i.total_cents is distinct from l.s`)).toBe(0);
    expect(await one(`select count(*)::int from invoice_lines where workspace_id = $1 and kind in ('usage', 'proration', 'credit', 'fee')`)).toBeGreaterThan(100);
    expect(await one(`select count(*)::int from invoices i left join payments p on p.workspace_id = i.workspace_id and p.invoice_id = i.id
      where i.workspace_id = $1 and i.status = 'paid' and p.amount_cents is distinct from i.total_cents`)).toBe(0);
    const paid = await one(`select count(*)::int from invoices where workspace_id = $1 and status = 'paid'`);
    const unpaid = await one(`select count(*)::int from invoices where workspace_id = $1 and status in ('open', 'overdue')`);
    // Early in a month the newest invoices are still open; at any time most are paid and some are not.
    expect(paid).toBeGreaterThan((paid + unpaid) * 0.6);
    expect(unpaid).toBeGreaterThan(0);
  });

  it('reaches customers on several channels, with canonical identities', async () => {
    expect(await one(`select count(*)::int from (select customer_id from customer_identities where workspace_id = $1 group by 1 having count(distinct kind) >= 3) t`)).toBeGreaterThan(100);
    expect(await one(`select count(*)::int from customers c where workspace_id = $1 and not exists (
      select 1 from customer_identities i where i.workspace_id = c.workspace_id and i.customer_id = c.id and i.kind = 'email' and i.value = c.email)`)).toBe(0);
    expect(await one(`select count(*)::int from customer_identities where workspace_id = $1 and kind = 'phone' and value !~ '^\\+316[0-9]{8}$'`)).toBe(0);
    expect(await one(`select count(*)::int from customer_identities where workspace_id = $1 and kind in ('whatsapp', 'telegram', 'messenger') and value !~ '^[0-9]+$'`)).toBe(0);
    expect(await one(`select count(distinct kind)::int from customer_identities where workspace_id = $1`)).toBeGreaterThanOrEqual(5);
  });

  it('keeps conversation facts consistent with their messages', async () => {
    const n = await one(`select count(*)::int from conversations where workspace_id = $1`);
    expect(await one(`select max(number)::int from conversations where workspace_id = $1`)).toBe(n);
    expect(await one(`select count(distinct number)::int from conversations where workspace_id = $1`)).toBe(n);
    expect(await one(`select value from counters where workspace_id = $1 and name = 'conversation'`)).toBe(n);
    const bad = await q(`select c.number from conversations c join lateral (
        select count(*) as n, min(created_at) filter (where direction = 'out') as first_out, max(created_at) as last_at,
          max(created_at) filter (where direction = 'in') as last_in, min(created_at) as first_at
        from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id) m on true
      where c.workspace_id = $1 and (c.message_count <> m.n or c.first_response_at is distinct from m.first_out or c.last_message_at <> m.last_at
        or c.last_inbound_at is distinct from m.last_in or c.created_at <> m.first_at or m.n < 1 or m.n > 6
        or (c.status in ('resolved', 'closed') and (c.resolved_at is null or c.resolved_at < c.last_message_at))
        or (c.status = 'closed' and c.closed_at is null) or (c.status = 'snoozed' and c.snoozed_until is null)
        or c.last_message_at > now()) limit 5`, [seeded.workspaceId]);
    expect(bad).toEqual([]);
    const statuses = await q<{ status: string; n: number }>(`select status, count(*)::int as n from conversations where workspace_id = $1 group by 1`, [seeded.workspaceId]);
    const by = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    expect(by.resolved + by.closed).toBeGreaterThan(n * 0.9);
    expect(by.open + by.pending + (by.snoozed ?? 0)).toBeGreaterThan(20);
    expect(await one(`select count(*)::int from conversations where workspace_id = $1 and status in ('open', 'pending') and (assignee_id is not null or team_id is not null)`)).toBeGreaterThan(10);
    expect(await one(`select count(distinct body_text)::int from messages where workspace_id = $1 and direction = 'in'`)).toBeGreaterThan(3000);
    expect(await one(`select count(*)::int from messages where workspace_id = $1 and body_text ~ '[{}]'`)).toBe(0);
  });

  it('writes each customer\'s timeline in the formats the verbs use', async () => {
    const kinds = (await q<{ kind: string }>(`select distinct kind from timeline_entries where workspace_id = $1`, [seeded.workspaceId])).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['conversation.opened', 'message.received', 'message.sent', 'conversation.resolved', 'invoice.issued', 'payment.received', 'plan.changed']));
    expect(await one(`select count(*)::int from timeline_entries t join messages m on m.workspace_id = t.workspace_id and m.id = t.ref_id
      where t.workspace_id = $1 and t.kind like 'message.%' and (t.summary not like m.channel || ': %' or t.conversation_id <> m.conversation_id)`)).toBe(0);
    expect(await one(`select count(*)::int from messages m where workspace_id = $1 and not exists (select 1 from timeline_entries t where t.workspace_id = m.workspace_id and t.ref_id = m.id)`)).toBe(0);
    expect(await one(`select count(*)::int from timeline_entries where workspace_id = $1 and kind = 'conversation.opened' and summary !~ '^Conversation #[0-9]+ opened on '`)).toBe(0);
  });

  it('lets the demo agents sign in with "demo"', async () => {
    for (const email of ['admin@fibrelink.test', 'supervisor@fibrelink.test', 'agent@fibrelink.test', 'lotte.bakker@fibrelink.test']) {
      const s = await login({ app, input: { email, password: 'demo' } });
      expect(s.workspace.slug).toBe('fibrelink');
    }
  });

  it('does nothing on a second start', async () => {
    const before = await countAll();
    const again = await seedDemo(app);
    expect(again).toMatchObject({ created: false, workspaceId: seeded.workspaceId });
    expect(await countAll()).toEqual(before);
  });

  it('generates the same data, ids included, from the same seed', async () => {
    const opts = { seed: 42, now: now.getTime(), customers: 2000, conversations: 5200 };
    const small = { ...opts, customers: 300, conversations: 600 };
    const hash = (o: typeof opts) => hashDemoData(generateDemoData(o, placeholderRefs('x')));
    expect(hash(small)).toBe(hash(small));
    expect(hash({ ...small, seed: 7 })).not.toBe(hash(small));
    // What seedDemo stored is what the generator makes from the same seed and moment.
    const a = generateDemoData(opts, placeholderRefs(seeded.workspaceId));
    const ids = async (sql: string) => (await q<{ id: string }>(sql, [seeded.workspaceId])).map((r) => r.id);
    expect(await ids(`select id from customers where workspace_id = $1 order by id`)).toEqual(a.customers.map((c) => c.id).sort());
    expect(await ids(`select id from conversations where workspace_id = $1 order by number`)).toEqual(a.conversations.map((c) => c.id));
    const [m] = await q<{ id: string; body_text: string }>(`select id, body_text from messages where workspace_id = $1 and id = $2`, [seeded.workspaceId, a.messages[1234].id]);
    expect(m.body_text).toBe(a.messages[1234].bodyText);
    expect(await one(`select sum(total_cents)::int from invoices where workspace_id = $1`)).toBe(a.invoices.reduce((s, i) => s + i.totalCents, 0));
  }, 60_000);
});
