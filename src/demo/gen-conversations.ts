import type { ChannelKind } from '../db/schema/index.ts';
import { agents as agentDefs } from './catalog.ts';
import { DAY, HOUR, MIN, nextBusinessTime, utcDay } from './clock.ts';
import type { Rng } from './random.ts';
import type { ConversationRow, MessageRow, Ms, Refs, TimelineRow, Window } from './model.ts';
import type { ConvSeed } from './gen-conversation-plan.ts';
import { slotsFor } from './slots.ts';
import { dress, dutchScripts, fill, topics, type Topic } from './texts.ts';
import { messageSummary } from '../domains/conversations/message-timeline.ts';

const noData: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const readStatus: Record<ChannelKind, MessageRow['deliveryStatus']> = {
  email: 'delivered', sms: 'delivered', voice: 'sent', chat: 'read', whatsapp: 'read', telegram: 'read', messenger: 'read', social: 'delivered', portal: 'read', api: 'sent',
};

/** Who answers: an agent with the topic's skill and the customer's language (never the admin). */
function agentFor(r: Rng, topic: Topic, nl: boolean): number {
  const lang = nl ? 'dutch' : 'english';
  const fits = agentDefs.map((a, i) => [a, i] as const).filter(([a, i]) => i > 0 && a.skills.includes(lang) && (!topic.skill || a.skills.includes(topic.skill)));
  const pool = fits.length ? fits : agentDefs.map((a, i) => [a, i] as const).filter(([a, i]) => i > 0 && a.skills.includes(lang));
  return r.pick(pool)[1];
}

/**
 * When the next message comes: live channels within minutes; on async ones customers answer
 * within hours and agents when the desk is open (outages are answered around the clock).
 */
function gap(r: Rng, channel: ChannelKind, from: 'customer' | 'agent', prev: Ms, firstReply: boolean, urgent: boolean): Ms {
  if (channel === 'voice') return prev + r.int(20, 150) * 1000;
  if (channel === 'chat') return prev + (firstReply ? r.int(30, 420) : r.int(40, 240)) * 1000;
  if (from === 'customer') return prev + Math.round((channel === 'email' ? r.between(0.3, 30) : r.between(0.05, 8)) * HOUR);
  if (urgent) return prev + r.int(3, 40) * MIN;
  const wait = channel === 'email' ? r.between(0.25, firstReply ? 20 : 6) : channel === 'social' ? r.between(0.1, 1.5) : r.between(0.05, firstReply ? 1.5 : 0.5);
  const t = prev + Math.round(wait * HOUR);
  const open = nextBusinessTime(t);
  return open === t ? t : open + r.int(2, 50) * MIN;
}

/** Some steps wait for the world: the repair of an outage, a technician's visit, a parcel. */
function notBefore(s: ConvSeed, script: string, step: number, prev: Ms, visitAt: Ms, r: Rng): Ms {
  if (s.topic === 'outage' && step === 3 && s.outage) return s.outage.end + r.int(5, 20) * MIN;
  if (s.topic === 'fault' && step === 4) return visitAt + r.int(2, 8) * HOUR;
  if (s.topic === 'router' && script === 'broken' && step === 4) return utcDay(prev) + DAY + r.int(9, 14) * HOUR;
  return 0;
}

function externalId(r: Rng, channel: ChannelKind): string | null {
  switch (channel) {
    case 'email': return `<${r.hex(24)}@mail.example>`;
    case 'whatsapp': return `wamid.${r.hex(32)}`;
    case 'telegram': return `tg-${r.int(10_000, 9_999_999)}-${r.hex(6)}`;
    case 'messenger': return `m_${r.hex(28)}`;
    case 'sms': return `SM${r.hex(32)}`;
    case 'voice': return `CA${r.hex(32)}`;
    default: return null;
  }
}

/**
 * Writes each planned conversation: its messages (alternating customer and agent, timed by
 * channel and opening hours, cut off at "now"), its status, assignment and facts
 * (first response, resolution, closing), and the customer's timeline entries.
 */
