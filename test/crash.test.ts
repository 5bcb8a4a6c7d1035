import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startNode } from './support/process.ts';
import { freshPostgresDatabase } from './support/platform.ts';

/**
 * Kill -9 a node while inbound messages stream in: every message that was answered 2xx must be
 * there after a restart (commit before acknowledging), on PGlite and on PostgreSQL.
 */
describe('a crash mid-stream', () => {
  it('loses no acknowledged message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-crash-'));
    const url = await freshPostgresDatabase();
    const env = { CANDOR_DATA_DIR: dataDir, DATABASE_URL: url };
    try {
      expect((await runCli(['create-workspace', '--slug', 'crash', '--name', 'Crash'], env)).code).toBe(0);
      const key = await runCli(['create-api-key', '--workspace', 'crash', '--name', 'ingest', '--scopes', 'messages:ingest,conversations:read'], env);
      const token = key.stdout.trim().split('\n').pop()!;
      expect(token).toMatch(/^cnd_/);

      let node = await startNode(env);
      const acked: { conversationId: string; messageId: string }[] = [];
      let sent = 0;
      let stop = false;
      const sender = async () => {
        while (!stop) {
          const n = sent++;
          try {
            const r = await fetch(`${node.url}/api/v1/messages/inbound`, {
              method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ channel: 'sms', from: { kind: 'phone', value: `+3162${String(n % 40).padStart(7, '0')}` }, bodyText: `message ${n}`, externalId: `crash-${n}` }),
            });
            if (r.status === 201) { const b = await r.json(); acked.push({ conversationId: b.conversation.id, messageId: b.message.id }); }
          } catch { return; } // the node is gone
        }
      };
      const senders = Array.from({ length: 12 }, sender);
      while (acked.length < 150) await new Promise((r) => setTimeout(r, 10));
      node.proc.kill('SIGKILL');
      stop = true;
      await Promise.all(senders);
      await node.exited;
      expect(acked.length).toBeGreaterThanOrEqual(150);

      node = await startNode(env);
      const byConv = new Map<string, Set<string>>();
      for (const a of acked) byConv.set(a.conversationId, (byConv.get(a.conversationId) ?? new Set()).add(a.messageId));
      let found = 0;
      for (const [conv, ids] of byConv) {
        let cursor: string | null = null;
        const stored = new Set<string>();
        do {
          const page: any = await (await fetch(`${node.url}/api/v1/conversations/${conv}/messages?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } })).json();
          page.data.forEach((m: any) => stored.add(m.id));
          cursor = page.nextCursor;
        } while (cursor);
        for (const id of ids) if (stored.has(id)) found++;
      }
      expect(found).toBe(acked.length);
      node.proc.kill('SIGTERM');
      expect(await node.exited).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
