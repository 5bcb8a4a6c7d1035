import { z } from '@hono/zod-openapi';
import type { InboundMessageInput } from '../../domains/conversations/index.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';

/**
 * The parts of a Telegram Bot API Update (https://core.telegram.org/bots/api#update) Candor reads.
 * Unknown fields pass through untouched: Telegram adds fields without notice.
 */
const User = z.object({
  id: z.number().int(), is_bot: z.boolean().optional(), first_name: z.string(), last_name: z.string().optional(),
  username: z.string().optional(), language_code: z.string().optional(),
}).passthrough();
const Message = z.object({
  message_id: z.number().int(), from: User.optional(), date: z.number().int(), edit_date: z.number().int().optional(),
  chat: z.object({ id: z.number().int(), type: z.string() }).passthrough(),
  text: z.string().optional(), caption: z.string().optional(),
}).passthrough();
export const TelegramUpdate = z.object({
  update_id: z.number().int(), message: Message.optional(), edited_message: Message.optional(),
  channel_post: Message.optional(), edited_channel_post: Message.optional(),
}).passthrough();
export type TelegramUpdate = z.infer<typeof TelegramUpdate>;

/** Message kinds without text, named for the agent ("[photo] caption"). */
const mediaKinds = ['photo', 'video', 'animation', 'voice', 'video_note', 'audio', 'document', 'sticker', 'location', 'venue', 'contact', 'poll', 'dice'];

/**
 * The message's id in Candor: unique per bot (the channel), because message ids are counted per
 * chat and per bot — two bots of one workspace both see a message 1 from the same person. An edit
 * names the same message: it updates it (see `edit`), it never adds one.
 */
export const telegramExternalId = (channelId: string, chatId: number | string, messageId: number | string) => `${channelId}:${chatId}:${messageId}`;

/** An update to one inbound message, or an edit of one (`edit`: the stored message takes the new text, the old kept in its history). */
export type Normalised = { item: z.input<typeof InboundMessageInput>; edit?: { editedAt: Date } } | { ignored: string };

/**
 * One Update to at most one inbound message. Candor is a support desk: it takes what a person writes
 * to the bot in a private chat (new and edited messages) and answers 200 to the rest without storing
 * it (group chatter, channel posts, button callbacks, membership changes, other bots).
 */
export function normaliseUpdate(channel: ChannelRow, update: TelegramUpdate): Normalised {
  if (update.channel_post) return { ignored: 'channel chats are not support conversations' };
  const edited = !update.message && !!(update.edited_message ?? update.edited_channel_post);
  const m = update.message ?? update.edited_message ?? update.edited_channel_post;
  if (!m) return { ignored: 'update type not handled' };
  // An edited channel post changes a post Candor may hold; it is never a new message.
  if (update.edited_channel_post && !update.edited_message && !update.message) {
    return { item: { channel: 'telegram', channelId: channel.id, from: { kind: 'telegram', value: String(m.chat.id) }, externalId: telegramExternalId(channel.id, m.chat.id, m.message_id),
      bodyText: m.text ?? m.caption ?? '[unsupported message]', sentAt: new Date(m.date * 1000) }, edit: { editedAt: new Date((m.edit_date ?? m.date) * 1000) } };
  }
  if (m.chat.type !== 'private') return { ignored: `${m.chat.type} chats are not support conversations` };
  if (!m.from || m.from.is_bot) return { ignored: 'not written by a person' };
  const media = mediaKinds.find((k) => k in m);
  const words = m.text ?? m.caption ?? '';
  const text = [media ? `[${media.replace('_', ' ')}]` : '', words].filter(Boolean).join(' ') || '[unsupported message]';
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ').trim() || m.from.username;
  return {
    item: {
      channel: 'telegram', channelId: channel.id,
      from: { kind: 'telegram', value: String(m.from.id), ...(name ? { name: name.slice(0, 200) } : {}) },
      externalId: telegramExternalId(channel.id, m.chat.id, m.message_id),
      bodyText: text,
      // Telegram's date is when it was sent: it orders the message only when plausible.
      sentAt: new Date(m.date * 1000),
    },
    ...(edited ? { edit: { editedAt: new Date((m.edit_date ?? m.date) * 1000) } } : {}),
  };
}
