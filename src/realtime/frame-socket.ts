import { WebSocket } from 'ws';

/** A failed handshake: the HTTP status and error body the server answered instead of 101. */
export class UpgradeRejected extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`WebSocket upgrade rejected with ${status}: ${body}`);
  }
}

/**
 * Opens a websocket and wraps it, in the 'open' handler itself so that no frame can arrive before
 * the wrapper listens; rejects with UpgradeRejected (status and body) on anything but 101.
 */
export function openSocket<C>(url: URL, headers: Record<string, string>, wrap: (ws: WebSocket) => C): Promise<C> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(wrap(ws)));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c; });
      res.on('end', () => { reject(new UpgradeRejected(res.statusCode ?? 0, body)); req.destroy(); });
    });
    ws.on('error', (err) => reject(err));
  });
}

/**
 * The part the Node clients (realtime gateway, chat visitor) share: every JSON frame received,
 * in order, and waiting for the one that matches.
 */
export class FrameSocket<F> {
  /** Every frame received, in order. */
  readonly frames: F[] = [];
  closed?: { code: number; reason: string };
  private waiters: { match: (f: F) => boolean; resolve: (f: F) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  protected constructor(readonly ws: WebSocket, private readonly label: string) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as F;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => !(w.match(f) && (w.resolve(f), true)));
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: reason.toString() }; for (const w of this.closeWaiters.splice(0)) w(); });
  }

  /** The first frame from now on (or already received, with `fromStart`) that matches; rejects after timeoutMs. */
  next(match: (f: F) => boolean, timeoutMs = 5000, fromStart = false): Promise<F> {
    if (fromStart) {
      const seen = this.frames.find(match);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching ${this.label} frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const waiter = { match, resolve: (f: F) => { clearTimeout(timer); resolve(f); } };
      this.waiters.push(waiter);
    });
  }

  /** Resolves when the server closed the socket (or it was closed already). */
  whenClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs);
      this.closeWaiters.push(() => { clearTimeout(timer); resolve(this.closed!); });
    });
  }

  /** Closes and waits for the close handshake. */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => { this.ws.once('close', () => resolve()); this.ws.close(1000); });
  }
}
