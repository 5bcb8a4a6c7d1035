import { isUuid } from '../../platform/ids.ts';
import { and, eq, lt, desc, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { decodeCursor, toPage, toIso } from '../../platform/pagination.ts';
import { listDeadJobs, retryJob } from '../../platform/jobs.ts';
import { notFound } from '../../platform/errors.ts';

/** The audit log, newest first, optionally for one entity. */
export async function listAuditLog({ ctx, input }: { ctx: Ctx; input: { entityType?: string; entityId?: string; limit?: number; cursor?: string } }) {
  authorize(ctx, 'audit:read');
  const limit = Math.min(input.limit ?? 50, 200);
  const conds: SQL[] = [eq(auditLog.workspaceId, ctx.workspaceId)];
  if (input.entityType) conds.push(eq(auditLog.entityType, input.entityType));
  if (input.entityId) conds.push(eq(auditLog.entityId, input.entityId));
  const cursor = decodeCursor(input.cursor);
  if (cursor) conds.push(lt(auditLog.id, cursor.id));
  const rows = await ctx.db.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: 0, id: r.id }));
  return { data: page.data.map((r) => ({ ...r, at: toIso(r.at) })), nextCursor: page.nextCursor };
}

/** Jobs that used up their retries: visible, and retryable by an admin. */
export async function listFailedJobs({ ctx }: { ctx: Ctx }) {
  authorize(ctx, 'workspace:admin');
  return (await listDeadJobs(ctx)).map((j) => ({ id: j.id, queue: j.queue, payload: j.payload, attempts: j.attempts, lastError: j.lastError, createdAt: toIso(j.createdAt), finishedAt: j.finishedAt ? toIso(j.finishedAt) : null }));
}

export async function retryFailedJob({ ctx, id }: { ctx: Ctx; id: string }) {
  authorize(ctx, 'workspace:admin');
  if (!isUuid(id) || !(await retryJob(ctx, id))) throw notFound('Dead job');
}
