// Debian's swaks speaking to the built-in SMTP listener. Collected when `swaks` is on PATH
// (vitest.config.ts); .ci/run installs it, so CI always runs this file.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { testPlatform } from '../support/platform.ts';
import { newWorkspace, type TestWorkspace } from '../support/workspace.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { createChannel } from '../../src/domains/channels/index.ts';
import { listMessages } from '../../src/domains/conversations/index.ts';
import { startSmtpListener, type SmtpListener } from '../../src/channels/email/index.ts';

const run = promisify(execFile);
let app: Platform;
let a: TestWorkspace;
let b: TestWorkspace;
let listener: SmtpListener;
let address = '';

beforeAll(async () => {
  app = await testPlatform();
  a = await newWorkspace(app, 'A');
  b = await newWorkspace(app, 'B');
  address = `support-${a.slug}@fibrelink.test`;
  await createChannel({ ctx: a.adminCtx, input: { kind: 'email', name: 'support', config: { address } } });
  listener = await startSmtpListener(app, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await listener?.close();
});

const swaks = (from: string, to: string, subject: string, body: string) => run('swaks', ['--server', '127.0.0.1', '--port', String(listener.port),
  '--from', from, '--to', to, '--header', `Subject: ${subject}`, '--body', body, '--hide-informational'], { timeout: 20_000 });

describe('SMTP listener with swaks', () => {
  it('accepts a mail and files it as the sender\'s conversation, committed before 250', async () => {
    const from = `swaks-${randomBytes(4).toString('hex')}@example.test`;
    const { stdout } = await swaks(from, address, 'sent with swaks', 'Hello from swaks');
    expect(stdout).toMatch(/<- {2}250 2\.0\.0 Committed: accepted/);
    const rows = await app.database.query<{ conversation_id: string; id: string }>(
      `select m.conversation_id, m.id from messages m join customer_identities i on i.workspace_id = m.workspace_id and i.customer_id = m.customer_id
       where m.workspace_id = $1 and i.kind = 'email' and i.value = $2`, [a.ws.id, from]);
    expect(rows).toHaveLength(1);
    const page = await listMessages({ ctx: a.agentCtx, conversationId: rows[0].conversation_id, input: {} });
    expect(page.conversation.subject).toBe('sent with swaks');
    expect(page.data.map((m) => m.bodyText.trim())).toEqual(['Hello from swaks']);
    expect(page.data[0].channel).toBe('email');
  });

  it('refuses a recipient no workspace owns, and stores nothing', async () => {
    const from = `stray-${randomBytes(4).toString('hex')}@example.test`;
    const err = await swaks(from, 'nobody@nowhere.test', 'lost', 'nobody home').then(() => null, (e) => e as { stdout: string });
    expect(err?.stdout).toMatch(/<\*\* +550 5\.1\.1 <nobody@nowhere\.test>/);
    for (const t of [a, b]) {
      const [n] = await app.database.query<{ n: number }>(`select count(*)::int as n from customer_identities where workspace_id = $1 and value = $2`, [t.ws.id, from]);
      expect(Number(n.n)).toBe(0);
    }
  });
});
