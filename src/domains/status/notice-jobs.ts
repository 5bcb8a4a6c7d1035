import { enqueueJob } from '../../platform/jobs.ts';
import type { Ctx } from '../../platform/ctx.ts';
import type { IncidentRow, UpdateRow } from './views.ts';

/** The job that tells affected customers of an update (src/domains/status/notify-customers.ts). */
export const NOTIFY_QUEUE = 'status.notify';
/** The job that tells the page's public subscribers (email, webhook). */
export const SUBSCRIBERS_QUEUE = 'status.subscribers';

/** Queues the notices of a published update, in the transaction that published it (the outbox rule). */
export async function enqueueNotices(ctx: Ctx, incident: IncidentRow, update: UpdateRow): Promise<void> {
  if (!incident.published || !update.notify) return;
  const payload = { incidentId: incident.id, updateId: update.id };
  await enqueueJob(ctx, { queue: NOTIFY_QUEUE, payload, maxAttempts: 8 });
  await enqueueJob(ctx, { queue: SUBSCRIBERS_QUEUE, payload, maxAttempts: 8 });
}
