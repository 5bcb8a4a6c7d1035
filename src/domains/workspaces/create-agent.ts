import { parseInput } from '../../platform/errors.ts';
import { agents } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/secrets.ts';
import { CreateAgentInput } from './workspaces.schemas.ts';
import type { z } from '@hono/zod-openapi';

export type AgentView = { id: string; email: string; name: string; role: 'admin' | 'supervisor' | 'agent'; skills: string[]; active: boolean };
export const agentView = (a: typeof agents.$inferSelect): AgentView =>
  ({ id: a.id, email: a.email, name: a.name, role: a.role, skills: a.skills, active: a.active });

/** Adds a staff member with a role; the password is stored as an scrypt hash. */
export async function createAgent({ ctx, input }: { ctx: Ctx; input: z.input<typeof CreateAgentInput> }): Promise<AgentView> {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(CreateAgentInput, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(agents).values({
      workspaceId: ctx.workspaceId, id: newId(), email: data.email, name: data.name, role: data.role, passwordHash, skills: data.skills,
    }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', `An agent with email ${data.email} exists`, { fields: [{ path: 'email', message: 'taken' }] });
    await audit(tx, { action: 'agent.created', entityType: 'agent', entityId: row.id, after: agentView(row) });
    return agentView(row);
  });
}
