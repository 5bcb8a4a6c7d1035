import { and, eq, sql } from 'drizzle-orm';
import { conversations, incidentNotices, incidentUpdates, type ChannelKind, type ChannelPrefs, type Consent } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { enqueueJob, type Job } from '../../platform/jobs.ts';
import { notFound } from '../../platform/errors.ts';
import { appendMessage, openConversation } from '../conversations/append-message.ts';
import { loadConversation } from '../conversations/views.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { formatMoney } from '../billing/index.ts';
import { statusSettings } from './settings.ts';
import { loadIncident, type IncidentRow, type UpdateRow } from './views.ts';
import { publicStatusUrl } from './public-url.ts';
import { rowsOf } from '../../platform/bulk.ts';

const BATCH = 100;

/** The identity a notice on each channel needs. */
const reachBy: Partial<Record<ChannelKind, string[]>> = {
  email: ['email'], sms: ['phone'], whatsapp: ['whatsapp', 'phone'], telegram: ['telegram'], messenger: ['messenger'], voice: ['phone'],
};

type Recipient = {
  id: string; name: string | null; email: string | null; phone: string | null; timezone: string | null; consent: Consent & { serviceNotices?: boolean };
  prefs: ChannelPrefs & { quietHours?: { start: string; end: string } | null }; kinds: string[]; area: string;
};

/** The channel a customer hears on: their preferred one if they can be reached there, else email, else SMS; null says why not. */
export function noticeChannel(r: Pick<Recipient, 'consent' | 'prefs' | 'kinds' | 'email' | 'phone'>): { channel: ChannelKind | null; reason?: string } {
  if (r.consent?.serviceNotices === false) return { channel: null, reason: 'opted out of service notices' };
  const avoid = new Set(r.prefs?.doNotContact ?? []);
  const kinds = new Set(r.kinds);
  if (r.email) kinds.add('email');
  if (r.phone) kinds.add('phone');
  const ok = (c: ChannelKind) => !avoid.has(c) && (reachBy[c] ?? []).some((k) => kinds.has(k));
  const preferred = r.prefs?.preferred as ChannelKind | undefined;
  if (preferred && ok(preferred)) return { channel: preferred };
  for (const c of ['email', 'sms'] as const) if (ok(c)) return { channel: c };
  return { channel: null, reason: 'no channel to reach them on' };
}

const clocks = new Map<string, Intl.DateTimeFormat>();
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a notice may go out: now, or the end of the customer's quiet hours (in their time zone)
 * when it is quiet there now. Email does not wake anyone and is never held back.
 */
export function sendAt(now: Date, channel: ChannelKind, quiet: { start: string; end: string } | null, timeZone: string): Date {
  if (!quiet || channel === 'email') return now;
  let f = clocks.get(timeZone);
  if (!f) clocks.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const parts = f.formatToParts(now);
  const local = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
  const [s, e] = [minutes(quiet.start), minutes(quiet.end)];
  const inQuiet = s <= e ? local >= s && local < e : local >= s || local < e;
  if (!inQuiet) return now;
  const wait = (e - local + 1440) % 1440;
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + wait * 60_000);
}

const statusWords: Record<string, string> = {
  investigating: 'We are looking into it', identified: 'We know the cause', monitoring: 'Fixed; we are watching it', resolved: 'Resolved', postmortem: 'What happened',
  scheduled: 'Planned maintenance', in_progress: 'Maintenance under way', verifying: 'Maintenance done; checking', completed: 'Maintenance completed',
};

function noticeText(inc: IncidentRow, u: UpdateRow, r: Recipient, url: string, credit: { cents: number; currency: string; status: string } | undefined) {
  const lines = [`${inc.name} (${r.area}): ${statusWords[u.status] ?? u.status}`, '', u.body];
  if (credit && credit.cents > 0) {
    lines.push('', credit.status === 'applied'
      ? `For the time you were without service, a credit of ${formatMoney(credit.cents, credit.currency)} will be on your next bill. You do not need to ask for it.`
      : 'We are reviewing a credit for the time you were without service; you will see it on a coming bill.');
  }
  lines.push('', `Follow it live: ${url}`, 'Need a person? Just reply to this message; you will not have to explain again.');
  return lines.join('\n');
}

/**
 * The job behind "told first": every customer with an active subscription in an area the
 * update's incident affects is told, on their channel, in batches. A notice row per customer and
 * update is inserted with the message that carries it, so a job retried after a crash skips those
 * already told (idempotent per customer × update). Each customer gets one conversation per
 * incident (resolved, so the inbox is not flooded; their reply reopens it and reaches a person).
 */
