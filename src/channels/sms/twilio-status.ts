import type { DeliveryStatus } from '../../domains/conversations/index.ts';

/**
 * Twilio MessageStatus → Candor delivery state. Statuses before "sent" (accepted, scheduled, queued,
 * sending) are all Candor's "queued"; receiving/received describe inbound messages and change nothing.
 * https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
 */
export function deliveryStatusOf(twilioStatus: string): DeliveryStatus | null {
  switch (twilioStatus) {
    case 'accepted': case 'scheduled': case 'queued': case 'sending': return 'queued';
    case 'sent': return 'sent';
    case 'delivered': return 'delivered';
    case 'read': return 'read';
    case 'undelivered': case 'failed': case 'canceled': return 'failed';
    default: return null;
  }
}

/** Plain words for the error codes agents meet most (https://www.twilio.com/docs/api/errors). */
const known: Record<string, string> = {
  '21211': "invalid 'To' number",
  '21408': 'sending to this region is not enabled',
  '21610': 'the recipient has replied STOP (unsubscribed)',
  '21612': 'this route cannot be reached from the sending number',
  '21614': "'To' is not a mobile number",
  '30001': 'queue overflow',
  '30002': 'account suspended',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier',
  '30008': 'unknown error',
  '30034': 'sender is not registered for A2P 10DLC',
};

/** The reason an agent sees on a failed SMS: Twilio's code, and what it means when we know. */
export function twilioFailureReason(status: string, errorCode?: string | null, errorMessage?: string | null): string {
  const code = errorCode?.trim();
  const words = errorMessage?.trim() || (code ? known[code] : undefined);
  return `SMS ${status}${code ? ` (Twilio error ${code}${words ? `: ${words}` : ''})` : words ? `: ${words}` : ''}`;
}
