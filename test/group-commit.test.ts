import { describe, it, expect } from 'vitest';
import { GroupCommit } from '../src/domains/conversations/group-commit.ts';
import type { Ctx } from '../src/platform/ctx.ts';

// The batching itself, without a database: what goes into one write, and what a failure costs.
const ctx = (workspaceId: string) => ({ workspaceId, actor: { type: 'system', id: 'test' } }) as unknown as Ctx;
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('writes the calls of one event-loop turn together, and those that arrive while a batch is in flight together in the next', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const g = new GroupCommit<number, number>(async (_c, items) => { batches.push(items); if (batches.length === 1) await gate; return items.map((i) => i * 10); }, { maxBatch: 100, concurrency: 1 });
    // Not the first call alone: it would hold the only slot while the others of its turn wait.
    const first = [1, 2].map((i) => g.submit(ctx('a'), i));
    await nextTurn();
    expect(batches).toEqual([[1, 2]]);
    const rest = [3, 4, 5].map((i) => g.submit(ctx('a'), i));
    await nextTurn();
    expect(batches).toEqual([[1, 2]]);
    release();
    expect(await Promise.all([...first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('with a gather window, collects calls that arrive on later event-loop turns into one batch (PGlite)', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>(async (_c, items) => { batches.push(items); return items; }, { maxBatch: 100, concurrency: 1, gatherMs: 20 });
    const calls: Promise<number>[] = [];
    for (let i = 0; i < 5; i++) { calls.push(g.submit(ctx('a'), i)); await nextTurn(); }
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4]);
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('keeps workspaces in separate batches and caps a batch at maxBatch', async () => {
    const batches: string[][] = [];
    const g = new GroupCommit<string, string>(async (c, items) => { batches.push(items.map((i) => `${c.workspaceId}:${i}`)); return items; }, { maxBatch: 2, concurrency: 1, gatherMs: 5 });
    await Promise.all(['x', 'y', 'z'].flatMap((i) => [g.submit(ctx('a'), i), g.submit(ctx('b'), i)]));
    expect(batches.filter((b) => b[0].startsWith('a:'))).toEqual([['a:x', 'a:y'], ['a:z']]);
    expect(batches.filter((b) => b[0].startsWith('b:'))).toEqual([['b:x', 'b:y'], ['b:z']]);
  });

  it('fails only the call whose item is bad: the batch is retried one by one', async () => {
    const g = new GroupCommit<number, number>(async (_c, items) => { if (items.includes(13)) throw new Error('bad item 13'); return items; }, { maxBatch: 100, concurrency: 1, gatherMs: 5 });
    const results = await Promise.allSettled([12, 13, 14].map((i) => g.submit(ctx('a'), i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad item 13');
  });
});

describe('group commit of calls with several items', () => {
  it('never splits one call\'s items across batches, and answers each call with its own results in order', async () => {
    const batches: string[][] = [];
    const g = new GroupCommit<string, string>(async (_c, items) => { batches.push(items); return items.map((i) => i.toUpperCase()); }, { maxBatch: 3, concurrency: 1, gatherMs: 5 });
    const [one, two, three] = await Promise.all([g.submitAll(ctx('a'), ['a1', 'a2']), g.submitAll(ctx('a'), ['b1', 'b2']), g.submit(ctx('a'), 'c1')]);
    expect([one, two, three]).toEqual([['A1', 'A2'], ['B1', 'B2'], 'C1']);
    // a1,a2 fit; b1,b2 would make 4 > 3: next batch, with c1.
    expect(batches).toEqual([['a1', 'a2'], ['b1', 'b2', 'c1']]);
  });

  it('writes a call larger than maxBatch whole, in one batch of its own', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>(async (_c, items) => { batches.push(items); return items; }, { maxBatch: 2, concurrency: 1 });
    expect(await g.submitAll(ctx('a'), [1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('fails a whole call when one of its items is bad, and nobody else\'s', async () => {
    const g = new GroupCommit<number, number>(async (_c, items) => { if (items.includes(13)) throw new Error('bad item 13'); return items; }, { maxBatch: 100, concurrency: 1, gatherMs: 5 });
    const [webhook, other] = await Promise.allSettled([g.submitAll(ctx('a'), [12, 13]), g.submit(ctx('a'), 14)]);
    expect(webhook.status).toBe('rejected');
    expect(other).toEqual({ status: 'fulfilled', value: 14 });
  });
});
