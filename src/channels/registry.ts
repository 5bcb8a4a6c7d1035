import type { ChannelAdapter } from './adapter.ts';
import { channelForReply } from '../domains/channels/index.ts';
import { NotConfiguredError, type ChannelSender } from '../domains/conversations/index.ts';
import { telegramAdapter } from './telegram/telegram-adapter.ts';
import { smsAdapter } from './sms/sms-adapter.ts';
import { voiceAdapter } from './voice/voice-adapter.ts';
import { socialAdapter } from './social/social-adapter.ts';
import { emailAdapter } from './email/index.ts';
import { whatsappAdapter } from './whatsapp/index.ts';
import { messengerAdapter } from './messenger/index.ts';
import { chatAdapter } from './chat/index.ts';

/** Every channel adapter Candor ships. */
export const adapters: ChannelAdapter[] = [];
adapters.push(telegramAdapter, smsAdapter, voiceAdapter, socialAdapter);
adapters.push(emailAdapter);
adapters.push(whatsappAdapter, messengerAdapter);
adapters.push(chatAdapter);

export const adapterFor = (kind: string) => adapters.find((a) => a.kind === kind);

/** Outbound senders for the delivery job: each picks the configured channel the reply leaves by. */
export function sendersFrom(list: ChannelAdapter[] = adapters): Map<string, ChannelSender> {
  const senders = new Map<string, ChannelSender>();
  for (const a of list) {
    if (!a.send) continue;
    senders.set(a.kind, async (ctx, message) => {
      const channel = await channelForReply(ctx, message.channel, message.channelId);
      if (!channel) throw new NotConfiguredError(`No active ${message.channel} channel is configured to send from`);
      return a.send!(ctx, channel, message);
    });
  }
  return senders;
}
