import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshPostgresDatabase } from '../support/platform.ts';
import { startRelay, eventually } from '../support/smtp-relay.ts';
import { newWorkspace } from '../support/workspace.ts';
import { createPlatform } from '../../src/platform/platform.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createChannel } from '../../src/domains/channels/index.ts';
import { postMessage } from '../../src/domains/conversations/index.ts';
import { VisitorClient, type VisitorFrame } from '../../src/channels/chat/visitor-client.ts';
import type { VisitorMessage } from '../../src/domains/conversations/index.ts';
import { startServer } from '../../src/server.ts';

let relay: Awaited<ReturnType<typeof startRelay>>;
const clients: { close(): Promise<void> }[] = [];
const uid = () => Math.random().toString(36).slice(2, 10);
const ackOf = (f: VisitorFrame) => { expect(f.type, JSON.stringify(f)).toBe('ack'); return f.message as VisitorMessage; };
beforeAll(async () => { relay = await startRelay(); });
afterAll(async () => { await Promise.all(clients.map((c) => c.close())); await relay.close(); });

describe('web chat: across nodes (PostgreSQL)', () => {
  it('delivers a reply sent by one node to a visitor connected to another, and emails nobody', async () => {
    const url = (await freshPostgresDatabase())!;
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const [one, two] = [await createPlatform({ open: { url, poolSize: 4 }, log, migrate: false }), await createPlatform({ open: { url, poolSize: 4 }, log, migrate: false })];
    const [s1, s2] = [await startServer(one, { port: 0, host: '127.0.0.1', secureCookies: false }), await startServer(two, { port: 0, host: '127.0.0.1', secureCookies: false })];
    try {
      await two.jobs.stop(); // the reply's delivery job runs on node one, which holds no visitor socket
      const t = await newWorkspace(one, 'Nodes');
      const ch = await createChannel({ ctx: t.adminCtx, input: { kind: 'chat', name: 'site', config: {} } });
      await createChannel({ ctx: t.adminCtx, input: { kind: 'email', name: 'support', config: { address: `nodes-${t.slug}@fibrelink.test`, smtpHost: '127.0.0.1', smtpPort: relay.port } } });
      const email = `online.${uid()}@example.test`;
      const c = await VisitorClient.connect(s2.url, { workspace: t.ws.id, channel: ch.id });
      clients.push(c);
      expect((await c.hello({ email })).type).toBe('welcome');
      const first = ackOf(await c.say('hello from node two'));
      const mailsBefore = relay.mails.length;
      const reply = await postMessage({ ctx: t.agentCtx, conversationId: first.conversationId, input: { bodyText: 'answered on node one' } });
      expect((await c.nextMessage((m) => m.id === reply.id)).text).toBe('answered on node one');
      const status = async () => (await one.database.query<{ s: string }>('select delivery_status as s from messages where workspace_id = $1 and id = $2', [t.ws.id, reply.id]))[0].s;
      expect(await eventually(status, (s) => s === 'delivered')).toBe('delivered');
      await eventually(async () => (await one.database.query<{ n: number }>("select count(*)::int as n from jobs where workspace_id = $1 and status = 'done'", [t.ws.id]))[0].n, (n) => n >= 1);
      expect(await status()).toBe('delivered');
      expect(relay.mails.slice(mailsBefore).filter((m) => m.to.includes(email))).toEqual([]);
      await c.close();
    } finally {
      await s1.close(); await s2.close();
      await one.close(); await two.close();
    }
  });
});
