import type { ChannelKind } from '../db/schema/index.ts';
import { DAY, HOUR, MIN, atLocalHour, isBusinessTime, nextBusinessTime, utcDay } from './clock.ts';
import type { Rng } from './random.ts';
import type { Ms, Outage, Person, Window } from './model.ts';
import { isLiveChannel, type TopicKey } from './texts.ts';

/** One conversation to write: who, about what, when, where. The story is filled in later. */
export type ConvSeed = {
  person: Person; topic: TopicKey; script?: string; at: Ms; channel: ChannelKind; length: number;
  outage?: Outage; discountCents?: number; inquiryOnly?: boolean;
};

const baseChannelWeight: Record<string, number> = { email: 24, chat: 20, whatsapp: 40, voice: 16, sms: 4, telegram: 35, messenger: 35, social: 30 };
const topicChannelBoost: Partial<Record<string, Partial<Record<ChannelKind, number>>>> = {
  outage: { voice: 1.6, social: 1.6, whatsapp: 1.3, email: 0.4 },
  billing: { email: 1.7, voice: 1.2, social: 0.4 },
  compliment: { social: 3, email: 1.3, voice: 0.3 },
  technical: { chat: 1.4, voice: 1.2 },
  cancellation: { voice: 1.8, email: 1.5, social: 0.2 },
};
const randomTopics = [
  ['billing.higher', 12], ['billing.double', 4], ['billing.direct_debit', 7], ['billing.arrangement', 2], ['speed', 12], ['wifi', 9],
  ['router', 11], ['fault', 6], ['moving', 7], ['upgrade', 6], ['compliment', 5], ['account', 5],
] as const;
const hourWeights = [[7, 2], [8, 5], [9, 8], [10, 9], [11, 9], [12, 7], [13, 8], [14, 8], [15, 8], [16, 7], [17, 6], [18, 5], [19, 6], [20, 6], [21, 5], [22, 3], [23, 1]] as const;
const dayWeights = [0.45, 1, 0.95, 0.9, 0.9, 0.85, 0.7];
// Mostly even: a talk ends on an agent's answer; five-message talks end on the customer's thanks.
const lengths = [[1, 3], [2, 28], [3, 5], [4, 38], [5, 11], [6, 15]] as const;

function channelFor(r: Rng, p: Person, topic: TopicKey): ChannelKind {
  const group = topic.startsWith('billing') ? 'billing' : ['speed', 'wifi', 'router', 'fault'].includes(topic) ? 'technical' : topic;
  const boost = topicChannelBoost[group] ?? {};
  return r.weighted(p.channels.map((c) => [c, baseChannelWeight[c] * (boost[c] ?? 1) * (c === p.preferred ? 2.5 : 1)] as const));
}

/** A moment customers plausibly write: weekdays and daytime more than nights and Sundays; live channels only when the desk is open. */
function momentFor(r: Rng, win: Window, from: Ms, channel: ChannelKind): Ms | null {
  const days = Math.floor((win.now - from) / DAY);
  for (let tries = 0; tries < 40; tries++) {
    const day = utcDay(from) + r.int(0, days) * DAY;
    if (!r.chance(dayWeights[new Date(day).getUTCDay()])) continue;
    let t = atLocalHour(day, r.weighted(hourWeights) + r.float());
    if (isLiveChannel(channel) && !isBusinessTime(t)) t = nextBusinessTime(t) + r.int(1, 50) * MIN;
    if (t >= from && t < win.now - 2 * MIN) return t;
  }
  return null;
}

/** Picks people by how often they get in touch (a few contact us a lot, many rarely). */
function weightedPicker(people: Person[]) {
  const cum: number[] = [];
  let total = 0;
  for (const p of people) cum.push((total += p.contactWeight));
  return (r: Rng) => {
    const x = r.float() * total;
    let lo = 0, hi = cum.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] <= x) lo = mid + 1; else hi = mid; }
    return people[lo];
  };
}

/**
 * Plans every conversation: outage waves in the affected area, the talks behind plan changes and
 * cancellations, suspended customers asking for a payment plan, then everyday questions until
 * the target count is reached. Returned in time order.
 */
