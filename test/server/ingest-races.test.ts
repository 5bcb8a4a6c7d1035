import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { freshPostgresDatabase } from '../support/platform.ts';
import { createPlatform, type Platform } from '../../src/platform/platform.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { systemCtx, withTransaction } from '../../src/platform/ctx.ts';
import { createWorkspace } from '../../src/domains/workspaces/index.ts';
import { ingestBatch, receiveMessage } from '../../src/domains/conversations/index.ts';
import type { Inbound, IngestOutcome } from '../../src/domains/conversations/ingest-batch.ts';

// Only collected when DATABASE_URL names a PostgreSQL server (vitest.config.ts): two transactions
// race, and the race is made certain by holding one open until the other waits on it.

let app: Platform;
beforeAll(async () => {
  const url = await freshPostgresDatabase();
  if (!url) throw new Error('test/server needs DATABASE_URL (PostgreSQL)');
  app = await createPlatform({ open: { url, poolSize: 4 }, log: createLogger('silent'), migrate: false });
});
afterAll(async () => { await app?.close(); });

/** Resolves once another session of this database waits on a lock. */
async function someoneWaitsOnALock() {
  for (let i = 0; i < 1000; i++) {
    const [r] = await app.database.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    if (r.n > 0) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error('no session waited on a lock within 5 s');
}

describe('ingest racing itself on PostgreSQL', () => {
  it('answers a redelivery that raced its original with the original, and leaves no empty thread', async () => {
    const ws = await createWorkspace({ ctx: systemCtx(app, ''), input: { slug: `race-${randomBytes(4).toString('hex')}`, name: 'Race' } });
    const ctx = systemCtx(app, ws.id, 'test');
    await receiveMessage({ ctx, input: { channel: 'whatsapp', from: { kind: 'whatsapp', value: '31644444444' }, bodyText: 'first' } });
    const item = { channel: 'whatsapp', from: { kind: 'whatsapp', value: '31644444444' }, identity: '31644444444', bodyText: 'again',
      externalId: 'wamid.race', at: new Date(), newConversation: true } as Inbound;
    let redelivery!: Promise<IngestOutcome[]>;
    const original = await withTransaction(ctx, async (tx) => {
      const out = await ingestBatch(tx, [item]);
      // Its lookup cannot see the original, not yet committed; its insert waits on the original's row.
      redelivery = ingestBatch(ctx, [{ ...item }]);
      await someoneWaitsOnALock();
      return out;
    });
    const [again] = await redelivery;
    expect(original[0].duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, conversation: null });
    expect(again.message.id).toBe(original[0].message.id);
    const threads = await app.database.query<{ id: string; message_count: number }>(
      'select id, message_count from conversations where workspace_id = $1 order by number', [ws.id]);
    expect(threads.map((t) => t.message_count)).toEqual([1, 1]);
    expect(threads[1].id).toBe(original[0].message.conversationId);
  });
});