export function writeConversations(rng: Rng, win: Window, seeds: ConvSeed[], refs: Refs) {
  const conversations: ConversationRow[] = [];
  const messages: MessageRow[] = [];
  const timeline: TimelineRow[] = [];
  const teamOf = (t: Topic) => (t.team ? refs.teamIds[t.team] : null);

  seeds.forEach((s, i) => {
    const r = rng.fork(`conv-${i}`);
    const number = i + 1;
    const p = s.person;
    const topic = topics[s.topic];
    const { slots, setAgent, script, visitAt, move } = slotsFor(s, r);
    const nlScript = p.lang === 'nl' && r.chance(0.2) ? dutchScripts[s.topic]?.[script] : undefined;
    const nl = !!nlScript;
    const chosen = nlScript ?? topic.scripts[script];
    const agentIdx = agentFor(r, topic, nl);
    const agentId = refs.agentIds[agentIdx];
    const agentName = agentDefs[agentIdx].name;
    setAgent(agentName.split(' ')[0]);
    const id = r.uuidAt(s.at);
    const subject = s.channel === 'email' || s.channel === 'voice' ? fill(r.pick(chosen.subject), slots, r) : null;
    // The opening entry's id is a millisecond earlier, so it sorts before the first message it shares a timestamp with.
    const tl = (at: Ms, kind: string, summary: string, actorType: string, actorId: string | null, refId: string | null = null, data: Record<string, unknown> = noData) =>
      timeline.push({ id: r.uuidAt(kind === 'conversation.opened' ? at - 1 : at), customerId: p.row.id, occurredAt: at, kind, actorType, actorId, conversationId: id, refId, summary, data });
    tl(s.at, 'conversation.opened', `Conversation #${number} opened on ${s.channel}${subject ? `: ${subject}` : ''}`, 'customer', p.row.id);

    const planned = Math.min(s.length, chosen.steps.length);
    let at = s.at, lastAt = s.at;
    let firstResponseAt: Ms | null = null, lastInboundAt: Ms | null = null;
    let count = 0, variant = 0;
    for (let step = 0; step < planned; step++) {
      const from = step % 2 === 0 ? 'customer' : 'agent';
      if (step > 0) at = Math.max(gap(r, s.channel, from, at, step === 1, s.topic === 'outage'), notBefore(s, script, step, at, visitAt, r));
      if (at >= win.now - 30_000) break;
      const options = chosen.steps[step];
      variant = chosen.linked?.includes(step) ? variant % options.length : r.int(0, options.length - 1);
      const text = dress(fill(options[variant], slots, r), { channel: s.channel, from, first: step < 2, nl, customerFirst: p.first, agentFirst: agentName.split(' ')[0], rng: r });
      const inbound = from === 'customer';
      if (inbound) lastInboundAt = at; else firstResponseAt ??= at;
      const m: MessageRow = {
        id: r.uuidAt(at), conversationId: id, customerId: p.row.id, direction: inbound ? 'in' : 'out', authorType: from, authorId: inbound ? p.row.id : agentId,
        channel: s.channel, bodyText: text, externalId: inbound ? externalId(r, s.channel) : null, deliveryStatus: inbound ? 'received' : readStatus[s.channel], createdAt: at,
      };
      messages.push(m);
      count++;
      lastAt = at;
      tl(at, inbound ? 'message.received' : 'message.sent', messageSummary(s.channel, text), inbound ? 'customer' : 'agent', inbound ? p.row.id : agentId,
        m.id, { channel: s.channel, direction: m.direction });
    }
    const complete = count === planned;
    const agentLast = count % 2 === 0;

    // Status: finished talks get resolved (and closed a few days later); unfinished or fresh ones stay open, pending or snoozed.
    let status: ConversationRow['status'] = agentLast ? 'pending' : 'open';
    let resolvedAt: Ms | null = null, closedAt: Ms | null = null, snoozedUntil: Ms | null = null, updatedAt = lastAt;
    const resolveAt = agentLast ? lastAt + r.int(1, 30) * MIN : nextBusinessTime(lastAt + r.int(10, 120) * MIN);
    const age = win.now - lastAt;
    // Recent talks are often still waiting: for the customer to confirm (pending) or for an agent to wrap up (open).
    const waiting = agentLast ? age < 72 * HOUR && r.chance(0.5) : age < 48 * HOUR && r.chance(0.35);
    const ongoing = !!s.outage && s.outage.end > win.now;
    if (ongoing && agentLast && r.chance(0.5)) {
      // Reported during the outage that is still going on: parked until the expected repair.
      status = 'snoozed'; snoozedUntil = s.outage!.end + 30 * MIN; updatedAt = lastAt + MIN;
      tl(updatedAt, 'conversation.snoozed', `Conversation #${number} set to snoozed`, 'agent', agentId);
    } else if (complete && resolveAt < win.now && !waiting && !ongoing) {
      status = 'resolved'; resolvedAt = resolveAt; updatedAt = resolveAt;
      tl(resolveAt, 'conversation.resolved', `Conversation #${number} set to resolved`, 'agent', agentId);
      const closeAt = resolveAt + 4 * DAY;
      if (closeAt < win.now && r.chance(0.6)) {
        status = 'closed'; closedAt = closeAt; updatedAt = closeAt;
        tl(closeAt, 'conversation.closed', `Conversation #${number} set to closed`, 'system', 'auto-close');
      }
    } else if (agentLast && !ongoing && r.chance(0.25)) {
      status = 'snoozed'; snoozedUntil = win.now + r.int(3, 72) * HOUR; updatedAt = lastAt + MIN;
      tl(updatedAt, 'conversation.snoozed', `Conversation #${number} set to snoozed`, 'agent', agentId);
    }
    const answered = firstResponseAt !== null;
    const assigned = answered || r.chance(0.45);
    // The assignment is on the timeline of conversations still in the inbox; older ones show who answered in their messages.
    if (assigned && (status === 'open' || status === 'pending' || status === 'snoozed')) {
      const when = answered ? firstResponseAt! - r.int(1, 4) * MIN : Math.min(s.at + r.int(1, 20) * MIN, win.now - MIN);
      tl(Math.max(s.at, when), 'conversation.assigned', `Conversation #${number} assigned to ${agentName}`, 'system', 'router');
    }
    if (move && status !== 'open' && count >= 4 && move.at < win.now) {
      p.sub.address = move.address;
      timeline.push({ id: r.uuidAt(move.at), customerId: p.row.id, occurredAt: move.at, kind: 'subscription.moved', actorType: 'agent', actorId: agentId, conversationId: id, refId: p.sub.id, summary: `Service moved to ${move.address}`, data: {} });
    }
    if (script === 'marketing' && count >= 2) {
      p.row.consent = { ...p.row.consent, marketing: false, updatedAt: new Date(lastAt).toISOString() };
      p.row.updatedAt = Math.max(p.row.updatedAt, lastAt);
    }
    const tags = [...topic.tags, ...(s.outage ? [s.outage.area.code.toLowerCase()] : []), ...(nl ? ['dutch'] : []), ...(s.script === 'retained' ? ['retained'] : [])];
    conversations.push({
      id, number, customerId: p.row.id, subject, status, priority: r.weighted(topic.priority), channel: s.channel,
      assigneeId: assigned ? agentId : null, teamId: assigned || r.chance(0.7) ? teamOf(topic) : null, serviceAreaId: p.areaRow.id, tags, snoozedUntil,
      messageCount: count, createdAt: s.at, lastMessageAt: lastAt, lastInboundAt, firstResponseAt, resolvedAt, closedAt, updatedAt,
    });
  });
  return { conversations, messages, timeline };
}