export function planConversations(rng: Rng, win: Window, people: Person[], outages: Outage[], target: number): ConvSeed[] {
  const seeds: ConvSeed[] = [];
  const r = rng.fork('plan');
  const len = () => r.weighted(lengths);
  const add = (s: Omit<ConvSeed, 'channel' | 'length'> & { channel?: ChannelKind; length?: number }) => {
    if (s.at < win.convFrom || s.at >= win.now - MIN) return;
    let length = s.length ?? len();
    // A lone message without an answer is only plausible while it is fresh (or a thank-you note).
    if (length === 1 && s.at < win.now - 2 * DAY && s.topic !== 'compliment') length = 2;
    seeds.push({ ...s, channel: s.channel ?? channelFor(r, s.person, s.topic), length });
  };

  for (const o of outages) {
    const local = r.shuffle(people.filter((p) => p.area.code === o.area.code && p.sub.startedAt < o.start && (!p.sub.endedAt || p.sub.endedAt > o.start)));
    const n = Math.min(local.length, r.int(22, 55));
    for (const p of local.slice(0, n)) {
      const at = o.start + Math.round(Math.pow(r.float(), 1.6) * (Math.min(o.end, win.now) - o.start) * 0.9) + r.int(3, 25) * MIN;
      let channel = channelFor(r, p, 'outage');
      // The phone line and web chat are closed at night: night-time reports come in writing.
      if (isLiveChannel(channel) && !isBusinessTime(at)) channel = r.pick(p.channels.filter((c) => !isLiveChannel(c)));
      add({ person: p, topic: 'outage', at, outage: o, channel, length: at > win.now - 4 * HOUR ? r.int(1, 2) : len() });
    }
  }
  for (const p of people) {
    if (p.changeAt && r.chance(0.6)) {
      const topic = p.plan.priceCents > p.planFrom.priceCents ? 'upgrade' : 'downgrade';
      add({ person: p, topic, at: p.changeAt - r.int(5, 120) * MIN, length: 4 + r.int(0, 2) });
    }
    if (p.sub.endedAt && r.chance(0.85)) {
      const at = nextBusinessTime(atLocalHour(utcDay(p.sub.endedAt) - r.int(15, 35) * DAY, r.between(8, 19)));
      add({ person: p, topic: 'cancellation', script: 'leaving', at, length: r.int(4, 6) });
    }
    if (p.suspendedAt && r.chance(0.7)) add({ person: p, topic: 'billing.arrangement', at: p.suspendedAt + r.int(1, 36) * HOUR });
  }
  const pick = weightedPicker(people.filter((p) => !p.sub.endedAt));
  const retained = Math.round(target * 0.012);
  for (let i = 0; i < retained; i++) {
    const p = pick(r);
    const at = momentFor(r, win, win.months[0] + 5 * DAY, 'voice');
    if (at) add({ person: p, topic: 'cancellation', script: 'retained', at, channel: p.channels.includes('voice') ? 'voice' : 'email', discountCents: r.pick([500, 750, 1000]), length: r.int(4, 6) });
  }

  const everyone = weightedPicker(people);
  const interesting = people.filter((p) => p.changeAt || p.plan.capGb || p.payer.lateness !== 'reliable');
  const firstInvoice = win.months[1] + DAY;
  while (seeds.length < target) {
    let topic: TopicKey = r.weighted(randomTopics);
    const p = topic === 'billing.higher' && r.chance(0.6) ? r.pick(interesting) : everyone(r);
    if (topic === 'upgrade' && !p.plan.active) continue;
    if (topic === 'upgrade' && p.plan.code === 'FIBRE-4000') topic = 'wifi';
    const channel = channelFor(r, p, topic);
    const at = momentFor(r, win, topic.startsWith('billing') ? firstInvoice : win.convFrom, channel);
    if (!at || (p.sub.endedAt && at > p.sub.endedAt + 10 * DAY) || (p.changeAt && topic === 'upgrade')) continue;
    add({ person: p, topic, at, channel, inquiryOnly: topic === 'upgrade', length: topic === 'upgrade' ? r.int(1, 2) : undefined });
  }
  return seeds.sort((a, b) => a.at - b.at || a.person.idx - b.person.idx);
}
