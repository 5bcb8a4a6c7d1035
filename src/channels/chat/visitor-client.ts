import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { FrameSocket, openSocket } from '../../realtime/frame-socket.ts';
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
export class VisitorClient extends FrameSocket<VisitorFrame> {
  private constructor(ws: WebSocket) {
    super(ws, 'chat');
  }

  static connect(baseUrl: string, q: { workspace: string; channel: string }, headers: Record<string, string> = {}): Promise<VisitorClient> {
    const url = new URL(CHAT_SOCKET_PATH, baseUrl.replace(/^http/, 'ws'));
    url.searchParams.set('workspace', q.workspace);
    url.searchParams.set('channel', q.channel);
    return openSocket(url, headers, (ws) => new VisitorClient(ws));
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

  /** The pushed message frame whose message passes `match`. */
  nextMessage(match: (m: VisitorMessage) => boolean, timeoutMs = 5000): Promise<VisitorMessage> {
    return this.next((f) => f.type === 'message' && match(f.message as VisitorMessage), timeoutMs, true).then((f) => f.message as VisitorMessage);
  }
}
