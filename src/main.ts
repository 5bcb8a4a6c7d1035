import { existsSync, readFileSync, writeFileSync, rmSync, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './platform/config.ts';
import type { Platform } from './platform/platform.ts';
import { ensureWebBuilt } from './web-build.ts';
import { isFreshDataDir } from './platform/pglite-template.ts';
import type { SeedResult } from './demo/seed-demo.ts';

const help = `candor — customer-experience platform

Usage: candor <command> [options]

Commands:
  start                         run the API, web app, realtime and workers (seeds the demo on first start)
  migrate                       apply database migrations
  seed [--json]                 create the demo workspace "fibrelink" if it does not exist (--json: print the result as JSON)
  create-workspace              --slug <slug> --name <name>   (an empty workspace)
  create-agent                  --workspace <slug> --email <e> --name <n> --role admin|supervisor|agent --password <p>
  create-api-key                --workspace <slug> --name <n> [--scopes a,b,…]   (prints the token once)
  export-workspace              --workspace <slug> [--out file.jsonl]   (every row of the workspace as JSON lines)
  portal-link                   --workspace <slug> --customer <email|phone>   (prints a one-time portal sign-in URL, valid 24 h)
  assistant-grant               --workspace <slug> --customer <email> --scopes a,b [--expires-days N] [--name n]   (prints the grant's token last)
  assistant-revoke              --workspace <slug> --token <cag_…>   (revokes an assistant grant at once)
  reasons train                 --csv <file> --out <model>   (train a contact-reason model from a labelled CSV; no database)
  reasons eval                  --model <model> --csv <file> [--json]   (accuracy, macro-F1, worst classes)

Environment: PORT (4000), CANDOR_DATA_DIR (./.candor), DATABASE_URL (PostgreSQL 15+; PGlite in the data dir when unset),
             CANDOR_NO_DEMO=1 (start without seeding), LOG_LEVEL (info),
             CANDOR_SMTP_PORT (2525: the email channel's SMTP listener), CANDOR_ATTACHMENT_MAX_BYTES (26214400),
             CANDOR_PUBLIC_URL (https: Secure cookies and HSTS), CANDOR_TRUSTED_PROXIES (CIDRs whose X-Forwarded-For is believed; set it behind a proxy)`;

const pidFile = (c: Config) => join(c.dataDir, 'candor.pid');

/**
 * The platform and workspace modules, imported when a command first needs them rather than
 * statically: a first `start` spawns its seeding child before it spends a second loading them.
 */
const core = async () => {
  const [platform, logger, ctx, workspaces] = await Promise.all([
    import('./platform/platform.ts'), import('./platform/logger.ts'), import('./platform/ctx.ts'), import('./domains/workspaces/index.ts')]);
  return { ...platform, ...logger, ...ctx, ...workspaces };
};

/** PGlite has one owner: refuse to open a data dir a running server holds. */
function assertDataDirFree(c: Config) {
  if (c.databaseUrl || !existsSync(pidFile(c))) return;
  const pid = Number(readFileSync(pidFile(c), 'utf8'));
  try {
    process.kill(pid, 0);
    if (pid !== process.pid) throw new Error(`Candor (pid ${pid}) is running on ${c.dataDir}; stop it first, or use DATABASE_URL for a shared PostgreSQL server`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

async function withPlatform<T>(config: Config, fn: (app: Platform) => Promise<T>): Promise<T> {
  assertDataDirFree(config);
  const { createPlatform, createLogger } = await core();
  const app = await createPlatform({ config, log: createLogger(process.env.LOG_LEVEL ?? 'warn') });
  try { return await fn(app); } finally { await app.close(); }
}

async function workspaceCtx(app: Platform, slug: string | undefined) {
  if (!slug) throw new Error('--workspace <slug> is required');
  const { findWorkspaceBySlug, systemCtx } = await core();
  const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug });
  if (!ws) throw new Error(`No workspace with slug ${slug}`);
  return systemCtx(app, ws.id, 'cli');
}

async function seed(app: Platform) {
  const { seedDemo } = await import('./demo/seed-demo.ts');
  return seedDemo(app);
}

/**
 * The first start on PGlite seeds the demo (~300k rows) in a child process (`candor seed --json`),
 * then opens the seeded data dir (~0.5 s). What the seed needed (its generated rows, the heaps that
 * grew while writing them) goes back to the system when the child exits, instead of staying in the
 * server's RSS for the rest of its life (ADR 0008).
 */
function seedInChildProcess(config: Config): Promise<SeedResult> {
  const bin = fileURLToPath(new URL('../bin/candor.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, bin, 'seed', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CANDOR_DATA_DIR: config.dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    });
    const killChild = () => child.kill();
    process.once('exit', killChild); // never leave it writing to the data dir after this process is gone
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('exit', killChild);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as SeedResult);
      else reject(new Error(`seeding the demo failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function start(config: Config) {
  const t0 = performance.now();
  assertDataDirFree(config);
  const withDemo = process.env.CANDOR_NO_DEMO !== '1';
  // A first start on PGlite seeds in a child process; this one loads its modules meanwhile.
  const seedChild = withDemo && !config.databaseUrl && isFreshDataDir(join(config.dataDir, 'pgdata')) ? seedInChildProcess(config) : null;
  seedChild?.catch(() => {}); // awaited below; this only keeps a failure while the modules load from going unhandled
  const { createPlatform, createLogger } = await core();
  const log = createLogger();
  const webBuild = ensureWebBuilt(log);
  const [{ startServer }, { ensureDemoEmailChannel }, { ensureDemoChatChannel }, { ensureDemoPortal }] = await Promise.all([
    import('./server.ts'), import('./channels/email/index.ts'), import('./channels/chat/index.ts'), import('./demo/portal-demo.ts')]);
  const seededDemo = seedChild ? await seedChild : null;
  const app = await createPlatform({ config, log });
  mkdirSync(config.dataDir, { recursive: true }); // on PostgreSQL nothing else creates it
  writeFileSync(pidFile(config), String(process.pid));
  const demo = !withDemo ? null : seededDemo ?? await seed(app);
  const demoChat = demo ? (await ensureDemoEmailChannel(app), await ensureDemoChatChannel(app)) : null;
  const demoCustomer = demo ? await ensureDemoPortal(app).catch((err) => { log.warn({ err }, 'demo portal setup failed'); return null; }) : null;
  await webBuild;
  const server = await startServer(app, config);
  const ms = Math.round(performance.now() - t0);
  const where = config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}${new URL(config.databaseUrl).pathname}` : `embedded PostgreSQL (PGlite) in ${join(config.dataDir, 'pgdata')}`;
  const lines = [
    '', `  Candor is running at ${server.url}  (ready in ${ms} ms)`, `  Data: ${where}`,
    `  API: ${server.url}/api/v1  ·  docs ${server.url}/api/v1/docs  ·  OpenAPI ${server.url}/api/v1/openapi.json`,
    `  SMTP: port ${server.smtpPort} takes mail for every active email channel's address${demo ? ' (demo: support@fibrelink.test)' : ''}`,
  ];
  if (demo) lines.push(`  Demo workspace "fibrelink" ${demo.created ? `seeded in ${demo.ms} ms` : 'already seeded'}; sign in with password "demo" as:`,
    '    admin@fibrelink.test · supervisor@fibrelink.test · agent@fibrelink.test');
  if (demoChat) lines.push(`  Web chat as a customer sees it: ${server.url}/widget-demo`);
  if (demoCustomer) lines.push(`  Customer portal: ${server.url}/portal  ·  try it as ${demoCustomer.email} (${demoCustomer.area}, where the internet is down now);`,
    '    the sign-in code lands in the workspace outbox (admins: GET /api/v1/outbox) and in this log. MCP for their assistant: POST /mcp');
  console.log(lines.join('\n') + '\n');
  log.info({ url: server.url, readyMs: ms }, 'candor started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests and jobs');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.close();
    await app.close();
    rmSync(pidFile(config), { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

export async function main(argv = process.argv.slice(2)) {
  try {
    await run(argv);
  } catch (err) {
    console.error(`candor: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

async function run(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest, allowPositionals: true, strict: false,
    options: { customer: { type: 'string' }, token: { type: 'string' }, 'expires-days': { type: 'string' }, workspace: { type: 'string' }, slug: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, scopes: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  });
  const v = values as Record<string, string | undefined>;
  const config = loadConfig();
  switch (command) {
    case 'start': return start(config);
    case 'migrate': return withPlatform(config, async () => console.log('migrations applied'));
    case 'seed': return withPlatform(config, async (app) => {
      const r = await seed(app);
      if (values.json === true) { console.log(JSON.stringify(r)); return; }
      console.log(r.created ? `demo workspace seeded in ${r.ms} ms: ${JSON.stringify(r.counts)}` : 'demo workspace already exists; nothing changed');
    });
    case 'create-workspace': return withPlatform(config, async (app) => {
      const { createWorkspace, systemCtx } = await core();
      const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug: v.slug ?? '', name: v.name ?? v.slug ?? '' } });
      console.log(JSON.stringify({ id: ws.id, slug: ws.slug, name: ws.name }));
    });
    case 'create-agent': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      const { createAgent } = await core();
      const a = await createAgent({ ctx, input: { email: v.email ?? '', name: v.name ?? v.email ?? '', role: (v.role ?? 'agent') as any, password: v.password } });
      console.log(JSON.stringify(a));
    });
    case 'create-api-key': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      const { createApiKey } = await core();
      const k = await createApiKey({ ctx, input: { name: v.name ?? 'cli', scopes: (v.scopes ?? '*').split(',') } });
      console.log(`API key ${k.id} (${k.scopes.join(',')}). Token, shown once:\n${k.token}`);
    });
    case 'export-workspace': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      const { exportWorkspace } = await core();
      const out: NodeJS.WritableStream = v.out ? createWriteStream(v.out) : process.stdout;
      let n = 0;
      for await (const line of exportWorkspace({ ctx })) { if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r())); n++; }
      if (v.out) { await new Promise((r) => (out as any).end(r)); console.error(`${n} rows written to ${v.out}`); }
    });
    case 'portal-link': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      if (!v.customer) throw new Error('--customer <email|phone> is required');
      const { createSignInLink } = await import('./domains/portal/index.ts');
      const link = await createSignInLink({ ctx, input: { customer: v.customer, slug: v.workspace! } });
      console.log(`One-time portal sign-in for customer ${link.customerId}, valid until ${link.expiresAt}:\n${link.url}`);
    });
    case 'assistant-grant': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      if (!v.customer) throw new Error('--customer <email|phone> is required');
      const { createAssistantGrant, customerByAddress, signInAddress, assertKnownScopes } = await import('./domains/portal/index.ts');
      const customerId = await customerByAddress(ctx, signInAddress(v.customer));
      if (!customerId) throw new Error(`No customer ${v.customer} in ${v.workspace}`);
      const scopes = (v.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      assertKnownScopes(scopes);
      const g = await createAssistantGrant({ ctx, customerId, input: { name: v.name ?? 'CLI grant', scopes, expiresInDays: v['expires-days'] ? Number(v['expires-days']) : 30 } });
      console.log(`Assistant grant ${g.id} for ${v.customer} (${g.scopes.join(',')}), expires ${g.expiresAt}. Token, shown once:\n${g.token}`);
    });
    case 'assistant-revoke': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      if (!v.token) throw new Error('--token <cag_…> is required');
      const { revokeAssistantGrantByToken } = await import('./domains/portal/index.ts');
      const g = await revokeAssistantGrantByToken({ ctx, token: v.token });
      console.log(`Assistant grant ${g.id} ("${g.name}") revoked at ${g.revokedAt}`);
    });
    case 'reasons': { process.exitCode = await (await import('./cli/reasons.ts')).reasonsCommand(rest); return; }
    case undefined: case 'help': case '--help': case '-h':
      console.log(help); return;
    default:
      console.error(`Unknown command ${command}\n\n${help}`);
      process.exitCode = 2;
  }
}
