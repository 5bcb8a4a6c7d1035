import { workspaces, counters } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { AppError } from '../../platform/errors.ts';
import { audit } from '../../platform/audit.ts';
import { defaultSettings } from './workspaces.schemas.ts';
import type { WorkspaceSettings } from '../../db/schema/index.ts';

/**
 * Creates a tenant. Only the system actor (CLI, seed, tests) may; the ctx's workspaceId is ignored
 * and the new one is returned.
 */
export async function createWorkspace({ ctx, input }: { ctx: Ctx; input: { slug: string; name: string; settings?: Partial<WorkspaceSettings>; isDemo?: boolean; id?: string } }) {
  if (ctx.actor.type !== 'system') throw new AppError('forbidden', 'Only the system creates workspaces');
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) throw new AppError('validation_failed', 'slug: lowercase letters, digits and dashes', { fields: [{ path: 'slug', message: 'invalid slug' }] });
  const id = input.id ?? newId();
  const settings = { ...defaultSettings(), ...input.settings };
  return withTransaction({ ...ctx, workspaceId: id }, async (tx) => {
    const [row] = await tx.db.insert(workspaces).values({ id, slug: input.slug, name: input.name, settings, isDemo: input.isDemo ?? false })
      .onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', `A workspace with slug ${input.slug} exists`);
    await tx.db.insert(counters).values({ workspaceId: id, name: 'conversation', value: 0 });
    await audit(tx, { action: 'workspace.created', entityType: 'workspace', entityId: id, after: row });
    return row;
  });
}
