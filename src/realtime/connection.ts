import { WebSocket, type RawData } from 'ws';
import type { Ctx } from '../platform/ctx.ts';
import type { DomainEvent } from '../platform/events.ts';
import { AppError } from '../platform/errors.ts';
import { authorizeTopic, maySee, type Subscription } from './topics.ts';

export type ConnectionLimits = {
  /** Past this many bytes waiting in the socket's send buffer the client is too slow: it is closed (1013). */
  maxBufferedBytes: number;
  /** Topics one socket may hold. */
  maxTopics: number;
  /** Client frames waiting to be handled; more answer rate_limited. */
  maxQueuedFrames: number;
};

type ClientFrame = { type?: unknown; topic?: unknown; id?: unknown };

/**
 * One authenticated socket: its ctx (workspace + actor), its topics, and a send path that never
 * lets a slow reader grow the server's memory. Client frames are handled one at a time, in order,
 * so an unsubscribe sent after a subscribe always wins.
 */
export class RealtimeConnection {
  readonly subscriptions = new Map<string, Subscription>();
  private alive = true;
  private queued = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly ws: WebSocket, readonly ctx: Ctx, private readonly limits: ConnectionLimits) {
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('pong', () => { this.alive = true; });
  }

  get agentId(): string | null {
    return this.ctx.actor.type === 'agent' ? this.ctx.actor.id : null;
  }

  /** Sends the event once for every topic of this socket it belongs to. `json` is the event, serialised once for all sockets. */
  deliver(event: DomainEvent, json: string): void {
    if (!this.subscriptions.size || !maySee(this.ctx, event)) return;
    for (const s of this.subscriptions.values()) {
      if (s.matches(event)) this.send(`{"type":"event","topic":${JSON.stringify(s.topic)},"event":${json}}`);
    }
  }

  /** Ping; a socket that did not answer the previous ping is dead and is dropped. */
  heartbeat(): void {
    if (!this.alive) { this.ws.terminate(); return; }
    this.alive = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  send(frame: string | Record<string, unknown>): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.ctx.app.log.warn({ connection: this.ctx.requestId, buffered: this.ws.bufferedAmount }, 'realtime: slow consumer closed');
      this.ws.close(1013, 'slow consumer: send buffer full');
      return;
    }
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    let msg: ClientFrame;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(data.toString());
      if (!msg || typeof msg !== 'object') throw new Error('not an object');
    } catch {
      return this.fail(undefined, new AppError('validation_failed', 'frame: expected a JSON object in a text frame'));
    }
    const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : undefined;
    if (this.queued >= this.limits.maxQueuedFrames) return this.fail(id, new AppError('rate_limited', 'Too many requests in flight on this socket'));
    this.queued++;
    this.queue = this.queue.then(() => this.handle(msg, id)).finally(() => { this.queued--; });
  }

  private async handle(msg: ClientFrame, id: string | number | undefined): Promise<void> {
    try {
      switch (msg.type) {
        case 'subscribe': {
          const topic = msg.topic as string;
          if (!this.subscriptions.has(topic)) {
            if (this.subscriptions.size >= this.limits.maxTopics) throw new AppError('validation_failed', `topic: at most ${this.limits.maxTopics} topics per socket`);
            const sub = await authorizeTopic(this.ctx, msg.topic);
            this.subscriptions.set(sub.topic, sub);
          }
          return this.send({ type: 'subscribed', topic, id });
        }
        case 'unsubscribe':
          this.subscriptions.delete(String(msg.topic));
          return this.send({ type: 'unsubscribed', topic: msg.topic, id });
        case 'ping':
          return this.send({ type: 'pong', id });
        default:
          throw new AppError('validation_failed', "type: expected 'subscribe', 'unsubscribe' or 'ping'");
      }
    } catch (err) {
      this.fail(id, err, typeof msg.topic === 'string' ? msg.topic : undefined);
    }
  }

  private fail(id: string | number | undefined, err: unknown, topic?: string): void {
    let e: AppError;
    if (err instanceof AppError) e = err;
    else {
      this.ctx.app.log.error({ err, connection: this.ctx.requestId }, 'realtime: frame failed');
      e = new AppError('internal', 'Something went wrong on our side');
    }
    this.send({ type: 'error', code: e.code, message: e.message, id, topic });
  }
}
