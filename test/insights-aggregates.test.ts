import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { testPlatform } from './support/platform.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage, postMessage, updateConversation } from '../src/domains/conversations/index.ts';
import { createTeam } from '../src/domains/workspaces/index.ts';
import { InsightsWorker, rebuildInsights, upsertSlaPolicy } from '../src/domains/insights/index.ts';
import { rowsOf } from '../src/platform/bulk.ts';

let app: Platform;
let w: TestWorkspace;
let worker: InsightsWorker;

beforeAll(async () => {
  app = await testPlatform();
  w = await newWorkspace(app, 'Aggregates');
  worker = new InsightsWorker(app, { sweepMs: 3_600_000, debounceMs: 5 });
  worker.start();
});
afterAll(async () => { await worker.stop(); });

/** A small deterministic PRNG (mulberry32): the same sequence on every run, another with another seed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const snapshot = async () => ({
  facts: rowsOf<Record<string, unknown>>(await app.db.execute(sql`select * from conversation_facts where workspace_id = ${w.ws.id} order by conversation_id`))
    .map(({ refreshed_at: _r, ...rest }) => rest),
  hourly: rowsOf<Record<string, unknown>>(await app.db.execute(sql`select * from insights_hourly where workspace_id = ${w.ws.id} order by hour, channel, team_id, agent_id, area_id, reason`)),
});

describe('incremental aggregates', () => {
  it('equal the full scan after a random sequence of conversation changes', async () => {
    await upsertSlaPolicy({ ctx: w.adminCtx, input: { name: 'Default', firstResponseSeconds: 3600, nextResponseSeconds: 3600, resolutionSeconds: 8 * 3600 } });
    await upsertSlaPolicy({ ctx: w.adminCtx, input: { name: 'Urgent chat', priority: 'urgent', channel: 'chat', firstResponseSeconds: 300, resolutionSeconds: 3600 } });
    const teams = [(await createTeam({ ctx: w.adminCtx, input: { name: 'One' } })).id, (await createTeam({ ctx: w.adminCtx, input: { name: 'Two' } })).id];
    const agents = [w.agent.id, w.supervisor.id, w.admin.id];
    const rnd = prng(20261204);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const convs: string[] = [];
    const ops: string[] = [];
    for (let i = 0; i < 80; i++) {
      const op = convs.length < 3 ? 'in' : pick(['in', 'in', 'reply', 'reply', 'status', 'status', 'assign', 'team', 'priority'] as const);
      ops.push(op);
      if (op === 'in') {
        const r = await receiveMessage({ ctx: w.system, input: { channel: pick(['email', 'chat', 'sms'] as const), from: { kind: 'email', value: `c${Math.floor(rnd() * 6)}@x.test` }, bodyText: `message ${i}` } });
        if (r.conversation && !convs.includes(r.conversation.id)) convs.push(r.conversation.id);
        continue;
      }
      const id = pick(convs);
      // A closed conversation takes no reply (the verb refuses): the agent reopens it first.
      if (op === 'reply') await postMessage({ ctx: w.agentCtx, conversationId: id, input: { bodyText: `reply ${i}` } })
        .catch(async (err) => { if (err.code !== 'conflict' && !/closed/.test(err.message)) throw err; await updateConversation({ ctx: w.agentCtx, id, input: { status: 'open' } }); });
      if (op === 'status') {
        const status = pick(['open', 'pending', 'resolved', 'closed', 'snoozed'] as const);
        await updateConversation({ ctx: w.agentCtx, id, input: status === 'snoozed' ? { status, snoozedUntil: new Date(Date.now() + 3_600_000) } : { status } });
      }
      if (op === 'assign') await updateConversation({ ctx: w.agentCtx, id, input: { assigneeId: pick([...agents, null]) } });
      if (op === 'team') await updateConversation({ ctx: w.agentCtx, id, input: { teamId: pick([...teams, null]) } });
      if (op === 'priority') await updateConversation({ ctx: w.agentCtx, id, input: { priority: pick(['low', 'normal', 'high', 'urgent'] as const) } });
    }
    await worker.idle();
    const incremental = await snapshot();
    expect(incremental.facts.length).toBe(convs.length);
    expect(new Set(ops)).toEqual(new Set(['in', 'reply', 'status', 'assign', 'team', 'priority']));

    // The facts follow the conversations they describe…
    const drift = rowsOf<{ n: number }>(await app.db.execute(sql`select count(*)::int as n from conversations c join conversation_facts f using (workspace_id)
      where c.workspace_id = ${w.ws.id} and f.conversation_id = c.id and (f.status <> c.status or f.channel <> c.channel or f.priority <> c.priority
        or f.team_id is distinct from c.team_id or f.agent_id is distinct from c.assignee_id)`));
    expect(drift[0].n).toBe(0);
    // …the roll-up's counts equal a GROUP BY over the conversations themselves…
    const scan = rowsOf<Record<string, unknown>>(await app.db.execute(sql`select channel, coalesce(team_id::text, '') as team, count(*)::int as n,
      count(first_response_at)::int as responded from conversations where workspace_id = ${w.ws.id} group by 1, 2 order by 1, 2`));
    const rolled = rowsOf<Record<string, unknown>>(await app.db.execute(sql`select channel, coalesce(nullif(team_id::text, '00000000-0000-0000-0000-000000000000'), '') as team,
      sum(contacts)::int as n, sum(responded)::int as responded from insights_hourly where workspace_id = ${w.ws.id} group by 1, 2 order by 1, 2`));
    expect(rolled).toEqual(scan);
    // …and the whole incremental state equals a rebuild from scratch.
    await rebuildInsights(w.system);
    expect(await snapshot()).toEqual(incremental);
  });

  it('a clock that comes due is breached by the sweep and escalated to a supervisor, announced once', async () => {
    const events: { type: string; data: Record<string, unknown>; conversationId?: string }[] = [];
    const off = app.bus.subscribe((e) => { if (e.type === 'sla.breached' && e.workspaceId === w.ws.id) events.push(e); });
    const r = await receiveMessage({ ctx: w.system, input: { channel: 'email', from: { kind: 'email', value: 'late@x.test' }, bodyText: 'Anyone there?' } });
    await worker.idle();
    const [fact] = rowsOf<{ first_response_due_at: string; next_due_at: string }>(await app.db.execute(sql`select first_response_due_at, next_due_at from conversation_facts where workspace_id = ${w.ws.id} and conversation_id = ${r.conversation!.id}`));
    const due = new Date(fact.first_response_due_at);
    expect(new Date(fact.next_due_at).getTime()).toBeLessThanOrEqual(due.getTime());
    expect(await worker.sweepDue(new Date(due.getTime() - 60_000))).toBe(0);
    expect(await worker.sweepDue(new Date(due.getTime() + 60_000))).toBeGreaterThanOrEqual(1);
    await worker.sweepDue(new Date(due.getTime() + 120_000)); // found again: not recorded or announced twice
    off();
    const mine = events.filter((e) => e.conversationId === r.conversation!.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].data).toMatchObject({ kind: 'first_response', dueAt: due.toISOString(), escalatedTo: w.supervisor.id });
  });
});
