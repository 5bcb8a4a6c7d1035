import { and, eq, sql } from 'drizzle-orm';
import { counters } from '../db/schema/index.ts';
import type { Platform } from '../platform/platform.ts';
import { systemCtx, withTransaction } from '../platform/ctx.ts';
import { AppError } from '../platform/errors.ts';
import { audit } from '../platform/audit.ts';
import { createWorkspace, createAgent, createTeam, addTeamMember, findWorkspaceBySlug } from '../domains/workspaces/index.ts';
import { agents, teams } from './catalog.ts';
import { businessHours } from './clock.ts';
import { countRows, demoWorkspaceId, generateDemoData, placeholderRefs, rebindRefs } from './generate.ts';
import { insertDemoData } from './insert.ts';
import { demoReasons } from './reasons-seed.ts';
import { seedReasonTaxonomy } from '../domains/understanding/index.ts';
import { seedStatusDemo } from './seed-status.ts';
import { seedDemoInsights } from './insights-seed.ts';

export const DEMO_SLUG = 'fibrelink';
export const DEMO_PASSWORD = 'demo';
export type SeedOptions = {
  seed?: number; customers?: number; conversations?: number;
  /** The moment the data ends at (default: now). */
  now?: Date;
  /** Called after each phase with its duration (for benchmarks). */
  trace?: (phase: string, ms: number) => void;
};
export type SeedResult = { workspaceId: string; created: boolean; counts: Record<string, number>; ms: number };

const seededTables = ['service_areas', 'plans', 'customers', 'customer_identities', 'subscriptions', 'usage_daily', 'invoices', 'invoice_lines', 'payments',
  'conversations', 'messages', 'timeline_entries'];
const holidaysAround = (year: number) => [`${year}-04-27`, `${year}-12-25`, `${year}-12-26`, `${year + 1}-01-01`, `${year + 1}-04-27`];

/**
 * Seeds the demo tenant "Fibrelink", a fictional fibre ISP, unless it exists. Everything —
 * workspace, agents, teams and ~300k generated rows — is written in one transaction, so a crash
 * leaves nothing behind and the next start seeds again. The bulk rows are generated in memory
 * from the seed (same seed and moment, same data) and written in bulk (COPY on PGlite, unnest()
 * INSERTs on a PostgreSQL server), never row by row through the verbs. Prints nothing.
 */
export async function seedDemo(app: Platform, opts: SeedOptions = {}): Promise<SeedResult> {
  const t0 = performance.now();
  const existing = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug: DEMO_SLUG });
  if (existing) return { workspaceId: existing.id, created: false, counts: {}, ms: Math.round(performance.now() - t0) };

  const seed = opts.seed ?? 42;
  const now = Math.floor((opts.now?.getTime() ?? Date.now()) / 1000) * 1000;
  const workspaceId = demoWorkspaceId(seed, now);
  const year = new Date(now).getUTCFullYear();
  let lap = performance.now();
  const phase = (name: string) => { const t = performance.now(); opts.trace?.(name, Math.round(t - lap)); lap = t; };
  try {
    const counts = await withTransaction(systemCtx(app, workspaceId, 'demo-seed'), async (tx) => {
      await createWorkspace({ ctx: tx, input: {
        id: workspaceId, slug: DEMO_SLUG, name: 'Fibrelink', isDemo: true,
        settings: { timezone: 'Europe/Amsterdam', businessHours, holidays: holidaysAround(year) },
      } });
      // Hashing nine passwords takes a while on libuv's pool: generate the data meanwhile, with stand-in agent ids.
      // PGlite queues statements on its transaction by itself; a pg client must not be handed overlapping queries.
      const addAgent = (a: (typeof agents)[number]) => createAgent({ ctx: tx, input: { ...a, password: DEMO_PASSWORD } });
      const staffCreated = app.database.kind === 'pglite' ? Promise.all(agents.map(addAgent))
        : (async () => { const out = []; for (const a of agents) out.push(await addAgent(a)); return out; })();
      staffCreated.catch(() => {}); // awaited below; this only keeps a failure during generation from going unhandled
      const stand = placeholderRefs(workspaceId);
      const data = generateDemoData({ seed, now, customers: opts.customers ?? 2000, conversations: opts.conversations ?? 5200 }, stand);
      phase('generate');
      const staff = await staffCreated;
      const teamIds: Record<string, string> = {};
      for (const t of teams) {
        const team = await createTeam({ ctx: tx, input: { name: t.name } });
        teamIds[t.name] = team.id;
        for (const m of t.members) await addTeamMember({ ctx: tx, input: { teamId: team.id, agentId: staff[m].id } });
      }
      rebindRefs(data, stand, { workspaceId, agentIds: staff.map((s) => s.id), teamIds });
      phase('agents+teams');
      // The contact-reason taxonomy and its seed examples; its first model trains as a job once Candor runs.
      await seedReasonTaxonomy(tx, demoReasons);
      phase('reasons');
      await insertDemoData(tx.db, data, (table) => phase(`insert ${table}`));
      const incidentUpdates = await seedStatusDemo(tx, data, now);
      phase('status');
      await tx.db.update(counters).set({ value: data.conversations.length })
        .where(and(eq(counters.workspaceId, workspaceId), eq(counters.name, 'conversation')));
      // Fresh planner statistics, committed with the rows (without them the first dashboards plan nested loops).
      // PGlite has no autovacuum to refine them later: a small sample (3,000 rows a table) gives row counts and
      // distinct values in ~0.15 s. A server keeps its usual statistics target; autovacuum takes it from there.
      if (app.database.kind === 'pglite') await tx.db.execute(sql`set local default_statistics_target = 10`);
      await tx.db.execute(sql.raw(`analyze ${seededTables.join(', ')}`));
      phase('analyze');
      await seedDemoInsights(tx, teamIds);
      phase('insights');
      const counts = { agents: staff.length, teams: teams.length, ...countRows(data), incidents: data.outages.length + 2, incidentUpdates };
      await audit(tx, { action: 'demo.seeded', entityType: 'workspace', entityId: workspaceId, after: { seed, counts } });
      return counts;
    });
    phase('commit');
    return { workspaceId, created: true, counts, ms: Math.round(performance.now() - t0) };
  } catch (err) {
    // Another node seeded it first (same slug): that is the outcome we wanted.
    if (err instanceof AppError && err.code === 'conflict') {
      const other = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug: DEMO_SLUG });
      if (other) return { workspaceId: other.id, created: false, counts: {}, ms: Math.round(performance.now() - t0) };
    }
    throw err;
  }
}

/** One line for a CLI or a log: what seedDemo did and how long it took. */
export function formatSeedReport(r: SeedResult): string {
  if (!r.created) return `Demo workspace "${DEMO_SLUG}" already exists (${r.workspaceId}); nothing seeded.`;
  const c = r.counts;
  const n = (k: string) => (c[k] ?? 0).toLocaleString('en-US');
  return `Demo workspace "${DEMO_SLUG}" seeded in ${(r.ms / 1000).toFixed(1)} s: ${n('customers')} customers, ${n('subscriptions')} subscriptions, `
    + `${n('usageDays')} usage days, ${n('invoices')} invoices, ${n('payments')} payments, ${n('conversations')} conversations with ${n('messages')} messages, `
    + `${n('timelineEntries')} timeline entries, ${n('agents')} agents. Sign in as admin@${DEMO_SLUG}.test, supervisor@${DEMO_SLUG}.test or agent@${DEMO_SLUG}.test with password "${DEMO_PASSWORD}".`;
}
