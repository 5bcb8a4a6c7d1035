import type { ChannelKind } from '../db/schema/index.ts';
import type { Rng } from './random.ts';
import { billingTopics } from './texts-billing.ts';
import { technicalTopics } from './texts-technical.ts';
import { accountTopics } from './texts-account.ts';
import { dutchTopics } from './texts-nl.ts';

/**
 * Conversation scripts for the demo. A script is six steps (customer, agent, customer, agent,
 * customer, agent), each a list of variants; a conversation of n messages uses the first n
 * steps. Variants are filled by slots ({plan}, {amount} …) and inline alternatives [a|b|c],
 * so thousands of conversations read differently.
 */
export type Script = {
  subject: string[]; steps: string[][];
  /** Steps whose variant follows the previous step's choice (same index), so a question gets its own answer. */
  linked?: number[];
};

export type TopicKey =
  | 'billing.higher' | 'billing.double' | 'billing.direct_debit' | 'billing.arrangement'
  | 'outage' | 'speed' | 'wifi' | 'router' | 'fault'
  | 'moving' | 'upgrade' | 'downgrade' | 'cancellation' | 'compliment' | 'account';

export type Team = 'Billing' | 'Technical' | 'Retention';
export type Topic = {
  key: TopicKey;
  team: Team | null;
  skill: 'billing' | 'technical' | 'moving' | 'retention' | null;
  tags: string[];
  priority: readonly (readonly ['low' | 'normal' | 'high' | 'urgent', number])[];
  /** Scripts by variant name; the planner picks one (billing.higher picks the one the invoice explains). */
  scripts: Record<string, Script>;
};

export const topics: Record<TopicKey, Topic> = { ...billingTopics, ...technicalTopics, ...accountTopics } as Record<TopicKey, Topic>;
/** Dutch scripts for the topics that have them: a few Dutch-speaking customers write in Dutch. */
export const dutchScripts: Partial<Record<TopicKey, Record<string, Script>>> = dutchTopics;

/** Looks up a slot's value for one conversation. */
export type Slots = (name: string) => string | undefined;

/** Fills [a|b] alternatives, then {slot}s. Unknown slots are left visible so a typo shows in review. */
export function fill(template: string, slots: Slots, rng: Rng): string {
  const chosen = template.replace(/\[([^[\]]*)\]/g, (_, alts: string) => rng.pick(alts.split('|')));
  return chosen.replace(/\{(\w+)\}/g, (m, k: string) => slots(k) ?? m);
}

const live = new Set<ChannelKind>(['chat', 'voice']);
export const isLiveChannel = (c: ChannelKind) => live.has(c);

/** Dresses a message for its channel: greetings and signatures on email, a mention on social, none on SMS. */
export function dress(text: string, o: {
  channel: ChannelKind; from: 'customer' | 'agent'; first: boolean; nl: boolean; customerFirst: string; agentFirst: string; rng: Rng;
}): string {
  const { channel, rng, nl } = o;
  if (channel === 'email') {
    if (o.from === 'customer') {
      const hello = nl ? rng.pick(['Goedemiddag,', 'Beste Fibrelink,', 'Hallo,']) : rng.pick(['Hello,', 'Hi,', 'Dear Fibrelink,', 'Hi there,', 'Dear Sir or Madam,']);
      const bye = nl ? rng.pick(['Groet,', 'Met vriendelijke groet,', 'Alvast bedankt,']) : rng.pick(['Thanks,', 'Kind regards,', 'Best,', 'Thanks in advance,', 'Regards,']);
      return `${hello}\n\n${text}\n\n${bye}\n${o.customerFirst}`;
    }
    const hello = nl ? `Beste ${o.customerFirst},` : rng.pick([`Hi ${o.customerFirst},`, `Hello ${o.customerFirst},`, `Dear ${o.customerFirst},`]);
    const bye = nl ? 'Met vriendelijke groet,' : rng.pick(['Kind regards,', 'Best regards,', 'Warm regards,']);
    return `${hello}\n\n${text}\n\n${bye}\n${o.agentFirst}\nFibrelink Customer Care`;
  }
  if (channel === 'social') {
    if (o.from === 'customer' && o.first) return `@Fibrelink ${text}`;
    if (o.from === 'agent') return `${text} ^${o.agentFirst.slice(0, 2).toUpperCase()}`;
    return text;
  }
  if (o.from === 'agent' && o.first && channel !== 'sms') {
    const hi = channel === 'voice'
      ? (nl ? `Fibrelink klantenservice, u spreekt met ${o.agentFirst}. ` : `Fibrelink customer care, you're speaking with ${o.agentFirst}. `)
      : (nl ? rng.pick([`Hoi ${o.customerFirst}! `, `Hallo ${o.customerFirst}, `]) : rng.pick([`Hi ${o.customerFirst}! `, `Hello ${o.customerFirst}, `, `Hi ${o.customerFirst}, ${o.agentFirst} here. `, '']));
    return hi + text;
  }
  return text;
}
