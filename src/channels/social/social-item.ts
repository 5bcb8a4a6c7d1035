import { z } from '@hono/zod-openapi';
import type { InboundMessageInput } from '../../domains/conversations/index.ts';

/** One mention or direct message from a social connector (docs/channels/social.md). */
export const SocialItem = z.object({
  network: z.string().regex(/^[a-z0-9_.-]{1,40}$/i, 'a network name: letters, digits, _ . -'),
  id: z.string().min(1).max(200),
  type: z.enum(['mention', 'dm']),
  author: z.object({ handle: z.string().min(1).max(100), name: z.string().max(200).optional() }),
  text: z.string().max(100_000),
  url: z.string().url().max(2000).optional(),
  createdAt: z.string().datetime({ offset: true }),
});
export type SocialItem = z.infer<typeof SocialItem>;
/** A connector may send one item or a batch of up to 100 (not a zod union: its errors would not name the field). */
export const parseSocialPayload = (json: unknown) =>
  Array.isArray(json) ? z.array(SocialItem).min(1).max(100).safeParse(json) : SocialItem.transform((i) => [i]).safeParse(json);

export const handleOf = (raw: string) => raw.trim().replace(/^@/, '');

/**
 * The item's id in Candor: network-scoped (two networks may share ids) and typed, so a reply knows
 * whether it answers in public or in private. The same post reaching two connectors of one network
 * lands once.
 */
export const socialExternalId = (i: Pick<SocialItem, 'network' | 'type' | 'id'>) => `${i.network.toLowerCase()}:${i.type}:${i.id}`;

/** Reads back what socialExternalId wrote (ids may themselves contain colons). */
export function parseSocialExternalId(externalId: string): { network: string; type: 'mention' | 'dm'; id: string } | null {
  const m = /^([a-z0-9_.-]+):(mention|dm):(.+)$/.exec(externalId);
  return m ? { network: m[1], type: m[2] as 'mention' | 'dm', id: m[3] } : null;
}

export function socialToMessage(channelId: string, i: SocialItem): z.input<typeof InboundMessageInput> {
  const network = i.network.toLowerCase();
  const text = i.text.trim() || '(no text)';
  return {
    channel: 'social', channelId, externalId: socialExternalId(i),
    from: { kind: 'social', value: `${network}:${handleOf(i.author.handle)}`, ...(i.author.name ? { name: i.author.name } : {}) },
    // The agent must see that a mention is public: their reply to it will be public too.
    bodyText: i.type === 'mention' ? `Public mention on ${network}${i.url ? ` — ${i.url}` : ''}\n\n${text}` : text,
    receivedAt: new Date(i.createdAt),
  };
}
