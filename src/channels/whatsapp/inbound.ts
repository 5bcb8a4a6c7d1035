import { providerTime } from '../meta/webhook.ts';
import type { MetaInbound } from '../meta/inbound-messages.ts';
import type { Receipt } from '../meta/acknowledge.ts';

export type WaPayload = { messages: MetaInbound[]; receipts: Receipt[]; skipped: { reason: string; item: unknown }[] };

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const receiptStates = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * What an agent reads for one WhatsApp message. Text is itself; every other type is recorded
 * too (it is the customer talking, and it opens the 24-hour window) as a bracketed summary with
 * any caption, e.g. "[image] the router lights" or "[sticker]". Media files are not downloaded.
 * A removed reaction carries nothing to record: null.
 */
export function bodyOf(m: Record<string, any>): string | null {
  const type = str(m.type) ?? 'unknown';
  const part = m[type] ?? {};
  switch (type) {
    case 'text': return str(part.body) ?? '[empty message]';
    case 'image': case 'video': case 'sticker':
      return [`[${type}]`, str(part.caption)].filter(Boolean).join(' ');
    case 'audio': return part.voice ? '[voice message]' : '[audio]';
    case 'document': return [`[document${str(part.filename) ? `: ${str(part.filename)}` : ''}]`, str(part.caption)].filter(Boolean).join(' ');
    case 'location': {
      const where = [str(part.name), str(part.address)].filter(Boolean).join(', ');
      return `[location] ${where ? `${where} ` : ''}(${part.latitude}, ${part.longitude})`;
    }
    case 'contacts': return `[contact] ${(Array.isArray(part) ? part : []).map((c: any) => str(c?.name?.formatted_name) ?? '?').join(', ')}`.trim();
    case 'interactive': return str(part.button_reply?.title) ?? str(part.list_reply?.title) ?? `[${str(part.type) ?? 'interactive'} reply]`;
    case 'button': return str(part.text) ?? str(part.payload) ?? '[button]';
    case 'reaction': return str(part.emoji) ? `[reaction ${part.emoji}]` : null;
    case 'system': return str(part.body) ?? '[system]';
    case 'unsupported': return '[unsupported message]';
    default: return `[${type}]`;
  }
}

function failure(s: Record<string, any>): string {
  const e = Array.isArray(s.errors) ? s.errors[0] : undefined;
  if (!e) return 'WhatsApp reported the message failed';
  const details = str(e.error_data?.details);
  const title = str(e.title) ?? str(e.message) ?? 'failed';
  return `${title}${e.code !== undefined ? ` (code ${e.code})` : ''}${details && details !== title ? `: ${details}` : ''}`;
}

/** Reads a `whatsapp_business_account` payload: inbound messages and delivery receipts, in order. */
export function readWhatsAppPayload(entries: Record<string, any>[]): WaPayload {
  const out: WaPayload = { messages: [], receipts: [], skipped: [] };
  for (const entry of entries) {
    for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
      const value = change?.value;
      if (!value || typeof value !== 'object' || (change.field && change.field !== 'messages')) {
        out.skipped.push({ reason: `field ${change?.field ?? '?'} is not handled`, item: change });
        continue;
      }
      const phoneNumberId = str(value.metadata?.phone_number_id);
      const contacts: any[] = Array.isArray(value.contacts) ? value.contacts : [];
      for (const m of Array.isArray(value.messages) ? value.messages : []) {
        const externalId = str(m?.id); const waId = str(m?.from);
        if (!externalId || !waId) { out.skipped.push({ reason: 'message without id or from', item: m }); continue; }
        const bodyText = bodyOf(m);
        if (bodyText === null) { out.skipped.push({ reason: `${m.type} without content`, item: m }); continue; }
        const contact = contacts.find((c) => c?.wa_id === waId) ?? (contacts.length === 1 ? contacts[0] : undefined);
        out.messages.push({ externalId, from: waId, name: str(contact?.profile?.name), bodyText, at: providerTime(m.timestamp), to: phoneNumberId, replyTo: str(m.context?.id) });
      }
      for (const s of Array.isArray(value.statuses) ? value.statuses : []) {
        const externalId = str(s?.id);
        if (!externalId || !receiptStates.has(s.status)) { out.skipped.push({ reason: `status ${s?.status ?? '?'} is not tracked`, item: s }); continue; }
        out.receipts.push({ externalId, status: s.status, error: s.status === 'failed' ? failure(s) : undefined, at: providerTime(s.timestamp) });
      }
      if (Array.isArray(value.errors) && value.errors.length) out.skipped.push({ reason: 'account-level errors reported', item: value.errors });
    }
  }
  return out;
}
