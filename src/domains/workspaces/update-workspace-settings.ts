import { parseInput } from '../../platform/errors.ts';
import { eq } from 'drizzle-orm';
import { workspaces } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { getWorkspace } from './get-workspace.ts';
import { WorkspaceSettingsSchema } from './workspaces.schemas.ts';
import type { z } from '@hono/zod-openapi';

/** Changes timezone, business hours, holidays or role limits (admins only). */
export async function updateWorkspaceSettings({ ctx, input }: { ctx: Ctx; input: Partial<z.infer<typeof WorkspaceSettingsSchema>> }) {
  authorize(ctx, 'workspace:admin');
  return withTransaction(ctx, async (tx) => {
    const before = await getWorkspace({ ctx: tx });
    const settings = parseInput(WorkspaceSettingsSchema, { ...before.settings, ...input });
    const [after] = await tx.db.update(workspaces).set({ settings }).where(eq(workspaces.id, ctx.workspaceId)).returning();
    await audit(tx, { action: 'workspace.settings_updated', entityType: 'workspace', entityId: ctx.workspaceId, before: before.settings, after: settings });
    emit(tx, 'workspace.settings_updated', { data: {} });
    return after;
  });
}
