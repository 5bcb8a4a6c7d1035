import { RateLimiter } from '../../platform/rate-limit.ts';

export type GateLimits = {
  /** Open visitor sockets one address may hold on this node (a household, an office behind NAT). */
  maxSocketsPerAddress: number;
  /** Open visitor sockets one chat channel may hold on this node. */
  maxSocketsPerChannel: number;
  /** New visitors (a first message that creates a customer and a conversation) per address: a burst, refilled per hour. */
  newVisitorsPerAddressPerHour: number;
  /** New visitors per channel: a burst, refilled per minute. */
  newVisitorsPerChannelPerMinute: number;
};

const envNumber = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
/**
 * The defaults, each overridable: CANDOR_CHAT_SOCKETS_PER_ADDRESS (20), CANDOR_CHAT_SOCKETS_PER_CHANNEL
 * (5000), CANDOR_CHAT_NEW_VISITORS_PER_ADDRESS (30 an hour), CANDOR_CHAT_NEW_VISITORS_PER_CHANNEL (120 a minute).
 */
export const gateLimitsFromEnv = (env: NodeJS.ProcessEnv = process.env): GateLimits => ({
  maxSocketsPerAddress: envNumber(env.CANDOR_CHAT_SOCKETS_PER_ADDRESS, 20),
  maxSocketsPerChannel: envNumber(env.CANDOR_CHAT_SOCKETS_PER_CHANNEL, 5000),
  newVisitorsPerAddressPerHour: envNumber(env.CANDOR_CHAT_NEW_VISITORS_PER_ADDRESS, 30),
  newVisitorsPerChannelPerMinute: envNumber(env.CANDOR_CHAT_NEW_VISITORS_PER_CHANNEL, 120),
});

/**
 * What the public chat endpoint lets anyone open on this node: sockets counted per address and per
 * channel (over a cap: the upgrade is refused with 429), and new visitors (the first message of a
 * visitor Candor does not know yet, which creates a customer and a conversation) paced per address
 * and per channel. Over the pace, that message is answered `rate_limited` with a wait and nothing
 * is stored: the widget keeps it and sends it again (back-pressure, not a record per connection).
 */
export class VisitorGate {
  private readonly byAddress = new Map<string, number>();
  private readonly byChannel = new Map<string, number>();
  private readonly newByAddress: RateLimiter;
  private readonly newByChannel: RateLimiter;

  constructor(readonly limits: GateLimits = gateLimitsFromEnv()) {
    this.newByAddress = new RateLimiter(limits.newVisitorsPerAddressPerHour, limits.newVisitorsPerAddressPerHour / 3600);
    this.newByChannel = new RateLimiter(limits.newVisitorsPerChannelPerMinute, limits.newVisitorsPerChannelPerMinute / 60);
  }

  /** Takes a socket slot; null when admitted, else which cap is full. */
  admit(address: string, channelId: string): 'address' | 'channel' | null {
    if ((this.byAddress.get(address) ?? 0) >= this.limits.maxSocketsPerAddress) return 'address';
    if ((this.byChannel.get(channelId) ?? 0) >= this.limits.maxSocketsPerChannel) return 'channel';
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    this.byChannel.set(channelId, (this.byChannel.get(channelId) ?? 0) + 1);
    return null;
  }

  release(address: string, channelId: string): void {
    dec(this.byAddress, address);
    dec(this.byChannel, channelId);
  }

  /** May a new visitor start a conversation now? 0 when yes, else the seconds to wait. */
  newVisitor(address: string, channelId: string): number {
    const a = this.newByAddress.take(address);
    if (a) return a;
    return this.newByChannel.take(channelId);
  }

  sockets(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }
}

function dec(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}
