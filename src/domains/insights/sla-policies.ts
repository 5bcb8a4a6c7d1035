import { and, eq } from 'drizzle-orm';
import { slaPolicies, teamCalendars, teams, workspaces } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Db } from '../../platform/db.ts';
import { SlaPolicyInput, TeamCalendarInput } from './insights.schemas.ts';
import type { BusinessCalendar } from './business-calendar.ts';
import type { z } from '@hono/zod-openapi';

export type SlaPolicy = typeof slaPolicies.$inferSelect;

/** The workspace's SLA policies. */
export async function listSlaPolicies({ ctx }: { ctx: Ctx }): Promise<SlaPolicy[]> {
  authorize(ctx, 'conversations:read');
  return ctx.db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, ctx.workspaceId)).orderBy(slaPolicies.createdAt);
}

/** Creates or replaces the policy for one (priority, channel) pair (null = any); admins. */
export async function upsertSlaPolicy({ ctx, input }: { ctx: Ctx; input: z.input<typeof SlaPolicyInput> }): Promise<SlaPolicy> {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(SlaPolicyInput, input);
  return withTransaction(ctx, async (tx) => {
    const all = await tx.db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, ctx.workspaceId));
    const before = all.find((p) => p.priority === (data.priority ?? null) && p.channel === (data.channel ?? null));
    const values = {
      name: data.name, priority: data.priority ?? null, channel: data.channel ?? null,
      firstResponseSeconds: data.firstResponseSeconds ?? null, nextResponseSeconds: data.nextResponseSeconds ?? null,
      resolutionSeconds: data.resolutionSeconds ?? null, creditCents: data.creditCents ?? 0,
    };
    const [row] = before
      ? await tx.db.update(slaPolicies).set(values).where(and(eq(slaPolicies.workspaceId, ctx.workspaceId), eq(slaPolicies.id, before.id))).returning()
      : await tx.db.insert(slaPolicies).values({ workspaceId: ctx.workspaceId, id: newId(), ...values }).returning();
    await audit(tx, { action: 'sla_policy.upserted', entityType: 'sla_policy', entityId: row.id, before: before ?? null, after: row });
    return row;
  });
}

/** The most specific policy for a conversation: priority and channel, then priority, then channel, then the default. */
export function matchPolicy(policies: SlaPolicy[], priority: string, channel: string): SlaPolicy | null {
  const score = (p: SlaPolicy) => (p.priority === null || p.priority === priority) && (p.channel === null || p.channel === channel)
    ? (p.priority ? 2 : 0) + (p.channel ? 1 : 0) : -1;
  let best: SlaPolicy | null = null;
  for (const p of policies) if (score(p) >= 0 && (!best || score(p) > score(best))) best = p;
  return best;
}

/** Sets a team's business hours (its own time zone and holidays); admins. */
export async function setTeamCalendar({ ctx, teamId, input }: { ctx: Ctx; teamId: string; input: z.input<typeof TeamCalendarInput> }) {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(TeamCalendarInput, input);
  return withTransaction(ctx, async (tx) => {
    const [team] = await tx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, ctx.workspaceId), eq(teams.id, teamId)));
    if (!team) throw notFound('Team');
    const row = { workspaceId: ctx.workspaceId, teamId, timezone: data.timezone, hours: data.hours, holidays: data.holidays ?? [] };
    await tx.db.insert(teamCalendars).values(row).onConflictDoUpdate({ target: [teamCalendars.workspaceId, teamCalendars.teamId], set: { timezone: row.timezone, hours: row.hours, holidays: row.holidays } });
    await audit(tx, { action: 'team_calendar.set', entityType: 'team', entityId: teamId, after: row });
    return { teamId, timezone: row.timezone, hours: row.hours, holidays: row.holidays };
  });
}

/** Every calendar of a workspace: the workspace's own (settings) and each team's, keyed by team id ('' = workspace). */
export async function loadCalendars(db: Db, workspaceId: string): Promise<Map<string, BusinessCalendar>> {
  const [ws] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const out = new Map<string, BusinessCalendar>();
  if (ws) out.set('', { zone: ws.settings.timezone, hours: ws.settings.businessHours, holidays: ws.settings.holidays });
  for (const t of await db.select().from(teamCalendars).where(eq(teamCalendars.workspaceId, workspaceId))) {
    out.set(t.teamId, { zone: t.timezone, hours: t.hours, holidays: t.holidays });
  }
  return out;
}