export async function notifyAffectedCustomers(job: Job, ctx: Ctx): Promise<number> {
  const { incidentId, updateId } = job.payload as { incidentId: string; updateId: string };
  const inc = await loadIncident(ctx, incidentId);
  const [update] = await ctx.db.select().from(incidentUpdates).where(and(eq(incidentUpdates.workspaceId, ctx.workspaceId), eq(incidentUpdates.id, updateId)));
  if (!update) throw notFound('Incident update');
  if (!inc.published || !update.notify) return 0;
  const [settings, ws] = [await statusSettings(ctx), await getWorkspace({ ctx })];
  const url = publicStatusUrl(ws.slug);
  const critical = inc.impact === 'critical' && settings.criticalOverridesQuietHours;
  let told = 0;
  for (;;) {
    const n = await withTransaction(ctx, async (tx) => {
      const batch = rowsOf<Record<string, any>>(await tx.db.execute(sql`
        select distinct on (cu.id) cu.id, cu.name, cu.email, cu.phone, cu.timezone, cu.consent, cu.channel_prefs, sa.name as area,
          array(select kind from customer_identities i where i.workspace_id = cu.workspace_id and i.customer_id = cu.id) as kinds,
          (select m.conversation_id from incident_notices n join messages m on m.workspace_id = n.workspace_id and m.id = n.message_id
            where n.workspace_id = cu.workspace_id and n.incident_id = ${inc.id} and n.customer_id = cu.id limit 1) as conversation_id,
          (select json_build_object('cents', sum(amount_cents), 'currency', min(currency), 'status', min(status)) from incident_credits k
            where k.workspace_id = cu.workspace_id and k.incident_id = ${inc.id} and k.customer_id = cu.id and k.status <> 'rejected') as credit
        from incident_components ic
        join status_components c on c.workspace_id = ic.workspace_id and c.id = ic.component_id
        join subscriptions s on s.workspace_id = c.workspace_id and s.service_area_id = c.service_area_id and s.status = 'active'
        join service_areas sa on sa.workspace_id = s.workspace_id and sa.id = s.service_area_id
        join customers cu on cu.workspace_id = s.workspace_id and cu.id = s.customer_id and cu.merged_into_id is null
        where ic.workspace_id = ${ctx.workspaceId} and ic.incident_id = ${inc.id}
          and not exists (select 1 from incident_notices n where n.workspace_id = cu.workspace_id and n.update_id = ${update.id} and n.customer_id = cu.id)
        order by cu.id limit ${BATCH}`));
      for (const b of batch) {
        const r: Recipient = { id: b.id, name: b.name, email: b.email, phone: b.phone, timezone: b.timezone, consent: b.consent ?? {}, prefs: b.channel_prefs ?? {}, kinds: b.kinds ?? [], area: b.area };
        const { channel, reason } = noticeChannel(r);
        if (!channel) {
          await tx.db.insert(incidentNotices).values({ workspaceId: ctx.workspaceId, updateId: update.id, customerId: r.id, incidentId: inc.id, channel: null, state: 'skipped', reason }).onConflictDoNothing();
          continue;
        }
        const now = new Date();
        let conv = b.conversation_id ? await loadConversation(tx, b.conversation_id, true) : null;
        if (!conv) {
          conv = await openConversation(tx, { customerId: r.id, channel, subject: `${inc.name} (${r.area})`, at: now, tags: ['incident-notice'] });
          [conv] = await tx.db.update(conversations).set({ status: 'resolved', resolvedAt: now })
            .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, conv.id))).returning();
        }
        const { message } = await appendMessage(tx, conv, {
          direction: 'out', authorType: 'system', authorId: `incident:${inc.id}`, channel, bodyText: noticeText(inc, update, r, url, b.credit?.cents ? b.credit : undefined), createdAt: now,
        });
        const quiet = critical ? null : (r.prefs.quietHours === undefined ? settings.quietHours : r.prefs.quietHours);
        await enqueueJob(tx, { queue: 'outbound.deliver', payload: { messageId: message.id, conversationId: conv.id, channel }, runAt: sendAt(now, channel, quiet, r.timezone ?? ws.settings.timezone) });
        await tx.db.insert(incidentNotices).values({ workspaceId: ctx.workspaceId, updateId: update.id, customerId: r.id, incidentId: inc.id, channel, messageId: message.id, state: 'queued' });
      }
      return batch.length;
    });
    told += n;
    if (n < BATCH) return told;
  }
}
