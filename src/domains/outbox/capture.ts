import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { customers, customerIdentities, outboxMessages, workspaces } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { emit } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { toIso } from '../../platform/pagination.ts';

export type OutboxInput = { channel: string; to: string; subject?: string | null; bodyText: string; headers?: Record<string, string>; source: string; refId?: string | null };
export type OutboxRow = typeof outboxMessages.$inferSelect;

/**
 * Whether this workspace keeps what it cannot send in its outbox instead of failing it: the demo
 * does (it has no relay or providers), any other workspace when `settings.outbox.fallback` is on.
 */
export async function outboxFallback(ctx: Ctx): Promise<boolean> {
  const [w] = await ctx.db.select({ isDemo: workspaces.isDemo, settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return !!w && (w.isDemo || w.settings.outbox?.fallback === true);
}

/** Keeps one outgoing message, whole, in the workspace's outbox; returns its id. */
export async function captureInOutbox(ctx: Ctx, input: OutboxInput): Promise<string> {
  const id = newId();
  await ctx.db.insert(outboxMessages).values({
    workspaceId: ctx.workspaceId, id, channel: input.channel, to: input.to, subject: input.subject ?? null, bodyText: input.bodyText,
    headers: input.headers ?? {}, source: input.source, refId: input.refId ?? null,
  });
  emit(ctx, 'outbox.captured', { data: { id, channel: input.channel, source: input.source } });
  return id;
}

const identityFor: Record<string, string[]> = { email: ['email'], sms: ['phone'], voice: ['phone'], whatsapp: ['whatsapp', 'phone'], telegram: ['telegram'], messenger: ['messenger'], social: ['social'] };

/** The address a customer has on a channel (their email, phone, chat id …), or a note saying there is none. */
export async function customerAddress(ctx: Ctx, customerId: string, channel: string): Promise<string> {
  const [c] = await ctx.db.select({ email: customers.email, phone: customers.phone }).from(customers).where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, customerId)));
  if (channel === 'email' && c?.email) return c.email;
  if ((channel === 'sms' || channel === 'voice') && c?.phone) return c.phone;
  const kinds = identityFor[channel] ?? [];
  const ids = await ctx.db.select({ kind: customerIdentities.kind, value: customerIdentities.value }).from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), eq(customerIdentities.customerId, customerId)));
  const hit = kinds.map((k) => ids.find((i) => i.kind === k)).find(Boolean);
  return hit?.value ?? `customer:${customerId}`;
}

export const outboxView = (r: OutboxRow) => ({
  id: r.id, channel: r.channel, to: r.to, subject: r.subject, bodyText: r.bodyText, headers: r.headers, source: r.source, refId: r.refId, createdAt: toIso(r.createdAt),
});

/** The outbox, newest first (admins): everything the workspace would have sent where nothing was configured to send it. */
export async function listOutbox({ ctx, input = {} }: { ctx: Ctx; input?: { limit?: number; before?: string; channel?: string; to?: string } }) {
  authorize(ctx, 'workspace:admin');
  const where: SQL[] = [eq(outboxMessages.workspaceId, ctx.workspaceId)];
  if (input.channel) where.push(eq(outboxMessages.channel, input.channel));
  if (input.to) where.push(eq(outboxMessages.to, input.to));
  if (input.before) where.push(lt(outboxMessages.id, input.before));
  const limit = Math.min(200, Math.max(1, input.limit ?? 50));
  const rows = await ctx.db.select().from(outboxMessages).where(and(...where)).orderBy(desc(outboxMessages.id)).limit(limit + 1);
  return { data: rows.slice(0, limit).map(outboxView), nextCursor: rows.length > limit ? rows[limit - 1].id : null };
}
