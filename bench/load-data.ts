import type { Platform } from '../src/platform/platform.ts';
import { bulkInsert, type ColumnType } from '../src/platform/bulk.ts';
import { newId } from '../src/platform/ids.ts';
import { createAgent, createTeam, addTeamMember } from '../src/domains/workspaces/index.ts';
import { fmtInt, progress } from './report.ts';
import { bodyText, type BenchWorkspace } from './workspace.ts';

/**
 * Bulk data for the inbox figure, written straight into the tables (not through the verbs) with
 * multi-row INSERT … SELECT FROM unnest(typed arrays): customers with an email identity and a
 * 'customer.created' timeline entry; conversations with mixed statuses, teams and assignees; their
 * messages (in and out, inbound ones with a channel external id); and the timeline entries the
 * verbs would have written (opened, every message, resolved). Consistent with the schema: every
 * required column, counters, last-message times and message counts agree with the messages.
 */
export type Loaded = { teams: string[]; agents: string[]; customers: string[]; ms: number; rows: number };

type Cols = readonly (readonly [string, ColumnType])[];
const C = {
  customer: [['workspace_id', 'uuid'], ['id', 'uuid'], ['name', 'text'], ['email', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz']],
  identity: [['workspace_id', 'uuid'], ['id', 'uuid'], ['customer_id', 'uuid'], ['kind', 'text'], ['value', 'text'], ['created_at', 'timestamptz']],
  conversation: [['workspace_id', 'uuid'], ['id', 'uuid'], ['number', 'int'], ['customer_id', 'uuid'], ['subject', 'text'], ['status', 'text'], ['priority', 'text'],
    ['channel', 'text'], ['assignee_id', 'uuid'], ['team_id', 'uuid'], ['snoozed_until', 'timestamptz'], ['message_count', 'int'], ['created_at', 'timestamptz'],
    ['last_message_at', 'timestamptz'], ['last_inbound_at', 'timestamptz'], ['first_response_at', 'timestamptz'], ['resolved_at', 'timestamptz'], ['closed_at', 'timestamptz'], ['updated_at', 'timestamptz']],
  message: [['workspace_id', 'uuid'], ['id', 'uuid'], ['conversation_id', 'uuid'], ['customer_id', 'uuid'], ['direction', 'text'], ['author_type', 'text'], ['author_id', 'text'],
    ['channel', 'text'], ['body_text', 'text'], ['external_id', 'text'], ['delivery_status', 'text'], ['created_at', 'timestamptz']],
  timeline: [['workspace_id', 'uuid'], ['id', 'uuid'], ['customer_id', 'uuid'], ['occurred_at', 'timestamptz'], ['kind', 'text'], ['actor_type', 'text'], ['actor_id', 'text'],
    ['conversation_id', 'uuid'], ['ref_id', 'uuid'], ['summary', 'text'], ['data', 'jsonb']],
} as const satisfies Record<string, Cols>;

/** mulberry32: the same data every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
const STATUS: [string, number][] = [['open', 0.25], ['pending', 0.1], ['snoozed', 0.05], ['resolved', 0.45], ['closed', 0.15]];
const CHANNELS = ['email', 'chat', 'whatsapp', 'sms'] as const;
const DAY = 86400_000;

export async function loadInboxData(app: Platform, w: BenchWorkspace, size: { conversations: number; messages: number }, label: string): Promise<Loaded> {
  const t0 = performance.now();
  const ws = w.id;
  const r = rng(size.conversations);
  const teams = [];
  for (const name of ['Billing', 'Faults', 'Installations', 'Sales', 'Retention', 'Escalations']) teams.push((await createTeam({ ctx: w.ctx, input: { name } })).id);
  const agents: string[] = [];
  for (let i = 0; i < 24; i++) {
    const a = await createAgent({ ctx: w.ctx, input: { email: `agent${i}@${w.slug}.test`, name: `Agent ${i}`, role: 'agent' } });
    await addTeamMember({ ctx: w.ctx, input: { teamId: teams[i % teams.length], agentId: a.id } });
    agents.push(a.id);
  }
  const now = Date.now();
  const nCustomers = Math.max(1, Math.floor(size.conversations / 2));
  const customers: string[] = [];
  const customerAt: number[] = [];
  let rows = 0;
  const insert = async (cols: Cols, table: string, data: unknown[][]) => { await bulkInsert(w.ctx, table, cols, data); rows += data.length; };

  for (let from = 0; from < nCustomers; from += 10_000) {
    const cust: unknown[][] = [], ident: unknown[][] = [], tl: unknown[][] = [];
    for (let i = from; i < Math.min(nCustomers, from + 10_000); i++) {
      const at = now - 400 * DAY + Math.floor(r() * 30 * DAY);
      const id = newId(at);
      const email = `c${i}@${w.slug}.test`;
      customers.push(id); customerAt.push(at);
      cust.push([ws, id, `Customer ${i}`, email, new Date(at), new Date(at)]);
      ident.push([ws, newId(at), id, 'email', email, new Date(at)]);
      tl.push([ws, newId(at), id, new Date(at), 'customer.created', 'system', 'bench', null, null, `Unverified customer created from email ${email}`, {}]);
    }
    await insert(C.customer, 'customers', cust);
    await insert(C.identity, 'customer_identities', ident);
    await insert(C.timeline, 'timeline_entries', tl);
  }

  // Message counts: 5 ± k in pairs (+k, −k) so the total is exactly size.messages.
  const base = Math.floor(size.messages / size.conversations);
  let extra = size.messages - base * size.conversations;
  const countOf = (i: number) => { const k = (i >> 1) % Math.min(base, 5); return i % 2 === 0 ? base + k : base - k; };
  const CHUNK = 2000;
  let messagesDone = 0;
  let lastPrint = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let from = 0; from < size.conversations; from += CHUNK) {
    const conv: unknown[][] = [], msg: unknown[][] = [], tl: unknown[][] = [];
    const to = Math.min(size.conversations, from + CHUNK);
    for (let i = from; i < to; i++) {
      const last = i === size.conversations - 1;
      let n = (last && size.conversations % 2 === 1) ? base : countOf(i);
      if (last) n += extra, extra = 0;
      const c = i % nCustomers;
      const customerId = customers[c];
      const createdAt = Math.max(customerAt[c] + DAY, now - 365 * DAY + Math.floor(r() * 365 * DAY));
      const id = newId(createdAt);
      let status = 'open';
      for (let x = r(), acc = 0, k = 0; k < STATUS.length; k++) { acc += STATUS[k][1]; if (x < acc) { status = STATUS[k][0]; break; } }
      const channel = pick(r, CHANNELS);
      const teamId = r() < 0.9 ? teams[i % teams.length] : null;
      const assigneeId = r() < 0.7 ? agents[Math.floor(r() * agents.length)] : null;
      tl.push([ws, newId(createdAt), customerId, new Date(createdAt), 'conversation.opened', 'system', 'bench', id, null, `Conversation #${i + 1} opened on ${channel}`, {}]);
      let at = createdAt, lastInbound: number | null = null, firstResponse: number | null = null;
      for (let j = 0; j < n; j++) {
        if (j) at += 60_000 + Math.floor(r() * 6 * 3600_000);
        const inbound = j === 0 || r() < 0.5;
        const mid = newId(at);
        if (inbound) lastInbound = at; else firstResponse ??= at;
        const author = inbound ? customerId : (assigneeId ?? agents[0]);
        msg.push([ws, mid, id, customerId, inbound ? 'in' : 'out', inbound ? 'customer' : 'agent', author, channel, bodyText(i * 7 + j, 40 + ((i + j) % 5) * 40),
          inbound ? `${w.slug}-${i}-${j}` : null, inbound ? 'received' : 'delivered', new Date(at)]);
        tl.push([ws, newId(at), customerId, new Date(at), inbound ? 'message.received' : 'message.sent', inbound ? 'system' : 'agent', inbound ? 'bench' : author, id, mid,
          `${channel}: message ${j + 1}`, { channel, direction: inbound ? 'in' : 'out' }]);
      }
      const done = status === 'resolved' || status === 'closed';
      const resolvedAt = done ? at + 3600_000 : null;
      if (done) tl.push([ws, newId(resolvedAt!), customerId, new Date(resolvedAt!), 'conversation.resolved', 'agent', assigneeId ?? agents[0], id, null, `Conversation #${i + 1} resolved`, {}]);
      const d = (v: number | null) => (v === null ? null : new Date(v));
      conv.push([ws, id, i + 1, customerId, channel === 'email' ? `Case ${i + 1}` : null, status, pick(r, ['low', 'normal', 'normal', 'high', 'urgent']), channel, assigneeId, teamId,
        status === 'snoozed' ? new Date(now + DAY) : null, n, new Date(createdAt), new Date(at), d(lastInbound), d(firstResponse), d(resolvedAt),
        status === 'closed' ? new Date(resolvedAt! + DAY) : null, new Date(resolvedAt ?? at)]);
    }
    // The statements of a chunk go in parallel, and the next chunk is generated while they run
    // (PostgreSQL: on separate pooled connections; PGlite runs them one after another anyway).
    const slices = (xs: unknown[][]) => Array.from({ length: Math.ceil(xs.length / 10_000) }, (_, k) => xs.slice(k * 10_000, (k + 1) * 10_000));
    inflight.push(Promise.all([insert(C.conversation, 'conversations', conv),
      ...slices(msg).map((m) => insert(C.message, 'messages', m)), ...slices(tl).map((t) => insert(C.timeline, 'timeline_entries', t))]).then(() => { messagesDone += msg.length; }));
    if (inflight.length >= 2) await inflight.shift();
    if (performance.now() - lastPrint > 3000 || to === size.conversations) {
      if (to === size.conversations) await Promise.all(inflight);
      lastPrint = performance.now();
      const s = (lastPrint - t0) / 1000;
      progress(`inbox ${label}: loaded ${fmtInt(to)}/${fmtInt(size.conversations)} conversations, ${fmtInt(messagesDone)} messages, ${fmtInt(rows)} rows in ${s.toFixed(0)} s (${fmtInt(rows / s)} rows/s)`);
    }
  }
  await app.database.query(`update counters set value = $2 where workspace_id = $1 and name = 'conversation'`, [ws, size.conversations]);
  for (const t of ['customers', 'customer_identities', 'conversations', 'messages', 'timeline_entries']) await app.database.query(`analyze ${t}`);
  return { teams, agents, customers, ms: performance.now() - t0, rows };
}
