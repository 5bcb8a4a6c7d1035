import { eq } from 'drizzle-orm';
import { statusPages } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { defaultStatusSettings, StatusSettingsSchema, type StatusSettingsView } from './status.schemas.ts';

/** The workspace's status settings: its stored choices over the defaults. */
export async function statusSettings(ctx: Ctx): Promise<StatusSettingsView> {
  const [row] = await ctx.db.select({ settings: statusPages.settings }).from(statusPages).where(eq(statusPages.workspaceId, ctx.workspaceId));
  const d = defaultStatusSettings();
  const s = row?.settings ?? {};
  return { ...d, ...s, credits: { ...d.credits, ...s.credits }, detection: { ...d.detection, ...s.detection } } as StatusSettingsView;
}

/** Changes the status page's settings (admins): services, SLA target, uptime rules, quiet hours, credits, detection. */
export async function updateStatusSettings({ ctx, input }: { ctx: Ctx; input: Partial<StatusSettingsView> }): Promise<StatusSettingsView> {
  authorize(ctx, 'workspace:admin');
  return withTransaction(ctx, async (tx) => {
    const before = await statusSettings(tx);
    const merged = { ...before, ...input, credits: { ...before.credits, ...input.credits }, detection: { ...before.detection, ...input.detection } };
    const settings = parseInput(StatusSettingsSchema, merged);
    await tx.db.insert(statusPages).values({ workspaceId: ctx.workspaceId, settings, updatedAt: new Date() })
      .onConflictDoUpdate({ target: statusPages.workspaceId, set: { settings, updatedAt: new Date() } });
    await audit(tx, { action: 'status.settings_updated', entityType: 'status_page', entityId: ctx.workspaceId, before, after: settings });
    emit(tx, 'status.changed', { data: { what: 'settings' } });
    return settings;
  });
}
