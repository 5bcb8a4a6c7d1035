import { contactReasons } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { addSeedExamples } from './taxonomy.ts';
import { RETRAIN_QUEUE } from './retrain-reasons.ts';

export type SeedReason = { key: string; name: string; description: string; examples: string[] };

/**
 * Gives a new workspace its taxonomy and seed examples in the caller's transaction, and queues
 * the training of its first model (the labeller waits for it).
 */
export async function seedReasonTaxonomy(ctx: Ctx, reasons: SeedReason[]): Promise<void> {
  await ctx.db.insert(contactReasons).values(reasons.map((r, i) => ({ workspaceId: ctx.workspaceId, key: r.key, name: r.name, description: r.description, position: i })));
  for (const r of reasons) await addSeedExamples(ctx, r.key, r.examples);
  await enqueueJob(ctx, { queue: RETRAIN_QUEUE, payload: { first: true }, maxAttempts: 3 });
}
