import { and, eq } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { serviceAreas } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { ServiceAreaInput } from './billing.schemas.ts';
import { claimRow } from './loaders.ts';
import { serviceAreaView, type ServiceAreaView } from './views.ts';

/**
 * Creates or updates a service area by its code (the billing system's key). Sending the same
 * area again changes nothing and writes nothing.
 */
export async function upsertServiceArea({ ctx, input }: { ctx: Ctx; input: z.input<typeof ServiceAreaInput> }): Promise<ServiceAreaView> {
  authorize(ctx, 'billing:write');
  const data = parseInput(ServiceAreaInput, input);
  const values = { name: data.name, region: data.region ?? null };
  return withTransaction(ctx, async (tx) => {
    const where = and(eq(serviceAreas.workspaceId, ctx.workspaceId), eq(serviceAreas.code, data.code));
    const { row, created } = await claimRow(
      async () => (await tx.db.select().from(serviceAreas).where(where).for('update'))[0],
      async () => (await tx.db.insert(serviceAreas).values({ workspaceId: ctx.workspaceId, id: newId(), code: data.code, ...values })
        .onConflictDoNothing().returning())[0],
    );
    if (created) {
      const view = serviceAreaView(row);
      await audit(tx, { action: 'service_area.created', entityType: 'service_area', entityId: row.id, after: view });
      emit(tx, 'service_area.created', { data: { serviceAreaId: row.id, code: row.code } });
      return view;
    }
    if (row.name === values.name && row.region === values.region) return serviceAreaView(row);
    const [updated] = await tx.db.update(serviceAreas).set(values).where(and(eq(serviceAreas.workspaceId, ctx.workspaceId), eq(serviceAreas.id, row.id))).returning();
    const view = serviceAreaView(updated);
    await audit(tx, { action: 'service_area.updated', entityType: 'service_area', entityId: row.id, before: serviceAreaView(row), after: view });
    emit(tx, 'service_area.updated', { data: { serviceAreaId: row.id, code: row.code } });
    return view;
  });
}
