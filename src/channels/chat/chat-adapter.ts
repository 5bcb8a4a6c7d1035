import type { ChannelAdapter } from '../adapter.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { channelForReply, loadChannel, type ChannelRow } from '../../domains/channels/index.ts';
import { getCustomer } from '../../domains/customers/index.ts';
import { PermanentDeliveryError, messageDeliveryStatus, type MessageRow } from '../../domains/conversations/index.ts';
import { sendEmail } from '../email/send-email.ts';
import { emailConfigOf } from '../email/config.ts';
import { chatConfigOf, type ChatConfig } from './chat-config.ts';
import { visitorHubs } from './visitor-hub.ts';

export type ChatAdapterOptions = {
  /**
   * With several nodes (PostgreSQL), how long a reply waits for another node's visitor socket to
   * take it before the visitor counts as offline. One node knows its sockets and does not wait.
   */
  deliveryWaitMs?: number;
};

const reached = (status: string) => status === 'delivered' || status === 'read';

/**
 * Whether the reply is on the visitor's screen: already (a socket took it when it was created, or
 * a history load showed it), through a socket on this node now, or, with several nodes, through
 * another node's socket within the wait.
 */
async function reachVisitor(ctx: Ctx, message: MessageRow, waitMs: number): Promise<boolean> {
  let heard = false;
  let hear!: () => void;
  const confirmed = new Promise<void>((resolve) => { hear = resolve; });
  const unsubscribe = ctx.app.bus.subscribe((e) => {
    if (e.workspaceId === ctx.workspaceId && e.type === 'message.delivery_updated' && e.data.messageId === message.id && reached(String(e.data.status))) { heard = true; hear(); }
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const now = await messageDeliveryStatus({ ctx, id: message.id });
    if (now && reached(now)) return true;
    for (const hub of visitorHubs(ctx.app)) if (await hub.deliver(ctx.workspaceId, message.customerId, message.id)) return true;
    if (heard || waitMs <= 0) return heard;
    return await Promise.race([confirmed.then(() => true), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), waitMs); })]);
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

/** The email channel offline replies leave by: the one the chat channel names, else the workspace's first active one. */
async function emailChannelFor(ctx: Ctx, cfg: ChatConfig): Promise<ChannelRow | null> {
  if (cfg.emailChannelId) {
    const named = await loadChannel(ctx, cfg.emailChannelId).catch(() => null);
    if (named?.kind === 'email' && named.active) return named;
  }
  return channelForReply(ctx, 'email', null);
}

/**
 * An agent's reply to a web chat visitor. Online (a visitor socket on any node took it): marked
 * delivered. Offline: when the customer has an email address and the workspace an email channel
 * with an SMTP relay, the reply goes by email through the email adapter (quoting the chat) and is
 * marked sent; otherwise it stays sent, waiting in the conversation for the visitor's next visit
 * (the widget's history shows it, and marks it delivered then). A relay's temporary failure
 * retries the whole send (the visitor may be back by then); a refusal fails the message.
 */
export function createChatAdapter(opts: ChatAdapterOptions = {}): ChannelAdapter {
  const waitMs = opts.deliveryWaitMs ?? Number(process.env.CANDOR_CHAT_DELIVERY_WAIT_MS ?? 1000);
  return {
    kind: 'chat',
    async send(ctx, channel, message) {
      if (await reachVisitor(ctx, message, ctx.app.database.kind === 'postgres' ? waitMs : 0)) return {};
      const customer = await getCustomer({ ctx, id: message.customerId });
      const to = customer.email ?? customer.identities.find((i) => i.kind === 'email')?.value;
      if (!to) return {};
      const email = await emailChannelFor(ctx, chatConfigOf(channel));
      if (!email || !emailConfigOf(email)?.smtpHost) {
        ctx.app.log.info({ messageId: message.id }, 'chat: visitor offline and no email channel with a relay; the reply waits for their next visit');
        return {};
      }
      try {
        return await sendEmail(ctx, email, message);
      } catch (err) {
        if (err instanceof PermanentDeliveryError) throw new PermanentDeliveryError(`Visitor offline; the reply by email failed: ${err.message}`);
        throw err;
      }
    },
  };
}

export const chatAdapter = createChatAdapter();
