import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}/bin/candor.mjs`;
const baseEnv = () => ({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', CANDOR_SKIP_WEB_BUILD: '1' });
/** Child environments without the keys set to undefined (the parent's DATABASE_URL does not leak in). */
const envOf = (extra: Record<string, string | undefined>) => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...baseEnv(), ...extra })) if (v !== undefined) env[k] = v;
  if (!('DATABASE_URL' in extra) || extra.DATABASE_URL === undefined) delete env.DATABASE_URL;
  return env;
};

/** Runs a `candor` CLI command to completion. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: envOf(env) });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

export type CandorNode = { url: string; proc: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Starts `candor start` as its own process and waits until /readyz answers 200. */
export async function startNode(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<CandorNode> {
  const port = await freePort();
  const proc = spawn(process.execPath, [bin, 'start'], { cwd: root, env: envOf({ CANDOR_NO_DEMO: '1', PORT: String(port), HOST: '127.0.0.1', CANDOR_SMTP_PORT: '0', ...env }) });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`candor exited early (${proc.exitCode}):\n${out}`);
    try { if ((await fetch(`${url}/readyz`)).status === 200) return { url, proc, output: () => out, exited }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`candor did not become ready:\n${out}`);
}
