import { auditLog } from '../db/schema/index.ts';
import { newId } from './ids.ts';
import { deferWrite, type Ctx } from './ctx.ts';

/** Records who changed what, when, with the state before and after. Called inside the write's transaction (written with its last statement). */
export async function audit(ctx: Ctx, entry: { action: string; entityType: string; entityId: string; before?: unknown; after?: unknown }): Promise<void> {
  await deferWrite(ctx, ctx.db.insert(auditLog).values({
    workspaceId: ctx.workspaceId,
    id: newId(),
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: ctx.requestId ?? null,
  }).getSQL());
}
