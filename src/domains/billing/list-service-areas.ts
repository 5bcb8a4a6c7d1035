import { asc, eq } from 'drizzle-orm';
import { serviceAreas } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { serviceAreaView, type ServiceAreaView } from './views.ts';

/** Every service area of the workspace, by code. */
export async function listServiceAreas({ ctx }: { ctx: Ctx }): Promise<{ data: ServiceAreaView[] }> {
  authorize(ctx, 'billing:read');
  const rows = await ctx.db.select().from(serviceAreas).where(eq(serviceAreas.workspaceId, ctx.workspaceId)).orderBy(asc(serviceAreas.code));
  return { data: rows.map(serviceAreaView) };
}
