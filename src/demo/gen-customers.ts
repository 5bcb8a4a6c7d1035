import type { ChannelKind } from '../db/schema/index.ts';
import { areas, plans, type PlanDef } from './catalog.ts';
import { DAY, HOUR, atLocalHour, daysInMonth, dayMonth } from './clock.ts';
import { languages, personName, emailFor, mobileFor, socialHandle, numericId } from './names.ts';
import type { Rng } from './random.ts';
import type { AreaRow, IdentityRow, Person, PlanRow, TimelineRow, Window } from './model.ts';

const cancelReasons = [
  "I'm moving abroad", 'it is too expensive for me', 'I found a cheaper offer elsewhere', 'the connection has been unreliable lately',
  "I'm moving in with my partner, who already has internet",
];
const letters = 'ABCDEGHJKLMNPRSTVWXZ';

/**
 * Customers with their identities and one subscription each: who they are, where they live,
 * what they pay for, how they like to be reached, and the few whose plan changed, who
 * cancelled or who were suspended for not paying.
 */
export function generateCustomers(rng: Rng, win: Window, count: number, areaRows: AreaRow[], planRows: Map<string, PlanRow>) {
  const taken = { email: new Set<string>(), phone: new Set<string>(), social: new Set<string>(), tg: new Set<string>(), fb: new Set<string>() };
  const people: Person[] = [];
  const identities: IdentityRow[] = [];
  const timeline: TimelineRow[] = [];
  const activePlans = plans.filter((p) => p.active);
  const [, m2, m3] = win.months;

  for (let idx = 0; idx < count; idx++) {
    const r = rng.fork(`customer-${idx}`);
    const lang = r.weighted(languages);
    const name = personName(r, lang);
    // Customers since 4 months to 6 years; installation one to three weeks after signing up.
    const createdAt = Math.floor(win.now - (120 * DAY + Math.pow(r.float(), 1.4) * (6 * 365 - 120) * DAY));
    const startedAt = atLocalHour(Math.floor(createdAt / DAY) * DAY + r.int(7, 21) * DAY, r.between(8, 16));
    const areaIdx = areas.indexOf(r.weighted(areas.map((a) => [a, a.weight] as const)));
    const area = areas[areaIdx];
    const street = r.pick(area.streets);
    const houseNumber = `${r.int(1, 240)}${r.weighted([['', 80], ['-1', 5], ['-2', 4], ['A', 5], ['B', 3], ['-H', 3]] as const)}`;
    const postcode = `${r.int(area.postcodes[0], area.postcodes[1])} ${r.pick([...letters])}${r.pick([...letters])}`;
    const address = `${street} ${houseNumber}, ${postcode} ${area.town}`;
    const planFrom = r.weighted(plans.map((p) => [p, p.weight] as const));

    // Stories: ~6% changed plan in the last two invoiced months, ~3% cancelled last month, ~1% suspended.
    const fate = r.weighted([['stay', 90], ['change', 6], ['cancel', 3], ['suspend', 1]] as const);
    let plan: PlanDef = planFrom;
    let changeAt: number | null = null;
    if (fate === 'change') {
      const up = activePlans.filter((p) => p.priceCents > planFrom.priceCents);
      const down = activePlans.filter((p) => p.priceCents < planFrom.priceCents && p.code !== planFrom.code);
      plan = up.length && (r.chance(0.72) || !down.length) ? up[Math.min(up.length - 1, r.int(0, 1))] : r.pick(down.length ? down : activePlans);
      changeAt = atLocalHour(m2 + r.int(2, Math.round((win.currentMonth - m2) / DAY) - 3) * DAY, r.between(9, 21));
    }
    let endedAt: number | null = null;
    let cancelReason: string | null = null;
    if (fate === 'cancel') {
      endedAt = atLocalHour(m3 + r.int(4, daysInMonth(m3) - 1) * DAY, 23.9);
      cancelReason = r.pick(cancelReasons);
    }
    const suspendedAt = fate === 'suspend' ? win.now - r.int(3, 48) * HOUR : null;

    const id = r.uuidAt(createdAt);
    const verified = r.chance(0.93);
    const email = emailFor(r, name, taken.email);
    const phone = r.chance(0.88) ? mobileFor(r, taken.phone) : null;
    const channels: ChannelKind[] = ['email', 'chat'];
    const ident = (kind: IdentityRow['kind'], value: string, verifiedIdentity = verified) =>
      identities.push({ id: r.uuidAt(createdAt), customerId: id, kind, value, verified: verifiedIdentity, createdAt });
    ident('email', email);
    if (phone) { ident('phone', phone); channels.push('voice', 'sms'); }
    if (phone && r.chance(0.5)) { ident('whatsapp', phone.slice(1)); channels.push('whatsapp'); }
    if (r.chance(0.11)) { ident('telegram', numericId(r, r.int(9, 10), taken.tg), false); channels.push('telegram'); }
    if (r.chance(0.1)) { ident('messenger', numericId(r, 16, taken.fb), false); channels.push('messenger'); }
    if (r.chance(0.07)) { ident('social', socialHandle(r, name, taken.social), false); channels.push('social'); }

    const preferred = r.chance(0.15) ? null : r.weighted(channels.filter((c) => c !== 'chat').map((c) => [c, c === 'email' ? 40 : c === 'whatsapp' ? 45 : c === 'sms' ? 8 : c === 'voice' ? 10 : 30] as const));
    const doNotContact = r.chance(0.1) ? [r.pick(['sms', 'voice'] as const)].filter((c) => c !== preferred) : [];
    const status = fate === 'cancel' ? 'cancelled' : fate === 'suspend' ? 'suspended' : 'active';
    const row = {
      id, name: name.full, email, phone, language: lang, timezone: 'Europe/Amsterdam', verified,
      consent: { marketing: r.chance(0.35), surveys: r.chance(0.8), updatedAt: new Date(createdAt).toISOString() },
      channelPrefs: { preferred, ...(doNotContact.length ? { doNotContact } : {}) },
      externalRef: `FL-C${String(100001 + idx)}`, createdAt, updatedAt: changeAt ?? endedAt ?? createdAt,
    };
    const sub = {
      id: r.uuidAt(startedAt), customerId: id, planId: planRows.get(plan.code)!.id, serviceAreaId: areaRows[areaIdx].id, address,
      status, startedAt, endedAt, externalRef: `FL-S${String(500001 + idx)}`,
    } as const;
    people.push({
      idx, row, first: name.first, last: name.last, lang, area, areaRow: areaRows[areaIdx], street: `${street} ${houseNumber}`, address, postcode,
      sub: { ...sub }, planFrom, plan, changeAt, cancelReason, suspendedAt, channels, preferred, contactWeight: r.lognormal(0.9),
      payer: {
        method: r.weighted([['direct_debit', 68], ['ideal', 18], ['bank_transfer', 10], ['credit_card', 4]] as const),
        lateness: fate === 'suspend' ? 'bad' : r.weighted([['reliable', 90], ['sometimes', 8], ['bad', 2]] as const),
      },
      invoices: [], usageByMonth: new Map(),
    });

    const sys = (at: number, kind: string, summary: string, data: Record<string, unknown> = {}, refId: string | null = null) =>
      timeline.push({ id: r.uuidAt(at), customerId: id, occurredAt: at, kind, actorType: 'system', actorId: 'provisioning', conversationId: null, refId, summary, data });
    sys(createdAt, 'customer.created', `Customer record created for ${name.full}`);
    if (endedAt) sys(endedAt, 'subscription.cancelled', `Subscription at ${address} ended on ${dayMonth(endedAt)}`, { reason: cancelReason }, sub.id);
    if (suspendedAt) sys(suspendedAt, 'subscription.suspended', 'Service suspended: two invoices unpaid after reminders', {}, sub.id);
  }
  return { people, identities, timeline };
}
