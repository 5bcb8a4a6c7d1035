import { eq } from 'drizzle-orm';
import { workspaces } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { notFound } from '../../platform/errors.ts';

/** The caller's own workspace. */
export async function getWorkspace({ ctx }: { ctx: Ctx }) {
  const [row] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  if (!row) throw notFound('Workspace');
  return row;
}

/** System lookup by slug (CLI, seed). */
export async function findWorkspaceBySlug({ ctx, slug }: { ctx: Ctx; slug: string }) {
  const [row] = await ctx.db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return row ?? null;
}
