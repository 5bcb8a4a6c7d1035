import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database, type Db, type OpenOptions } from './db.ts';
import { EventBus } from './events.ts';
import { JobRunner } from './jobs.ts';
import { createLogger, type Logger } from './logger.ts';
import { newId } from './ids.ts';
import type { Config } from './config.ts';

/** The running process's shared parts. One per process; verbs reach it through ctx.app. */
export interface Platform {
  nodeId: string;
  database: Database;
  db: Db;
  bus: EventBus;
  jobs: JobRunner;
  log: Logger;
  close(): Promise<void>;
}

export async function createPlatform(opts: { config?: Pick<Config, 'dataDir' | 'databaseUrl'>; open?: OpenOptions; log?: Logger; migrate?: boolean }): Promise<Platform> {
  const log = opts.log ?? createLogger();
  let open = opts.open;
  if (!open) {
    const c = opts.config!;
    if (!c.databaseUrl) mkdirSync(c.dataDir, { recursive: true });
    open = c.databaseUrl ? { url: c.databaseUrl } : { dataDir: join(c.dataDir, 'pgdata'), fromTemplate: true };
  }
  const database = await openDatabase(open);
  if (opts.migrate !== false) await database.migrate();
  const nodeId = newId();
  const bus = new EventBus(nodeId, log);
  await bus.connect(database);
  const app = { nodeId, database, db: database.db, bus, log } as Platform;
  app.jobs = new JobRunner(app);
  app.close = async () => {
    await app.jobs.stop();
    await bus.close();
    await database.close();
  };
  return app;
}
