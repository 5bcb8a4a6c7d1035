import { and, eq, inArray } from 'drizzle-orm';
import { attachments, type Attachment } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { isUuid } from '../../platform/ids.ts';
import { attachmentUrl } from '../channels/attachments.ts';

/**
 * A message's attachments as Candor stores them: one that names a file stored in this workspace
 * takes its name, type, size and download link from the stored row; any other keeps the name,
 * type and size the caller gave and has no link. A `url` from the caller is never kept, so a
 * message cannot point an agent or an API consumer at a link of someone else's choosing.
 * One query for all the lists (a batch's messages), none when no message has attachments.
 */
export async function linkAttachments(ctx: Ctx, lists: (Attachment[] | undefined)[]): Promise<(Attachment[] | undefined)[]> {
  const ids = [...new Set(lists.flatMap((l) => (l ?? []).map((a) => a.id)).filter((id) => isUuid(id)))];
  if (!lists.some((l) => l?.length)) return lists;
  const stored = new Map(ids.length ? (await ctx.db.select({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size })
    .from(attachments).where(and(eq(attachments.workspaceId, ctx.workspaceId), inArray(attachments.id, ids)))).map((r) => [r.id, r]) : []);
  return lists.map((l) => l?.map((a): Attachment => {
    const s = stored.get(a.id);
    return s ? { ...s, url: attachmentUrl(s.id) } : { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size };
  }));
}

/** What a reader sees of stored attachments: a link only if it is Candor's own route for that attachment (rows written before links were built here included). */
export const attachmentsView = (list: Attachment[]): Attachment[] =>
  list.map((a) => (a.url === undefined || a.url === attachmentUrl(a.id) ? a : { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size }));
