import { and, eq } from 'drizzle-orm';
import { teams, teamMembers, agents } from '../../db/schema/index.ts';
import { newId, isUuid } from '../../platform/ids.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';

/** Creates a team agents can belong to and conversations can be routed to. */
export async function createTeam({ ctx, input }: { ctx: Ctx; input: { name: string } }) {
  authorize(ctx, 'workspace:admin');
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(teams).values({ workspaceId: ctx.workspaceId, id: newId(), name: input.name }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', `A team named ${input.name} exists`);
    await audit(tx, { action: 'team.created', entityType: 'team', entityId: row.id, after: row });
    return row;
  });
}

export async function listTeams({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'conversations:read');
  return ctx.db.select().from(teams).where(eq(teams.workspaceId, ctx.workspaceId)).orderBy(teams.name);
}

/** Puts an agent in a team (both must be in the caller's workspace). */
export async function addTeamMember({ ctx, input }: { ctx: Ctx; input: { teamId: string; agentId: string } }) {
  authorize(ctx, 'workspace:admin');
  if (!isUuid(input.teamId)) throw notFound('Team');
  if (!isUuid(input.agentId)) throw notFound('Agent');
  return withTransaction(ctx, async (tx) => {
    const [team] = await tx.db.select().from(teams).where(and(eq(teams.workspaceId, ctx.workspaceId), eq(teams.id, input.teamId)));
    if (!team) throw notFound('Team');
    const [agent] = await tx.db.select().from(agents).where(and(eq(agents.workspaceId, ctx.workspaceId), eq(agents.id, input.agentId)));
    if (!agent) throw notFound('Agent');
    await tx.db.insert(teamMembers).values({ workspaceId: ctx.workspaceId, ...input }).onConflictDoNothing();
    await audit(tx, { action: 'team.member_added', entityType: 'team', entityId: team.id, after: input });
  });
}

/** Replaces an agent's skills (used by routing). */
export async function setAgentSkills({ ctx, input }: { ctx: Ctx; input: { agentId: string; skills: string[] } }) {
  authorize(ctx, 'workspace:admin');
  if (!isUuid(input.agentId)) throw notFound('Agent');
  return withTransaction(ctx, async (tx) => {
    const where = and(eq(agents.workspaceId, ctx.workspaceId), eq(agents.id, input.agentId));
    const [before] = await tx.db.select().from(agents).where(where);
    if (!before) throw notFound('Agent');
    await tx.db.update(agents).set({ skills: input.skills }).where(where);
    await audit(tx, { action: 'agent.skills_set', entityType: 'agent', entityId: input.agentId, before: before.skills, after: input.skills });
  });
}
