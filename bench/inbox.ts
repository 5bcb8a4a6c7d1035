import type { Platform } from '../src/platform/platform.ts';
import { actorCtx, type Ctx } from '../src/platform/ctx.ts';
import { listConversations } from '../src/domains/conversations/index.ts';
import { getTimeline } from '../src/domains/customers/index.ts';
import { fig, fmtInt, percentile, progress, type Figure } from './report.ts';
import { benchWorkspace } from './workspace.ts';
import { loadInboxData } from './load-data.ts';

const RUNS = 200;
const WARMUP = 20;
const TARGET_MS = 20;

async function timeIt(runs: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await f(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * The inbox at scale: a workspace loaded with `messages` messages in `conversations` conversations
 * (bulk, not through the verbs; ANALYZE after), then, through the verbs an agent's screen calls:
 * the first page of a team's open conversations, a page ~20 keyset pages deep, and a customer's
 * timeline page. p95 of 200 sequential runs each after 20 warm-up runs.
 */
export async function measureInbox(app: Platform, size: { conversations: number; messages: number }, note = ''): Promise<{ figures: Figure[]; rowsPerSecond: number; rowsPerMessage: number }> {
  const label = size.messages >= 1e6 ? `${size.messages / 1e6}M` : `${Math.round(size.messages / 1e3)}k`;
  const w = await benchWorkspace(app, `inbox${label}`);
  progress(`inbox ${label}: loading ${fmtInt(size.messages)} messages in ${fmtInt(size.conversations)} conversations${note ? ` (${note})` : ''}`);
  const data = await loadInboxData(app, w, size, label);
  const ctx: Ctx = actorCtx(app, w.id, { type: 'agent', id: data.agents[0], role: 'agent' });
  const teamId = data.teams[0];
  const page = (cursor?: string) => listConversations({ ctx, input: { status: 'open', teamId, limit: 25, cursor } });

  progress(`inbox ${label}: timing first page, deep page and timeline (${RUNS} runs each)`);
  const first = await timeIt(RUNS, () => page());
  let cursor: string | undefined;
  let depth = 0;
  for (; depth < 20; depth++) {
    const p = await page(cursor);
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  const deep = await timeIt(RUNS, () => page(cursor));
  const step = Math.max(1, Math.floor(data.customers.length / (RUNS + WARMUP)));
  const timeline = await timeIt(RUNS, (i) => getTimeline({ ctx, customerId: data.customers[(i * step) % data.customers.length], input: {} }));
  const [{ n: openInTeam }] = await app.database.query<{ n: number }>(`select count(*)::int as n from conversations where workspace_id = $1 and team_id = $2 and status = 'open'`, [w.id, teamId]);

  const sz = `${label} msgs / ${fmtInt(size.conversations)} convs`;
  const stat = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, ${RUNS} runs, target p95 < ${TARGET_MS} ms`;
  const figures = [
    fig(`inbox.load.${label}`, data.ms / 1000, 's', `bulk load ${fmtInt(data.rows)} rows (customers, identities, conversations, messages, timeline) + ANALYZE = ${fmtInt(data.rows / (data.ms / 1000))} rows/s${note ? `; ${note}` : ''}`),
    fig(`inbox.first-page.${label}.p95`, percentile(first, 95), 'ms', `listConversations {status:open, teamId, limit:25} (${fmtInt(openInTeam)} open in the team), ${sz}; ${stat(first)}`),
    fig(`inbox.deep-page.${label}.p95`, percentile(deep, 95), 'ms', `the page after following nextCursor ${depth} pages deep, ${sz}; ${stat(deep)}`),
    fig(`inbox.timeline.${label}.p95`, percentile(timeline, 95), 'ms', `getTimeline (first page, 50 entries) of ${RUNS} different customers, ${sz}; ${stat(timeline)}`),
  ];
  return { figures, rowsPerSecond: data.rows / (data.ms / 1000), rowsPerMessage: data.rows / size.messages };
}
