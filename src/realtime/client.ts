import type { WebSocket } from 'ws';
import type { DomainEvent } from '../platform/events.ts';
import { FrameSocket, openSocket } from './frame-socket.ts';

export { UpgradeRejected } from './frame-socket.ts';

/** Where every Candor node serves the gateway (gateway.ts REALTIME_PATH). */
const REALTIME_PATH = '/api/v1/realtime';

export type RealtimeFrame = {
  type: 'subscribed' | 'unsubscribed' | 'error' | 'event' | 'pong' | 'resync';
  topic?: string;
  id?: string | number;
  code?: string;
  message?: string;
  event?: DomainEvent;
};

/**
 * A small Node client for the realtime gateway (tests, tools, integrations): connect with a
 * session cookie or an API key, subscribe and await the answer, and wait for frames.
 */
export class RealtimeClient extends FrameSocket<RealtimeFrame> {
  private seq = 0;

  private constructor(ws: WebSocket) {
    super(ws, 'realtime');
  }

  /** Opens a socket on a Candor node (base URL http://host:port). Rejects with UpgradeRejected on a non-101 answer. */
  static connect(baseUrl: string, auth: { cookie?: string; token?: string; queryToken?: string; origin?: string } = {}): Promise<RealtimeClient> {
    const url = new URL(REALTIME_PATH, baseUrl.replace(/^http/, 'ws'));
    if (auth.queryToken) url.searchParams.set('access_token', auth.queryToken);
    const headers: Record<string, string> = {};
    if (auth.cookie) headers.cookie = auth.cookie;
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.origin) headers.origin = auth.origin;
    return openSocket(url, headers, (ws) => new RealtimeClient(ws));
  }

  /** Subscribes and resolves with the gateway's answer: a 'subscribed' or an 'error' frame. */
  subscribe(topic: string): Promise<RealtimeFrame> {
    return this.request({ type: 'subscribe', topic });
  }

  unsubscribe(topic: string): Promise<RealtimeFrame> {
    return this.request({ type: 'unsubscribe', topic });
  }

  request(frame: Record<string, unknown>, timeoutMs = 5000): Promise<RealtimeFrame> {
    const id = `r${++this.seq}`;
    const answer = this.next((f) => f.id === id && f.type !== 'event', timeoutMs);
    this.ws.send(JSON.stringify({ ...frame, id }));
    return answer;
  }

  /** The event frame for a topic whose event passes `match`. */
  nextEvent(topic: string, match: (e: DomainEvent) => boolean, timeoutMs = 5000, fromStart = false): Promise<RealtimeFrame> {
    return this.next((f) => f.type === 'event' && f.topic === topic && match(f.event!), timeoutMs, fromStart);
  }
}
