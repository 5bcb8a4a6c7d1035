import { existsSync, readFileSync, writeFileSync, rmSync, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './platform/config.ts';
import { createPlatform, type Platform } from './platform/platform.ts';
import { createLogger } from './platform/logger.ts';
import { systemCtx } from './platform/ctx.ts';
import { startServer } from './server.ts';
import { ensureDemoEmailChannel } from './channels/email/index.ts';
import { ensureDemoChatChannel } from './channels/chat/index.ts';
import { findWorkspaceBySlug, createWorkspace, createAgent, createApiKey, exportWorkspace } from './domains/workspaces/index.ts';
import { ensureWebBuilt } from './web-build.ts';

const help = `candor — customer-experience platform

Usage: candor <command> [options]

Commands:
  start                         run the API, web app, realtime and workers (seeds the demo on first start)
  migrate                       apply database migrations
  seed                          create the demo workspace "fibrelink" if it does not exist
  create-workspace              --slug <slug> --name <name>   (an empty workspace)
  create-agent                  --workspace <slug> --email <e> --name <n> --role admin|supervisor|agent --password <p>
  create-api-key                --workspace <slug> --name <n> [--scopes a,b,…]   (prints the token once)
  export-workspace              --workspace <slug> [--out file.jsonl]   (every row of the workspace as JSON lines)
  reasons train                 --csv <file> --out <model>   (train a contact-reason model from a labelled CSV; no database)
  reasons eval                  --model <model> --csv <file> [--json]   (accuracy, macro-F1, worst classes)

Environment: PORT (4000), CANDOR_DATA_DIR (./.candor), DATABASE_URL (PostgreSQL 15+; PGlite in the data dir when unset),
             CANDOR_NO_DEMO=1 (start without seeding), LOG_LEVEL (info),
             CANDOR_SMTP_PORT (2525: the email channel's SMTP listener), CANDOR_ATTACHMENT_MAX_BYTES (26214400)`;

const pidFile = (c: Config) => join(c.dataDir, 'candor.pid');

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
  const app = await createPlatform({ config, log: createLogger(process.env.LOG_LEVEL ?? 'warn') });
  try { return await fn(app); } finally { await app.close(); }
}

async function workspaceCtx(app: Platform, slug: string | undefined) {
  if (!slug) throw new Error('--workspace <slug> is required');
  const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug });
  if (!ws) throw new Error(`No workspace with slug ${slug}`);
  return systemCtx(app, ws.id, 'cli');
}

async function seed(app: Platform) {
  const { seedDemo } = await import('./demo/seed-demo.ts');
  return seedDemo(app);
}

async function start(config: Config) {
  const t0 = performance.now();
  assertDataDirFree(config);
  const log = createLogger();
  const webBuild = ensureWebBuilt(log);
  const app = await createPlatform({ config, log });
  mkdirSync(config.dataDir, { recursive: true }); // on PostgreSQL nothing else creates it
  writeFileSync(pidFile(config), String(process.pid));
  const demo = process.env.CANDOR_NO_DEMO === '1' ? null : await seed(app);
  const demoChat = demo ? (await ensureDemoEmailChannel(app), await ensureDemoChatChannel(app)) : null;
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
    options: { workspace: { type: 'string' }, slug: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' }, scopes: { type: 'string' }, out: { type: 'string' } },
  });
  const v = values as Record<string, string | undefined>;
  const config = loadConfig();
  switch (command) {
    case 'start': return start(config);
    case 'migrate': return withPlatform(config, async () => console.log('migrations applied'));
    case 'seed': return withPlatform(config, async (app) => {
      const r = await seed(app);
      console.log(r.created ? `demo workspace seeded in ${r.ms} ms: ${JSON.stringify(r.counts)}` : 'demo workspace already exists; nothing changed');
    });
    case 'create-workspace': return withPlatform(config, async (app) => {
      const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug: v.slug ?? '', name: v.name ?? v.slug ?? '' } });
      console.log(JSON.stringify({ id: ws.id, slug: ws.slug, name: ws.name }));
    });
    case 'create-agent': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      const a = await createAgent({ ctx, input: { email: v.email ?? '', name: v.name ?? v.email ?? '', role: (v.role ?? 'agent') as any, password: v.password } });
      console.log(JSON.stringify(a));
    });
    case 'create-api-key': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      const k = await createApiKey({ ctx, input: { name: v.name ?? 'cli', scopes: (v.scopes ?? '*').split(',') } });
      console.log(`API key ${k.id} (${k.scopes.join(',')}). Token, shown once:\n${k.token}`);
    });
    case 'export-workspace': return withPlatform(config, async (app) => {
      const ctx = await workspaceCtx(app, v.workspace);
      const out: NodeJS.WritableStream = v.out ? createWriteStream(v.out) : process.stdout;
      let n = 0;
      for await (const line of exportWorkspace({ ctx })) { if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r())); n++; }
      if (v.out) { await new Promise((r) => (out as any).end(r)); console.error(`${n} rows written to ${v.out}`); }
    });
    case 'reasons': { process.exitCode = await (await import('./cli/reasons.ts')).reasonsCommand(rest); return; }
    case undefined: case 'help': case '--help': case '-h':
      console.log(help); return;
    default:
      console.error(`Unknown command ${command}\n\n${help}`);
      process.exitCode = 2;
  }
}
