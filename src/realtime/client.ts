import { WebSocket } from 'ws';
import type { DomainEvent } from '../platform/events.ts';

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

/** A failed handshake: the HTTP status and error body the gateway answered instead of 101. */
export class UpgradeRejected extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`WebSocket upgrade rejected with ${status}: ${body}`);
  }
}

/**
 * A small Node client for the realtime gateway (tests, tools, integrations): connect with a
 * session cookie or an API key, subscribe and await the answer, and wait for frames.
 */
export class RealtimeClient {
  /** Every frame received, in order. */
  readonly frames: RealtimeFrame[] = [];
  closed?: { code: number; reason: string };
  private waiters: { match: (f: RealtimeFrame) => boolean; resolve: (f: RealtimeFrame) => void }[] = [];
  private seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as RealtimeFrame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => !(w.match(f) && (w.resolve(f), true)));
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; });
  }

  /** Opens a socket on a Candor node (base URL http://host:port). Rejects with UpgradeRejected on a non-101 answer. */
  static connect(baseUrl: string, auth: { cookie?: string; token?: string; queryToken?: string; origin?: string } = {}): Promise<RealtimeClient> {
    const url = new URL(REALTIME_PATH, baseUrl.replace(/^http/, 'ws'));
    if (auth.queryToken) url.searchParams.set('access_token', auth.queryToken);
    const headers: Record<string, string> = {};
    if (auth.cookie) headers.cookie = auth.cookie;
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.origin) headers.origin = auth.origin;
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RealtimeClient(ws)));
      ws.once('unexpected-response', (req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c; });
        res.on('end', () => { reject(new UpgradeRejected(res.statusCode ?? 0, body)); req.destroy(); });
      });
      ws.on('error', (err) => reject(err));
    });
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

  /** The first frame from now on (or already received, with `fromStart`) that matches; rejects after timeoutMs. */
  next(match: (f: RealtimeFrame) => boolean, timeoutMs = 5000, fromStart = false): Promise<RealtimeFrame> {
    if (fromStart) {
      const seen = this.frames.find(match);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching realtime frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const waiter = { match, resolve: (f: RealtimeFrame) => { clearTimeout(timer); resolve(f); } };
      this.waiters.push(waiter);
    });
  }

  /** The event frame for a topic whose event passes `match`. */
  nextEvent(topic: string, match: (e: DomainEvent) => boolean, timeoutMs = 5000, fromStart = false): Promise<RealtimeFrame> {
    return this.next((f) => f.type === 'event' && f.topic === topic && match(f.event!), timeoutMs, fromStart);
  }

  /** Closes and waits for the close handshake. */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => { this.ws.once('close', () => resolve()); this.ws.close(1000); });
  }
}
