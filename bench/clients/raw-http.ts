// HTTP/1.1 keep-alive on raw sockets for the load generators (like wrk): one write per request,
// responses framed by Content-Length. Node's http client costs about as much CPU per request as
// the server being measured, on the same two cores; this costs a fraction of it.
import net from 'node:net';

export type RawResponse = { status: number; body: Buffer };
type Waiter = { resolve(r: RawResponse): void; reject(e: Error): void };

/** One keep-alive connection carrying one request at a time. */
export class RawConnection {
  private chunks: Buffer[] = [];
  private received = 0;
  private head: { status: number; headerBytes: number; length: number } | null = null;
  private waiter: Waiter | null = null;
  /** Closed by either side: a send fails at once instead of waiting for an answer that cannot come. */
  closed = false;

  private constructor(private readonly socket: net.Socket, private readonly host: string) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => { this.closed = true; this.fail(new Error('connection closed by the server')); });
  }

  static open(url: string): Promise<RawConnection> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(u.port || 80), u.hostname);
      socket.once('error', reject);
      socket.once('connect', () => { socket.off('error', reject); resolve(new RawConnection(socket, u.host)); });
    });
  }

  send(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawResponse> {
    if (this.closed) return Promise.reject(new Error('connection closed by the server'));
    if (this.waiter) return Promise.reject(new Error('one request at a time per connection'));
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    if (body !== undefined) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    head += '\r\n';
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(body === undefined ? head : Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body) : body]));
    });
  }

  close(): void {
    this.waiter = null;
    this.closed = true;
    this.socket.destroy();
  }

  private onData(d: Buffer) {
    this.chunks.push(d);
    this.received += d.length;
    if (!this.head) {
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [all];
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = all.toString('latin1', 0, end);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      if (!length) return this.fail(new Error(`response without Content-Length: ${text.slice(0, 200)}`));
      this.head = { status: Number(text.slice(9, 12)), headerBytes: end + 4, length: Number(length[1]) };
    }
    const total = this.head.headerBytes + this.head.length;
    if (this.received < total) return;
    if (this.received > total) return this.fail(new Error('more bytes than one response'));
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, total);
    const r: RawResponse = { status: this.head.status, body: all.subarray(this.head.headerBytes) };
    this.chunks = []; this.received = 0; this.head = null;
    const w = this.waiter; this.waiter = null;
    w?.resolve(r);
  }

  private fail(e: Error) {
    const w = this.waiter; this.waiter = null;
    w?.reject(e);
  }
}

/** Up to `size` keep-alive connections; a request waits for a free one (opened on demand). */
export class RawPool {
  private idle: RawConnection[] = [];
  private open = 0;
  private queue: ((c: RawConnection) => void)[] = [];

  constructor(private readonly url: string, private readonly size: number) {}

  async send(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawResponse> {
    const c = await this.acquire();
    try {
      const r = await c.send(method, path, headers, body);
      this.release(c);
      return r;
    } catch (err) {
      c.close(); this.open--;
      throw err;
    }
  }

  close(): void { for (const c of this.idle) c.close(); this.idle = []; }

  private async acquire(): Promise<RawConnection> {
    let c = this.idle.pop();
    while (c?.closed) { this.open--; c = this.idle.pop(); } // the server closed it while idle (keep-alive timeout)
    if (c) return c;
    if (this.open < this.size) { this.open++; return RawConnection.open(this.url).catch((e) => { this.open--; throw e; }); }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(c: RawConnection) {
    const next = this.queue.shift();
    if (next) next(c); else this.idle.push(c);
  }
}
