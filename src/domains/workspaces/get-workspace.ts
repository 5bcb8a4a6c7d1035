import { eq } from 'drizzle-orm';
import { workspaces } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { can } from '../../platform/authz.ts';

/** The caller's own workspace. */
export async function getWorkspace({ ctx }: { ctx: Ctx }) {
  // Its settings (hours, holidays, role limits) are the workspace's working data: a key that may
  // read none of it (no scopes, or only messages:ingest) does not read them either.
  if (!can(ctx, 'customers:read') && !can(ctx, 'conversations:read')) throw forbidden('Missing permission customers:read or conversations:read');
  const [row] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  if (!row) throw notFound('Workspace');
  return row;
}

/** System lookup by slug (CLI, seed). */
export async function findWorkspaceBySlug({ ctx, slug }: { ctx: Ctx; slug: string }) {
  const [row] = await ctx.db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return row ?? null;
}
