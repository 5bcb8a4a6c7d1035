import type { Ctx } from '../../platform/ctx.ts';

/** One caller's items: always written in one batch, together, in order. */
type Unit<I, O> = { items: I[]; resolve: (o: O[]) => void; reject: (e: unknown) => void };
type Lane<I, O> = { ctx: Ctx; waiting: Unit<I, O>[]; size: number; running: number; gathering: boolean };

const retryable = (err: unknown) => ['40P01', '40001'].includes((err as { code?: string })?.code ?? '');

/**
 * Group commit: calls that arrive while a batch is being written wait and go together in the next
 * one, so a burst of N messages costs a few transactions instead of N. Lanes are per workspace and
 * actor (one transaction has one ctx). A call may bring several items (a webhook carrying several
 * messages): they are never split across batches, so two messages of one new sender cannot race
 * each other in two concurrent transactions. A batch that fails is retried call by call, so a bad
 * item fails only its own caller; deadlocks between concurrent batches are retried.
 */
export class GroupCommit<I, O> {
  private lanes = new Map<string, Lane<I, O>>();
  /**
   * A free lane writes at the end of the current event-loop turn (setImmediate), so calls that
   * arrive together (the requests read in one poll, the callers a finished batch releases) go
   * together: written at once, the first of them would fill a transaction of its own and hold a
   * slot of `concurrency` while the rest wait (half the batches held one message).
   * `gatherMs`: wait this long instead. PGlite runs queries on this thread, so no request is read
   * while a batch is written: without a short pause between batches, every batch would hold one
   * message. On a PostgreSQL server the thread is free while a batch is in flight and calls queue
   * up on their own (0: the end of the turn).
   */
  constructor(private readonly run: (ctx: Ctx, items: I[]) => Promise<O[]>, private readonly opts: { maxBatch: number; concurrency: number; gatherMs?: number }) {}

  submit(ctx: Ctx, item: I): Promise<O> {
    return this.submitAll(ctx, [item]).then((o) => o[0]);
  }

  /** Several items of one caller, written in one batch (a batch may exceed maxBatch for one large call). */
  submitAll(ctx: Ctx, items: I[]): Promise<O[]> {
    if (!items.length) return Promise.resolve([]);
    const k = `${ctx.workspaceId}|${ctx.actor.type}:${ctx.actor.id}`;
    let lane = this.lanes.get(k);
    if (!lane) { lane = { ctx, waiting: [], size: 0, running: 0, gathering: false }; this.lanes.set(k, lane); }
    return new Promise<O[]>((resolve, reject) => {
      lane!.waiting.push({ items, resolve, reject });
      lane!.size += items.length;
      this.pump(k, lane!);
    });
  }

  private pump(k: string, lane: Lane<I, O>): void {
    if (lane.running < this.opts.concurrency && lane.size < this.opts.maxBatch) {
      if (!lane.gathering) {
        lane.gathering = true;
        const go = () => { lane.gathering = false; this.write(k, lane); };
        if (this.opts.gatherMs) setTimeout(go, this.opts.gatherMs);
        else setImmediate(go);
      }
      return;
    }
    this.write(k, lane);
  }

  private write(k: string, lane: Lane<I, O>): void {
    while (lane.running < this.opts.concurrency && lane.waiting.length) {
      // Whole calls, up to maxBatch items (at least one call, however large).
      let n = 0;
      let size = 0;
      while (n < lane.waiting.length && (n === 0 || size + lane.waiting[n].items.length <= this.opts.maxBatch)) size += lane.waiting[n++].items.length;
      const batch = lane.waiting.splice(0, n);
      lane.size -= size;
      lane.running++;
      void this.flush(lane.ctx, batch).finally(() => {
        lane.running--;
        if (lane.waiting.length) this.pump(k, lane);
        else if (!lane.running) this.lanes.delete(k);
      });
    }
  }

  private async flush(ctx: Ctx, batch: Unit<I, O>[], attempt = 0): Promise<void> {
    try {
      const results = await this.run(ctx, batch.flatMap((u) => u.items));
      let at = 0;
      for (const u of batch) { u.resolve(results.slice(at, at + u.items.length)); at += u.items.length; }
    } catch (err) {
      if (retryable(err) && attempt < 5) return this.flush(ctx, batch, attempt + 1);
      if (batch.length === 1) return batch[0].reject(err);
      for (const u of batch) await this.flush(ctx, [u], attempt);
    }
  }
}
