import { and, eq } from 'drizzle-orm';
import { attachments, type Attachment } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { notFound } from '../../platform/errors.ts';
import { newId, isUuid } from '../../platform/ids.ts';
import { storageFor, sniffContentType } from '../../platform/storage.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

/** Where an attachment is downloaded from (authorised: the caller must belong to its workspace). */
export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

/** A filename safe to keep and to put in a Content-Disposition header: no paths, no control characters. */
export function safeFilename(name: string | null | undefined, fallback = 'attachment'): string {
  const base = (name ?? '').replace(/^.*[\\/]/, '').replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/**
 * Keeps one inbound file: stores its bytes (over the size limit: FileTooLargeError), sniffs its
 * content type (falling back to the declared one) and records an attachments row. Called inside
 * the transaction that stores the message, so the row and the message commit together.
 */
export async function saveAttachment(ctx: Ctx, input: { filename?: string | null; contentType?: string | null; content: Buffer }): Promise<Attachment> {
  authorize(ctx, 'messages:ingest');
  const blob = await storageFor(ctx.app).put(ctx.workspaceId, input.content);
  const contentType = await sniffContentType(input.content, input.contentType);
  const row = { workspaceId: ctx.workspaceId, id: newId(), filename: safeFilename(input.filename), contentType, size: blob.size, sha256: blob.sha256, storageKey: blob.key };
  await ctx.db.insert(attachments).values(row);
  return { id: row.id, filename: row.filename, contentType, size: row.size, url: attachmentUrl(row.id) };
}

/**
 * An attachment's metadata and bytes, for a caller of the same workspace (404 otherwise, also
 * when the file is missing from the store).
 */
export async function getAttachment({ ctx, id }: { ctx: Ctx; id: string }): Promise<{ attachment: AttachmentRow; body: ReadableStream<Uint8Array> }> {
  authorize(ctx, 'conversations:read');
  if (!isUuid(id)) throw notFound('Attachment');
  const [row] = await ctx.db.select().from(attachments).where(and(eq(attachments.workspaceId, ctx.workspaceId), eq(attachments.id, id)));
  if (!row) throw notFound('Attachment');
  try {
    return { attachment: row, body: await storageFor(ctx.app).open(row.storageKey) };
  } catch (err) {
    ctx.app.log.error({ err, attachmentId: id }, 'attachment file missing from the store');
    throw notFound('Attachment');
  }
}
