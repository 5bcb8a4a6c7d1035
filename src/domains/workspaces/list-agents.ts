import { eq, and } from 'drizzle-orm';
import { agents, teamMembers } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { notFound } from '../../platform/errors.ts';
import { agentView } from './create-agent.ts';

/** The workspace's staff with their teams. */
export async function listAgents({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'conversations:read');
  const [rows, members] = await Promise.all([
    ctx.db.select().from(agents).where(eq(agents.workspaceId, ctx.workspaceId)).orderBy(agents.name),
    ctx.db.select().from(teamMembers).where(eq(teamMembers.workspaceId, ctx.workspaceId)),
  ]);
  return rows.map((a) => ({ ...agentView(a), teamIds: members.filter((m) => m.agentId === a.id).map((m) => m.teamId) }));
}

export async function getAgent({ ctx, id }: { ctx: Ctx; id: string }) {
  const [row] = await ctx.db.select().from(agents).where(and(eq(agents.workspaceId, ctx.workspaceId), eq(agents.id, id)));
  if (!row) throw notFound('Agent');
  return agentView(row);
}
