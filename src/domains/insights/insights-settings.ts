import { eq } from 'drizzle-orm';
import { insightsSettings } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize, can } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { forbidden, parseInput } from '../../platform/errors.ts';
import { InsightsSettingsInput } from './insights.schemas.ts';
import type { z } from '@hono/zod-openapi';

const defaults = { leaderboardEnabled: true, teamGoals: {} as Record<string, { slaAttainment?: number; firstContactResolution?: number; csat?: number }> };

/** The leaderboard switch and the team goals the scorecards compare against. */
export async function getInsightsSettings({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'conversations:read');
  const [row] = await ctx.db.select().from(insightsSettings).where(eq(insightsSettings.workspaceId, ctx.workspaceId));
  return row ? { leaderboardEnabled: row.leaderboardEnabled, teamGoals: row.teamGoals } : defaults;
}

/** Supervisors and admins switch the leaderboard and set team goals. */
export async function updateInsightsSettings({ ctx, input }: { ctx: Ctx; input: z.input<typeof InsightsSettingsInput> }) {
  const a = ctx.actor;
  if (!(can(ctx, 'workspace:admin') || (a.type === 'agent' && a.role === 'supervisor'))) throw forbidden('Only supervisors and admins change the scorecards');
  const data = parseInput(InsightsSettingsInput, input);
  return withTransaction(ctx, async (tx) => {
    const before = await getInsightsSettings({ ctx: tx });
    const after = { leaderboardEnabled: data.leaderboardEnabled ?? before.leaderboardEnabled, teamGoals: data.teamGoals ?? before.teamGoals };
    await tx.db.insert(insightsSettings).values({ workspaceId: ctx.workspaceId, ...after, updatedAt: new Date() })
      .onConflictDoUpdate({ target: insightsSettings.workspaceId, set: { ...after, updatedAt: new Date() } });
    await audit(tx, { action: 'insights_settings.updated', entityType: 'workspace', entityId: ctx.workspaceId, before, after });
    emit(tx, 'insights.settings_changed', { data: {} });
    return after;
  });
}
