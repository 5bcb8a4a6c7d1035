import type { Ctx } from '../../platform/ctx.ts';

type Waiter<I, O> = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
type Lane<I, O> = { ctx: Ctx; waiting: Waiter<I, O>[]; running: number; gathering: boolean };

const retryable = (err: unknown) => ['40P01', '40001'].includes((err as { code?: string })?.code ?? '');

/**
 * Group commit: calls that arrive while a batch is being written wait and go together in the next
 * one, so a burst of N messages costs a few transactions instead of N. Lanes are per workspace and
 * actor (one transaction has one ctx). A batch that fails is split and retried one by one, so one
 * bad item fails only its own caller; deadlocks between concurrent batches are retried.
 */
export class GroupCommit<I, O> {
  private lanes = new Map<string, Lane<I, O>>();
  /**
   * `gatherMs`: how long a free lane waits for more calls before it writes. PGlite runs queries on
   * this thread, so no request is read while a batch is written: without a short pause between
   * batches, every batch would hold one message. On a PostgreSQL server the thread is free while a
   * batch is in flight and calls queue up on their own (0: no pause).
   */
  constructor(private readonly run: (ctx: Ctx, items: I[]) => Promise<O[]>, private readonly opts: { maxBatch: number; concurrency: number; gatherMs?: number }) {}

  submit(ctx: Ctx, item: I): Promise<O> {
    const k = `${ctx.workspaceId}|${ctx.actor.type}:${ctx.actor.id}`;
    let lane = this.lanes.get(k);
    if (!lane) { lane = { ctx, waiting: [], running: 0, gathering: false }; this.lanes.set(k, lane); }
    return new Promise<O>((resolve, reject) => {
      lane!.waiting.push({ item, resolve, reject });
      this.pump(k, lane!);
    });
  }

  private pump(k: string, lane: Lane<I, O>): void {
    if (this.opts.gatherMs && lane.running < this.opts.concurrency && lane.waiting.length < this.opts.maxBatch) {
      if (!lane.gathering) {
        lane.gathering = true;
        setTimeout(() => { lane.gathering = false; this.write(k, lane); }, this.opts.gatherMs);
      }
      return;
    }
    this.write(k, lane);
  }

  private write(k: string, lane: Lane<I, O>): void {
    while (lane.running < this.opts.concurrency && lane.waiting.length) {
      const batch = lane.waiting.splice(0, this.opts.maxBatch);
      lane.running++;
      void this.flush(lane.ctx, batch).finally(() => {
        lane.running--;
        if (lane.waiting.length) this.pump(k, lane);
        else if (!lane.running) this.lanes.delete(k);
      });
    }
  }

  private async flush(ctx: Ctx, batch: Waiter<I, O>[], attempt = 0): Promise<void> {
    try {
      const results = await this.run(ctx, batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (err) {
      if (retryable(err) && attempt < 5) return this.flush(ctx, batch, attempt + 1);
      if (batch.length === 1) return batch[0].reject(err);
      for (const w of batch) await this.flush(ctx, [w], attempt);
    }
  }
}
