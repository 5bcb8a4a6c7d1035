import { and, eq, sql } from 'drizzle-orm';
import { jobs } from '../db/schema/index.ts';
import { newId } from './ids.ts';
import { afterCommit, systemCtx, type Ctx } from './ctx.ts';
import type { Platform } from './platform.ts';

export type Job = typeof jobs.$inferSelect;
export type JobHandler = (job: Job, ctx: Ctx) => Promise<void>;

/** Exponential backoff with a ceiling: 2s, 4s, 8s … up to 10 minutes. */
export const backoffMs = (attempt: number) => Math.min(600_000, 1000 * 2 ** attempt);

/**
 * Puts work on the durable queue in the caller's transaction (the outbox): the job exists
 * exactly when the decision that made it was committed.
 */
export async function enqueueJob(ctx: Ctx, input: { queue: string; payload: Record<string, unknown>; runAt?: Date; maxAttempts?: number }): Promise<string> {
  const id = newId();
  await ctx.db.insert(jobs).values({
    workspaceId: ctx.workspaceId, id, queue: input.queue, payload: input.payload,
    runAt: input.runAt ?? new Date(), maxAttempts: input.maxAttempts ?? 5,
  });
  afterCommit(ctx, () => ctx.app.jobs.kick());
  return id;
}

/** Claims ready jobs with SKIP LOCKED so any number of worker nodes share one queue. */
export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopping = false;
  private active?: Promise<unknown>;
  private again = false;

  constructor(private readonly app: Platform, private readonly opts = { pollMs: 1000, batch: 20, lockMs: 60_000 }) {}

  register(queue: string, handler: JobHandler): void { this.handlers.set(queue, handler); }

  start(): void {
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Ask for a pass now (called after a commit that enqueued work). */
  kick(): void {
    if (this.stopping || !this.timer) return;
    if (this.running) { this.again = true; return; }
    this.active = this.drain().then(() => undefined);
  }

  /** Runs ready jobs until none are left; returns how many ran. Tests call it directly. */
  async drain(): Promise<number> {
    this.running = true;
    let total = 0;
    try {
      do {
        this.again = false;
        const claimed = await this.claim();
        total += claimed.length;
        for (const job of claimed) await this.run(job);
        if (claimed.length === this.opts.batch) this.again = true;
      } while (this.again && !this.stopping);
    } catch (err) {
      this.app.log.error({ err }, 'job runner pass failed');
    } finally {
      this.running = false;
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.active;
  }

  private async claim(): Promise<Job[]> {
    const queues = [...this.handlers.keys()];
    if (!queues.length) return [];
    const rows = await this.app.database.query<Record<string, any>>(
      `update jobs set status = 'running', attempts = attempts + 1, locked_until = now() + ($2 || ' milliseconds')::interval
       where (workspace_id, id) in (
         select workspace_id, id from jobs
         where queue = any($1) and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
         order by run_at limit $3 for update skip locked)
       returning *`,
      [queues, String(this.opts.lockMs), this.opts.batch],
    );
    return rows.map((r) => ({
      workspaceId: r.workspace_id, id: r.id, queue: r.queue, payload: r.payload, status: r.status,
      attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at, lockedUntil: r.locked_until,
      lastError: r.last_error, createdAt: r.created_at, finishedAt: r.finished_at,
    }));
  }

  private async run(job: Job): Promise<void> {
    const where = and(eq(jobs.workspaceId, job.workspaceId), eq(jobs.id, job.id));
    try {
      await this.handlers.get(job.queue)!(job, systemCtx(this.app, job.workspaceId, `job:${job.queue}`));
      await this.app.db.update(jobs).set({ status: 'done', finishedAt: new Date(), lockedUntil: null }).where(where);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const dead = job.attempts >= job.maxAttempts;
      this.app.log.warn({ job: job.id, queue: job.queue, attempts: job.attempts, dead, err: message }, 'job failed');
      await this.app.db.update(jobs).set({
        status: dead ? 'dead' : 'queued',
        lastError: message.slice(0, 2000),
        lockedUntil: null,
        runAt: dead ? job.runAt : new Date(Date.now() + backoffMs(job.attempts)),
        finishedAt: dead ? new Date() : null,
      }).where(where);
    }
  }
}

/** Dead jobs a person should look at. */
export async function listDeadJobs(ctx: Ctx): Promise<Job[]> {
  return ctx.db.select().from(jobs).where(and(eq(jobs.workspaceId, ctx.workspaceId), eq(jobs.status, 'dead'))).orderBy(sql`finished_at desc`).limit(100);
}

/** Put a dead job back on the queue. */
export async function retryJob(ctx: Ctx, id: string): Promise<boolean> {
  const rows = await ctx.db.update(jobs).set({ status: 'queued', runAt: new Date(), attempts: 0, finishedAt: null })
    .where(and(eq(jobs.workspaceId, ctx.workspaceId), eq(jobs.id, id), eq(jobs.status, 'dead'))).returning({ id: jobs.id });
  if (rows.length) ctx.app.jobs.kick();
  return rows.length > 0;
}
