import { providerTime } from '../meta/webhook.ts';
import type { MetaInbound } from '../meta/inbound-messages.ts';

/** A receipt: per message (`mids`) or for everything sent to `psid` up to `watermark`. */
export type MsReceipt = { status: 'delivered' | 'read'; psid: string; mids: string[]; watermark: Date };
/** The page's own message, sent from outside Candor or by Candor, coming back (`is_echo`). */
export type MsEcho = { externalId: string; to: string; bodyText: string; at: Date; appId?: string };
export type MsPayload = { messages: MetaInbound[]; receipts: MsReceipt[]; echoes: MsEcho[]; skipped: { reason: string; item: unknown }[] };

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * What an agent reads for one Messenger message: its text, else a bracketed summary of what was
 * attached ("[sticker]", "[image]", "[file]", a shared link's title). Files are not downloaded.
 */
export function bodyOf(message: Record<string, any>): string {
  const text = str(message.text);
  const attachments: any[] = Array.isArray(message.attachments) ? message.attachments : [];
  // Stickers: `sticker_id` on the message (older) or a `sticker` attachment, sent beside an `image` one during Meta's transition.
  if (message.sticker_id !== undefined || attachments.some((a) => a?.type === 'sticker' || a?.payload?.sticker_id !== undefined)) return text ? `${text} [sticker]` : '[sticker]';
  const parts = attachments.map((a) => (a?.type === 'fallback' && str(a.title) ? `[link] ${str(a.title)}` : `[${str(a?.type) ?? 'attachment'}]`));
  return [text, ...parts].filter(Boolean).join(' ') || '[empty message]';
}

/** Reads a `page` payload: customer messages and postbacks, delivery and read receipts, and echoes of the page's own messages. */
export function readMessengerPayload(entries: Record<string, any>[]): MsPayload {
  const out: MsPayload = { messages: [], receipts: [], echoes: [], skipped: [] };
  for (const entry of entries) {
    for (const ev of Array.isArray(entry.messaging) ? entry.messaging : []) {
      const psid = str(ev?.sender?.id);
      const pageId = str(ev?.recipient?.id);
      if (!psid) { out.skipped.push({ reason: 'event without sender.id', item: ev }); continue; }
      if (ev.message) {
        if (ev.message.is_echo) {
          // An echo is sent by the page (sender) to the person (recipient): never a customer message.
          const mid = str(ev.message.mid);
          if (!mid || !pageId) { out.skipped.push({ reason: 'echo without mid or recipient', item: { mid: ev.message.mid } }); continue; }
          out.echoes.push({ externalId: mid, to: pageId, bodyText: bodyOf(ev.message), at: providerTime(ev.timestamp), appId: ev.message.app_id != null ? String(ev.message.app_id) : undefined });
          continue;
        }
        const mid = str(ev.message.mid);
        if (!mid) { out.skipped.push({ reason: 'message without mid', item: ev }); continue; }
        out.messages.push({ externalId: mid, from: psid, to: pageId, bodyText: bodyOf(ev.message), at: providerTime(ev.timestamp), replyTo: str(ev.message.reply_to?.mid) });
      } else if (ev.postback) {
        const id = str(ev.postback.mid) ?? `postback:${psid}:${ev.timestamp}`;
        out.messages.push({ externalId: id, from: psid, to: pageId, bodyText: str(ev.postback.title) ?? str(ev.postback.payload) ?? '[button]', at: providerTime(ev.timestamp) });
      } else if (ev.delivery) {
        out.receipts.push({ status: 'delivered', psid, mids: (Array.isArray(ev.delivery.mids) ? ev.delivery.mids : []).filter((m: unknown) => typeof m === 'string'), watermark: providerTime(ev.delivery.watermark) });
      } else if (ev.read) {
        out.receipts.push({ status: 'read', psid, mids: [], watermark: providerTime(ev.read.watermark) });
      } else {
        out.skipped.push({ reason: `event ${Object.keys(ev).filter((k) => !['sender', 'recipient', 'timestamp'].includes(k)).join(',') || '?'} is not handled`, item: ev });
      }
    }
  }
  return out;
}
