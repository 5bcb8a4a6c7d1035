import { WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import type { Ctx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import { RateLimiter } from '../../platform/rate-limit.ts';
import type { ChannelRow } from '../../domains/channels/index.ts';
import {
  receiveMessage, markChatReplies, repliesAmong, visitorConversationId, visitorCustomerId, visitorExternalId, visitorHistory, visitorMessage,
  type VisitorMessage,
} from '../../domains/conversations/index.ts';
import { rememberContactEmail } from '../../domains/customers/index.ts';
import { widgetSettings, type ChatConfig } from './chat-config.ts';
import { HelloFrame, identifyVisitor, type Visitor } from './visitor-identity.ts';
import type { VisitorHub } from './visitor-hub.ts';

export type VisitorLimits = {
  /** Longest message a visitor may send, in characters. */
  maxText: number;
  /** Messages a socket may send in a burst; refilled at burst/10 per second (10 per 10 s by default). */
  messageBurst: number;
  helloTimeoutMs: number;
  maxBufferedBytes: number;
  maxQueuedFrames: number;
};

export const defaultVisitorLimits: VisitorLimits = { maxText: 5000, messageBurst: 10, helloTimeoutMs: 10_000, maxBufferedBytes: 512 * 1024, maxQueuedFrames: 16 };

/** Close codes the widget acts on: 4400/4401 are final (it does not reconnect), the rest retry. */
export const CLOSE = { badHello: 4400, unauthenticated: 4401, helloTimeout: 4408, shutdown: 1001, error: 1011, slow: 1013 } as const;

const MessageFrame = z.object({ type: z.literal('message'), id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a client message id: 8–64 letters, digits, _ or -'), text: z.string() });
const ReadFrame = z.object({ type: z.literal('read'), ids: z.array(z.string()).max(50) });

/**
 * One visitor's socket. The first frame must be a hello (who is chatting); until then nothing else
 * is accepted and nothing is stored. Then: send messages (ingested like any channel's, idempotent
 * on the widget's message id), read receipts, pings. Frames are handled one at a time, in order.
 */
export class VisitorConnection {
  visitor?: Visitor;
  customerId: string | null = null;
  conversationId: string | null = null;
  private ready = false;
  private early: [VisitorMessage, string][] = [];
  private alive = true;
  private queued = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Visitor messages (10 per 10 s by default), and frames of any kind (60 at once, 10 a second). */
  private readonly limiter: RateLimiter;
  private readonly frames: RateLimiter;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(readonly ws: WebSocket, readonly ctx: Ctx, readonly channel: ChannelRow, private readonly cfg: ChatConfig,
    private readonly hub: VisitorHub, private readonly limits: VisitorLimits,
    /** Paces new visitors (VisitorGate): 0 when this one may start a conversation, else seconds to wait. */
    private readonly newVisitor: () => number = () => 0) {
    this.limiter = new RateLimiter(limits.messageBurst, limits.messageBurst / 10);
    this.frames = new RateLimiter(limits.messageBurst * 6, limits.messageBurst);
    this.helloTimer = setTimeout(() => this.close(CLOSE.helloTimeout, 'no hello'), limits.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('pong', () => { this.alive = true; });
    ws.on('close', () => { clearTimeout(this.helloTimer); this.hub.remove(this); });
  }

  get workspaceId(): string { return this.ctx.workspaceId; }

  /** Shows a message pushed by the hub; resolves true when the socket took it. */
  show(message: VisitorMessage, channel: string): Promise<boolean> {
    if (!this.ready) { this.early.push([message, channel]); return Promise.resolve(false); }
    if (message.conversationId !== this.conversationId) {
      // Another of the customer's conversations: only a chat one (an agent wrote on chat) takes the widget over.
      if (channel !== 'chat') return Promise.resolve(false);
      this.conversationId = message.conversationId;
    }
    return this.send({ type: 'message', message });
  }

  heartbeat(): void {
    if (!this.alive) { this.ws.terminate(); return; }
    this.alive = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  /** Sends a frame; resolves true once it was written to the socket. */
  send(frame: Record<string, unknown>): Promise<boolean> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve(false);
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) { this.close(CLOSE.slow, 'slow consumer'); return Promise.resolve(false); }
    return new Promise((resolve) => this.ws.send(JSON.stringify(frame), (err) => resolve(!err)));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    let msg: { type?: unknown; id?: unknown };
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(data.toString());
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new Error('not an object');
    } catch {
      void this.fail(undefined, new AppError('validation_failed', 'frame: expected a JSON object in a text frame'));
      return;
    }
    const id = typeof msg.id === 'string' ? msg.id.slice(0, 64) : undefined;
    if (this.frames.take('frames')) { void this.fail(id, new AppError('rate_limited', 'Too many frames on this socket')); return; }
    if (this.queued >= this.limits.maxQueuedFrames) { void this.fail(id, new AppError('rate_limited', 'Too many frames in flight on this socket')); return; }
    this.queued++;
    this.queue = this.queue.then(() => this.handle(msg, id)).finally(() => { this.queued--; });
  }

  private async handle(msg: { type?: unknown }, id: string | undefined): Promise<void> {
    try {
      if (!this.visitor) {
        if (msg.type !== 'hello') throw new AppError('validation_failed', "type: the first frame must be 'hello'");
        return await this.hello(msg);
      }
      switch (msg.type) {
        case 'message': return await this.message(msg);
        case 'read': return await this.read(msg);
        case 'ping': await this.send({ type: 'pong' }); return;
        case 'hello': throw new AppError('validation_failed', 'type: hello was already sent');
        default: throw new AppError('validation_failed', "type: expected 'message', 'read' or 'ping'");
      }
    } catch (err) {
      await this.fail(id, err);
      if (!this.visitor && this.ws.readyState === WebSocket.OPEN) {
        const code = !(err instanceof AppError) || err.code === 'internal' ? CLOSE.error : err.code === 'unauthenticated' ? CLOSE.unauthenticated : CLOSE.badHello;
        this.close(code, err instanceof AppError ? err.code : 'internal');
      }
    }
  }

  private async hello(raw: unknown): Promise<void> {
    const r = HelloFrame.safeParse(raw);
    if (!r.success) throw new AppError('validation_failed', `hello: ${r.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ')}`);
    const visitor = identifyVisitor(this.channel, this.cfg, r.data);
    clearTimeout(this.helloTimer);
    this.visitor = visitor;
    this.customerId = await visitorCustomerId(this.ctx, visitor.identity.value);
    // Listen before reading the history, so nothing committed in between is missed (the widget drops repeats).
    if (this.customerId) this.hub.add(this);
    this.conversationId = this.customerId ? await visitorConversationId(this.ctx, this.customerId) : null;
    const history = this.customerId && this.conversationId ? await visitorHistory(this.ctx, this.customerId, this.conversationId) : [];
    this.ready = true;
    const sent = await this.send({
      type: 'welcome', verified: visitor.verified, ...(visitor.visitorId ? { visitorId: visitor.visitorId } : {}),
      conversationId: this.conversationId, messages: history.map(visitorMessage), settings: widgetSettings(this.cfg),
      limits: { maxText: this.limits.maxText, messagesPer10s: this.limits.messageBurst },
    });
    for (const [m, channel] of this.early.splice(0)) await this.show(m, channel);
    if (sent) await markChatReplies(this.ctx, history, 'delivered');
  }

  private async message(raw: unknown): Promise<void> {
    const r = MessageFrame.safeParse(raw);
    if (!r.success) throw new AppError('validation_failed', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const text = r.data.text.replace(/\r\n?/g, '\n').trim();
    if (!text) throw new AppError('validation_failed', 'text: a message cannot be empty');
    if (text.length > this.limits.maxText) throw new AppError('validation_failed', `text: at most ${this.limits.maxText} characters`);
    const wait = this.limiter.take('messages');
    if (wait) throw new AppError('rate_limited', `Too many messages: wait ${wait} s`);
    if (!this.customerId) {
      // A visitor Candor does not know yet: this message would create a customer and a conversation.
      const pace = this.newVisitor();
      if (pace) throw new AppError('rate_limited', `Many new chats right now: your message is kept, sending again in ${pace} s`, { retryAfterSeconds: pace });
    }
    const v = this.visitor!;
    const outcome = await receiveMessage({ ctx: this.ctx, input: {
      channel: 'chat', channelId: this.channel.id, from: { ...v.identity, ...(v.name ? { name: v.name } : {}) },
      externalId: visitorExternalId(v.identity.value, r.data.id), bodyText: text,
      ...(this.conversationId ? { conversationId: this.conversationId } : {}),
    } });
    const message = outcome.message;
    if (message.customerId !== this.customerId) {
      this.hub.remove(this);
      this.customerId = message.customerId;
      this.hub.add(this);
    }
    this.conversationId = message.conversationId;
    if (v.email && !outcome.duplicate) await rememberContactEmail(this.ctx, message.customerId, v.email);
    await this.send({ type: 'ack', id: r.data.id, duplicate: outcome.duplicate, message: visitorMessage(message) });
  }

  private async read(raw: unknown): Promise<void> {
    const r = ReadFrame.safeParse(raw);
    if (!r.success || !this.customerId) return;
    await markChatReplies(this.ctx, await repliesAmong(this.ctx, this.customerId, r.data.ids), 'read');
  }

  private async fail(id: string | undefined, err: unknown): Promise<void> {
    let e: AppError;
    if (err instanceof AppError) e = err;
    else {
      this.ctx.app.log.error({ err, connection: this.ctx.requestId }, 'chat: visitor frame failed');
      e = new AppError('internal', 'Something went wrong on our side');
    }
    const retryAfter = e.details?.retryAfterSeconds;
    await this.send({ type: 'error', code: e.code, message: e.message, ...(id ? { id } : {}), ...(typeof retryAfter === 'number' ? { retryAfter } : {}) });
  }
}
