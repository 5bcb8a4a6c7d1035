import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { networkUpgrades, statusStatements } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { notFound, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';
import { assertAreas } from './components.ts';
import { UpsertStatementInput, UpsertUpgradeInput } from './status.schemas.ts';

/** Creates or replaces a transparency statement (markdown) by its key (admins). */
export async function upsertStatement({ ctx, input }: { ctx: Ctx; input: z.input<typeof UpsertStatementInput> }) {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(UpsertStatementInput, input);
  return withTransaction(ctx, async (tx) => {
    const values = { title: data.title, bodyMd: data.bodyMd, position: data.position, updatedAt: new Date() };
    const [row] = await tx.db.insert(statusStatements).values({ workspaceId: ctx.workspaceId, key: data.key, ...values })
      .onConflictDoUpdate({ target: [statusStatements.workspaceId, statusStatements.key], set: values }).returning();
    await audit(tx, { action: 'status.statement_saved', entityType: 'status_statement', entityId: data.key, after: values });
    emit(tx, 'status.changed', { data: { what: 'statement', key: data.key } });
    return { key: row.key, title: row.title, bodyMd: row.bodyMd, position: row.position, updatedAt: toIso(row.updatedAt) };
  });
}

export async function listStatements({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'status:read');
  const rows = await ctx.db.select().from(statusStatements).where(eq(statusStatements.workspaceId, ctx.workspaceId)).orderBy(asc(statusStatements.position));
  return rows.map((r) => ({ key: r.key, title: r.title, bodyMd: r.bodyMd, position: r.position, updatedAt: toIso(r.updatedAt) }));
}

const day = (d: unknown) => (d ? String(d instanceof Date ? d.toISOString() : d).slice(0, 10) : null);
const upgradeView = (u: typeof networkUpgrades.$inferSelect) => ({
  id: u.id, serviceAreaId: u.serviceAreaId, title: u.title, description: u.description, status: u.status, plannedFor: day(u.plannedFor), doneAt: day(u.doneAt),
});

/** Adds or changes a network upgrade on the roadmap of an area (supervisors). */
export async function upsertNetworkUpgrade({ ctx, input }: { ctx: Ctx; input: z.input<typeof UpsertUpgradeInput> }) {
  authorize(ctx, 'status:write');
  const data = parseInput(UpsertUpgradeInput, input);
  return withTransaction(ctx, async (tx) => {
    await assertAreas(tx, [data.serviceAreaId], 'serviceAreaId');
    const values = { serviceAreaId: data.serviceAreaId, title: data.title, description: data.description, status: data.status, plannedFor: data.plannedFor ?? null, doneAt: data.doneAt ?? null, updatedAt: new Date() };
    let row;
    if (data.id) {
      [row] = await tx.db.update(networkUpgrades).set(values).where(and(eq(networkUpgrades.workspaceId, ctx.workspaceId), eq(networkUpgrades.id, data.id))).returning();
      if (!row) throw notFound('Network upgrade');
    } else {
      [row] = await tx.db.insert(networkUpgrades).values({ workspaceId: ctx.workspaceId, id: newId(), ...values }).returning();
    }
    await audit(tx, { action: 'status.upgrade_saved', entityType: 'network_upgrade', entityId: row.id, after: values });
    emit(tx, 'status.changed', { data: { what: 'roadmap' } });
    return upgradeView(row);
  });
}

export async function listNetworkUpgrades({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'status:read');
  return (await ctx.db.select().from(networkUpgrades).where(eq(networkUpgrades.workspaceId, ctx.workspaceId)).orderBy(asc(networkUpgrades.plannedFor))).map(upgradeView);
}
