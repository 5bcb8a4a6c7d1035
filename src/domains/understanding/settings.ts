import { eq } from 'drizzle-orm';
import { workspaces } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';

/** Below this confidence a reason is 'unknown'; after this many new agent labels a retrain starts. */
export const defaultUnderstanding = { unknownBelow: 0.4, retrainAfter: 20 };

export async function understandingSettings(ctx: Ctx): Promise<{ unknownBelow: number; retrainAfter: number }> {
  const [w] = await ctx.db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return { ...defaultUnderstanding, ...(w?.settings.understanding ?? {}) };
}
