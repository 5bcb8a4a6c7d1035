import type { TestWorkspace } from './workspace.ts';
import { createCustomer } from '../../src/domains/customers/index.ts';
import { upsertPlan, upsertServiceArea, upsertSubscription } from '../../src/domains/billing/index.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '../../src/platform/platform.ts';
import { JobRunner } from '../../src/platform/jobs.ts';
import { deliveryJob } from '../../src/domains/conversations/index.ts';
import { sendersFrom } from '../../src/channels/registry.ts';
import { sendPlainMail } from '../../src/channels/email/index.ts';
import {
  NOTIFY_QUEUE, SUBSCRIBERS_QUEUE, CONFIRM_QUEUE, DELIVER_QUEUE, notifyAffectedCustomers, fanOutToSubscribers, confirmSubscriberJob, deliverToSubscriberJob,
  type WebhookPoster,
} from '../../src/domains/status/index.ts';

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


/** The status jobs and outbound delivery, run only when the test drains them. */
export function statusRunner(app: Platform, post: WebhookPoster = async () => {}) {
  const runner = new JobRunner(app, { pollMs: 60_000, batch: 50, lockMs: 60_000 });
  runner.register('outbound.deliver', deliveryJob(sendersFrom()));
  runner.register(NOTIFY_QUEUE, async (job, ctx) => { await notifyAffectedCustomers(job, ctx); });
  runner.register(SUBSCRIBERS_QUEUE, async (job, ctx) => { await fanOutToSubscribers(job, ctx); });
  runner.register(CONFIRM_QUEUE, confirmSubscriberJob({ mail: sendPlainMail, post }));
  runner.register(DELIVER_QUEUE, deliverToSubscriberJob({ mail: sendPlainMail, post }));
  return runner;
}

/** A stand-in for api.twilio.com's Messages API: keeps every SMS it is handed and answers as Twilio does (201, a sid). */
export async function twilioStandIn() {
  const sent: { path: string; form: URLSearchParams }[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      sent.push({ path: req.url!, form });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued', to: form.get('To'), from: form.get('From'), body: form.get('Body') }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { sent, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Runs jobs until none is left, those the jobs themselves enqueued included. */
export async function drainAll(runner: JobRunner): Promise<number> {
  let total = 0;
  for (let n = await runner.drain(); n > 0; n = await runner.drain()) total += n;
  return total;
}
