import { and, asc, eq, sql } from 'drizzle-orm';
import { contactReasons, reasonExamples } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { UpsertReasonInput } from './understanding.schemas.ts';
import type { z } from '@hono/zod-openapi';

export type ReasonView = { key: string; name: string; description: string; position: number; archived: boolean; examples: number };

/** The workspace's contact reasons in their order, each with how many examples teach it. */
export async function listReasons({ ctx, includeArchived = false }: { ctx: Ctx; includeArchived?: boolean }): Promise<ReasonView[]> {
  authorize(ctx, 'conversations:read');
  const rows = await ctx.db.select({
    key: contactReasons.key, name: contactReasons.name, description: contactReasons.description, position: contactReasons.position, archived: contactReasons.archived,
    examples: sql<number>`(select count(*)::int from reason_examples e where e.workspace_id = ${contactReasons.workspaceId} and e.reason = ${contactReasons.key})`,
  }).from(contactReasons)
    .where(and(eq(contactReasons.workspaceId, ctx.workspaceId), includeArchived ? undefined : eq(contactReasons.archived, false)))
    .orderBy(asc(contactReasons.position), asc(contactReasons.key));
  return rows.map((r) => ({ ...r, examples: Number(r.examples) }));
}

/**
 * Creates or changes a contact reason (admins), adding any seed examples given. The model learns
 * a new reason, or new examples, at its next retrain.
 */
export async function upsertReason({ ctx, input }: { ctx: Ctx; input: z.input<typeof UpsertReasonInput> }): Promise<ReasonView> {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(UpsertReasonInput, input);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(contactReasons).where(and(eq(contactReasons.workspaceId, ctx.workspaceId), eq(contactReasons.key, data.key))).for('update');
    const values = {
      name: data.name, description: data.description ?? before?.description ?? '', position: data.position ?? before?.position ?? 0,
      archived: data.archived ?? before?.archived ?? false,
    };
    await tx.db.insert(contactReasons).values({ workspaceId: ctx.workspaceId, key: data.key, ...values })
      .onConflictDoUpdate({ target: [contactReasons.workspaceId, contactReasons.key], set: values });
    await addSeedExamples(tx, data.key, data.examples ?? []);
    await audit(tx, { action: before ? 'reason.updated' : 'reason.created', entityType: 'contact_reason', entityId: data.key, before: before ?? null, after: { ...values, addedExamples: data.examples?.length ?? 0 } });
    emit(tx, 'reasons.taxonomy_changed', { data: { key: data.key } });
    const [view] = (await listReasons({ ctx: tx, includeArchived: true })).filter((r) => r.key === data.key);
    return view;
  });
}

export async function addSeedExamples(ctx: Ctx, reason: string, texts: string[]): Promise<void> {
  if (!texts.length) return;
  const now = Date.now();
  await ctx.db.insert(reasonExamples).values(texts.map((text, i) => ({
    workspaceId: ctx.workspaceId, id: newId(now + i), reason, text, source: 'seed' as const, createdAt: new Date(now + i),
  })));
}
