import { spawn, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../bin/candor.mjs', import.meta.url));

/** Environment every spawned Candor process gets: quiet logs, no per-key rate limit, no web build. */
export const candorEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', CANDOR_RATE_PER_SECOND: '1e9', CANDOR_RATE_BURST: '1e9', CANDOR_SKIP_WEB_BUILD: '1', ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

export type CandorProcess = { child: ChildProcess; url: string; output: () => string; stop(): Promise<void> };

/** `node bin/candor.mjs start` (what `npm start` runs) on a free port; resolves once spawned, not ready. */
export function spawnCandor(port: number, env: Record<string, string>): CandorProcess {
  const child = spawn(process.execPath, [cli, 'start'], { cwd: root, env: candorEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-20_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child, url: `http://127.0.0.1:${port}`, output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Polls GET /readyz until 200; throws with the process output if it exits or times out first. */
export async function waitReady(p: CandorProcess, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (p.child.exitCode !== null) throw new Error(`candor exited with ${p.child.exitCode}: ${p.output().slice(-1500)}`);
    try {
      const r = await fetch(`${p.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`candor not ready after ${timeoutMs} ms: ${p.output().slice(-1500)}`);
}

/** `node bin/candor.mjs <args>` to completion; returns stdout, throws on a non-zero exit. */
export async function runCli(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: candorEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`candor ${args[0]} exited with ${code}: ${(err || out).slice(-1500)}`);
  return out;
}

/** Resident memory of a process in MB (VmRSS from /proc/<pid>/status). */
export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/**
 * Runs a bench/clients/<name>.ts load generator in its own Node process (so it does not take the
 * event loop of the server it measures) and returns the one result it sends back.
 */
export function runClient<T>(name: string, args: unknown, onProgress?: (msg: string) => void): Promise<T> {
  const file = fileURLToPath(new URL(`./clients/${name}.ts`, import.meta.url));
  const child = fork(file, [JSON.stringify(args)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    child.on('message', (m: { progress?: string; result?: T; error?: string }) => {
      if (m.progress) onProgress?.(m.progress);
      if (m.error) reject(new Error(m.error));
      if (m.result !== undefined) result = m.result;
    });
    child.once('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`client ${name} exited with ${code} and no result`))));
  });
}
