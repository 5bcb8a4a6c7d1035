import type { Ctx } from '../../platform/ctx.ts';
import { FileTooLargeError } from '../../platform/storage.ts';
import { saveAttachment, safeFilename, quarantineInbound, type ChannelRow } from '../../domains/channels/index.ts';
import type { Attachment } from '../../db/schema/index.ts';
import type { EmailFile } from './parse-email.ts';

/** A message lists at most this many attachments (the message schema's limit). */
export const MAX_ATTACHMENTS = 20;

/**
 * Stores an email's files as attachments (inside the caller's transaction). Files over the size
 * limit, or past the 20th, are not stored: `notes` says so, for the message text. `cidUrls`
 * maps each stored file's Content-ID to its download URL, for inline images in the HTML.
 */
export async function keepFiles(ctx: Ctx, files: EmailFile[]): Promise<{ attachments: Attachment[]; notes: string[]; cidUrls: Map<string, string> }> {
  const attachments: Attachment[] = [];
  const notes: string[] = [];
  const cidUrls = new Map<string, string>();
  for (const [n, f] of files.entries()) {
    const name = safeFilename(f.filename, `attachment-${n + 1}`);
    if (attachments.length >= MAX_ATTACHMENTS) { notes.push(`[${name} was not kept: a message keeps at most ${MAX_ATTACHMENTS} attachments]`); continue; }
    try {
      const a = await saveAttachment(ctx, { filename: name, contentType: f.contentType, content: f.content });
      attachments.push(a);
      if (f.contentId) cidUrls.set(f.contentId, a.url!);
    } catch (err) {
      if (!(err instanceof FileTooLargeError)) throw err;
      notes.push(`[${name} (${mb(err.size)}) was not kept: files over ${mb(err.limit)} are refused]`);
    }
  }
  return { attachments, notes, cidUrls };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Keeps a raw message an admin should look at (unreadable, or dropped as automated) in the
 * quarantine list. Bytes that are not valid UTF-8 are kept as base64, so nothing is mangled.
 */
export async function quarantineMime(ctx: Ctx, channel: Pick<ChannelRow, 'id'>, raw: Buffer, reason: string): Promise<string> {
  let payload: string;
  let contentType = 'message/rfc822';
  try {
    payload = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    if (payload.includes('\u0000')) throw new Error('NUL');
  } catch {
    payload = raw.toString('base64');
    contentType = 'message/rfc822; transfer-encoding=base64';
  }
  return quarantineInbound(ctx, { channelId: channel.id, kind: 'email', reason, contentType, payload });
}
