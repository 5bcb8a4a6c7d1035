import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { UpgradeRejected } from '../../realtime/client.ts';
import { CHAT_SOCKET_PATH } from './visitor-socket.ts';
import type { VisitorMessage } from '../../domains/conversations/index.ts';

export type VisitorFrame = {
  type: 'welcome' | 'ack' | 'message' | 'error' | 'pong';
  id?: string; code?: string; message?: VisitorMessage | string; duplicate?: boolean;
  visitorId?: string; verified?: boolean; conversationId?: string | null; messages?: VisitorMessage[];
  settings?: { title: string | null; greeting: string | null; color: string | null };
};
export type Hello = { visitorId?: string; userId?: string; userHash?: string; name?: string; email?: string };

/**
 * A Node client speaking the widget's protocol (tests, load tools): connect, say hello, send
 * messages and wait for frames. `connect` rejects with UpgradeRejected on a non-101 answer.
 */
export class VisitorClient {
  readonly frames: VisitorFrame[] = [];
  closed?: { code: number; reason: string };
  private waiters: { match: (f: VisitorFrame) => boolean; resolve: (f: VisitorFrame) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as VisitorFrame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => !(w.match(f) && (w.resolve(f), true)));
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; for (const w of this.closeWaiters.splice(0)) w(); });
  }

  static connect(baseUrl: string, q: { workspace: string; channel: string }, headers: Record<string, string> = {}): Promise<VisitorClient> {
    const url = new URL(CHAT_SOCKET_PATH, baseUrl.replace(/^http/, 'ws'));
    url.searchParams.set('workspace', q.workspace);
    url.searchParams.set('channel', q.channel);
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new VisitorClient(ws)));
      ws.once('unexpected-response', (req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c; });
        res.on('end', () => { reject(new UpgradeRejected(res.statusCode ?? 0, body)); req.destroy(); });
      });
      ws.on('error', (err) => reject(err));
    });
  }

  /** Says hello; resolves with the welcome, or the error frame when the server refuses. */
  hello(h: Hello = {}): Promise<VisitorFrame> {
    const answer = this.next((f) => f.type === 'welcome' || f.type === 'error');
    this.ws.send(JSON.stringify({ type: 'hello', ...h }));
    return answer;
  }

  /** Sends a message (with a fresh client id unless given); resolves with its ack or error. */
  say(text: string, id = randomBytes(16).toString('hex')): Promise<VisitorFrame> {
    const answer = this.next((f) => (f.type === 'ack' || f.type === 'error') && f.id === id);
    this.ws.send(JSON.stringify({ type: 'message', id, text }));
    return answer;
  }

  sendRaw(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next(match: (f: VisitorFrame) => boolean, timeoutMs = 5000, fromStart = false): Promise<VisitorFrame> {
    if (fromStart) {
      const seen = this.frames.find(match);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching chat frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const waiter = { match, resolve: (f: VisitorFrame) => { clearTimeout(timer); resolve(f); } };
      this.waiters.push(waiter);
    });
  }

  /** The pushed message frame whose message passes `match`. */
  nextMessage(match: (m: VisitorMessage) => boolean, timeoutMs = 5000): Promise<VisitorMessage> {
    return this.next((f) => f.type === 'message' && match(f.message as VisitorMessage), timeoutMs, true).then((f) => f.message as VisitorMessage);
  }

  /** Resolves when the server closed the socket (or it was closed already). */
  whenClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
      this.closeWaiters.push(() => { clearTimeout(timer); resolve(this.closed!); });
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => { this.ws.once('close', () => resolve()); this.ws.close(1000); });
  }
}
