import { checkChannelSecrets } from './channel-secrets.ts';
import { and, eq, desc, lt, type SQL } from 'drizzle-orm';
import { channels, inboundQuarantine, type ChannelKind } from '../../db/schema/index.ts';
import { newId, isUuid } from '../../platform/ids.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound, parseInput } from '../../platform/errors.ts';
import { decodeCursor, toPage, toIso } from '../../platform/pagination.ts';
import { CreateChannelInput, UpdateChannelInput } from './channels.schemas.ts';
import type { z } from '@hono/zod-openapi';

export type ChannelRow = typeof channels.$inferSelect;

/** What the API shows of a channel: never its secrets, only their names. */
export const channelView = (c: ChannelRow) => ({
  id: c.id, kind: c.kind, name: c.name, config: c.config, secretNames: Object.keys(c.secrets).sort(), active: c.active,
  webhookPath: `/hooks/${c.workspaceId}/${c.id}`, createdAt: toIso(c.createdAt),
});

/** Configures a channel (admins). */
export async function createChannel({ ctx, input }: { ctx: Ctx; input: z.input<typeof CreateChannelInput> }) {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(CreateChannelInput, input);
  checkChannelSecrets(data.kind, data.secrets);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(channels).values({ workspaceId: ctx.workspaceId, id: newId(), ...data }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', `A ${data.kind} channel named ${data.name} exists`, { fields: [{ path: 'name', message: 'taken' }] });
    await audit(tx, { action: 'channel.created', entityType: 'channel', entityId: row.id, after: channelView(row) });
    return channelView(row);
  });
}

export async function updateChannel({ ctx, id, input }: { ctx: Ctx; id: string; input: z.input<typeof UpdateChannelInput> }) {
  authorize(ctx, 'workspace:admin');
  const data = parseInput(UpdateChannelInput, input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadChannel(tx, id);
    if (data.secrets) checkChannelSecrets(before.kind, { ...before.secrets, ...data.secrets });
    const [after] = await tx.db.update(channels).set({
      ...data, secrets: data.secrets ? { ...before.secrets, ...data.secrets } : before.secrets, updatedAt: new Date(),
    }).where(and(eq(channels.workspaceId, ctx.workspaceId), eq(channels.id, before.id))).returning();
    await audit(tx, { action: 'channel.updated', entityType: 'channel', entityId: id, before: channelView(before), after: channelView(after) });
    return channelView(after);
  });
}

export async function listChannels({ ctx, kind }: { ctx: Ctx; kind?: ChannelKind }) {
  authorize(ctx, 'conversations:read');
  const conds: SQL[] = [eq(channels.workspaceId, ctx.workspaceId)];
  if (kind) conds.push(eq(channels.kind, kind));
  return (await ctx.db.select().from(channels).where(and(...conds)).orderBy(channels.kind, channels.name)).map(channelView);
}

/** The full row, secrets included: for adapters (system actor) only. */
export async function loadChannel(ctx: Ctx, id: string): Promise<ChannelRow> {
  if (!isUuid(id)) throw notFound('Channel');
  const [row] = await ctx.db.select().from(channels).where(and(eq(channels.workspaceId, ctx.workspaceId), eq(channels.id, id)));
  if (!row) throw notFound('Channel');
  return row;
}

/** The channel a reply leaves by: the one named, else the first active channel of the kind. */
export async function channelForReply(ctx: Ctx, kind: ChannelKind, id: string | null): Promise<ChannelRow | null> {
  if (id) {
    const [row] = await ctx.db.select().from(channels).where(and(eq(channels.workspaceId, ctx.workspaceId), eq(channels.id, id), eq(channels.active, true)));
    if (row) return row;
  }
  const [first] = await ctx.db.select().from(channels).where(and(eq(channels.workspaceId, ctx.workspaceId), eq(channels.kind, kind), eq(channels.active, true))).orderBy(channels.createdAt).limit(1);
  return first ?? null;
}

/** Keeps an inbound item Candor could not read, so nothing accepted is lost and an admin can look. */
export async function quarantineInbound(ctx: Ctx, input: { channelId?: string | null; kind: string; reason: string; contentType?: string | null; payload: string }) {
  const id = newId();
  // PostgreSQL text cannot hold NUL: such a payload is kept as base64 of its UTF-8, and says so.
  const nul = input.payload.includes('\u0000');
  const payload = nul ? Buffer.from(input.payload, 'utf8').toString('base64') : input.payload;
  const contentType = nul ? `${input.contentType ?? 'application/octet-stream'}; transfer-encoding=base64` : input.contentType ?? null;
  await ctx.db.insert(inboundQuarantine).values({ workspaceId: ctx.workspaceId, id, channelId: input.channelId ?? null, kind: input.kind,
    reason: input.reason.replace(/\u0000/g, '\\0').slice(0, 1000), contentType, payload: payload.slice(0, 5_000_000) });
  return id;
}

export async function listQuarantine({ ctx, input }: { ctx: Ctx; input: { limit?: number; cursor?: string } }) {
  authorize(ctx, 'workspace:admin');
  const limit = Math.min(input.limit ?? 50, 200);
  const conds: SQL[] = [eq(inboundQuarantine.workspaceId, ctx.workspaceId)];
  const cursor = decodeCursor(input.cursor);
  if (cursor) conds.push(lt(inboundQuarantine.id, cursor.id));
  const rows = await ctx.db.select().from(inboundQuarantine).where(and(...conds)).orderBy(desc(inboundQuarantine.id)).limit(limit + 1);
  const page = toPage(rows, limit, (r) => ({ k: 0, id: r.id }));
  return { data: page.data.map((r) => ({ ...r, receivedAt: toIso(r.receivedAt) })), nextCursor: page.nextCursor };
}
