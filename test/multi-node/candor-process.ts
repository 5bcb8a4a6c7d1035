import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** One real `candor start` process: what `npm start` runs, on its own port, against a shared database. */
export class CandorProcess {
  readonly url: string;
  readonly child: ChildProcess;
  private output = '';
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'candor-node-'));

  constructor(readonly name: string, port: number, env: Record<string, string>) {
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(process.execPath, ['bin/candor.mjs', 'start'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CANDOR_DATA_DIR: this.dataDir, CANDOR_NO_DEMO: '1', CANDOR_SMTP_PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => { this.output = (this.output + b.toString()).slice(-20_000); };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for /readyz to answer 200 (the first start may build the web app: allow for it). */
  async ready(timeoutMs = 90_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/readyz`)).status === 200) return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM, then waits for the process to exit (SIGKILL after timeoutMs, reported as such). */
  async stop(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    rmSync(this.dataDir, { recursive: true, force: true });
    return { ...result, output: this.output };
  }

  /** JSON over HTTP with an API key. */
  async post(path: string, token: string, json: unknown): Promise<{ status: number; body: any }> {
    return this.call('POST', path, token, json);
  }

  async call(method: string, path: string, token: string, json?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    return { status: res.status, body: await res.json() };
  }
}
