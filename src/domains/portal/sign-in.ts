import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import { customerIdentities, customers, portalSignIns } from '../../db/schema/index.ts';
import { systemCtx, type Ctx } from '../../platform/ctx.ts';
import { AppError, parseInput } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { hashSecret, newSecret, secretMatches } from '../../platform/secrets.ts';
import { captureInOutbox, outboxFallback } from '../outbox/index.ts';
import { findWorkspaceBySlug } from '../workspaces/index.ts';
import { normaliseIdentity } from '../customers/customers.schemas.ts';
import { recordTimeline } from '../customers/record-timeline.ts';
import { createCustomerSession } from './customer-sessions.ts';
import { SignInStartInput, SignInVerifyInput } from './portal.schemas.ts';

export const CODE_TTL_MS = 10 * 60_000;
export const LINK_TTL_MS = 24 * 60 * 60_000;
export const MAX_CODE_TRIES = 5;
const UUID = /^[0-9a-f-]{36}$/;

async function workspaceCtx(app: Platform, slug: string): Promise<Ctx> {
  const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug });
  if (!ws) throw new AppError('not_found', 'No such workspace');
  return systemCtx(app, ws.id, 'portal-sign-in');
}

/** The canonical form of what the customer typed: an email, or a phone number in E.164. */
export function signInAddress(raw: string): { kind: 'email' | 'phone'; value: string } {
  const v = raw.trim();
  if (v.includes('@')) return { kind: 'email', value: normaliseIdentity('email', v, 'address') };
  return { kind: 'phone', value: normaliseIdentity('phone', v, 'address') };
}

/** The customer an address belongs to in this workspace (their email or phone, or a linked identity), or null. */
export async function customerByAddress(ctx: Ctx, addr: { kind: 'email' | 'phone'; value: string }): Promise<string | null> {
  const col = addr.kind === 'email' ? customers.email : customers.phone;
  const [direct] = await ctx.db.select({ id: customers.id }).from(customers)
    .where(and(eq(customers.workspaceId, ctx.workspaceId), sql`lower(${col}) = ${addr.value.toLowerCase()}`, isNull(customers.mergedIntoId))).limit(1);
  if (direct) return direct.id;
  const kinds = addr.kind === 'email' ? [['email', addr.value]] : [['phone', addr.value], ['whatsapp', addr.value.replace(/^\+/, '')]];
  for (const [kind, value] of kinds) {
    const [hit] = await ctx.db.select({ id: customerIdentities.customerId }).from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), eq(customerIdentities.kind, kind as 'email'), eq(customerIdentities.value, value)));
    if (hit) return hit.id;
  }
  return null;
}

/**
 * Keeps a private message (a sign-in code, a link) where the customer's channel would carry it.
 * With no relay configured (the demo), it lands in the workspace outbox, readable by admins, and
 * in the server log; a workspace without either cannot send codes (use a staff-made link).
 */
async function deliverPrivately(ctx: Ctx, m: { channel: string; to: string; subject: string; bodyText: string; refId: string }): Promise<void> {
  if (!(await outboxFallback(ctx))) throw new AppError('unavailable', `No relay is configured to send sign-in codes by ${m.channel}; ask support for a sign-in link`);
  await captureInOutbox(ctx, { ...m, source: 'portal-sign-in' });
  ctx.app.log.info({ workspaceId: ctx.workspaceId, channel: m.channel, to: m.to }, `outbox: ${m.subject} → ${m.to}: ${m.bodyText.split('\n').filter(Boolean).join(' | ')}`);
}

const publicBase = () => (process.env.CANDOR_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 4000}`).replace(/\/$/, '');
export const signInUrl = (slug: string, token: string) => `${publicBase()}/portal/sign-in?w=${encodeURIComponent(slug)}&token=${encodeURIComponent(token)}`;

/**
 * Sends a 6-digit code (valid 10 minutes, 5 tries) to the address, and by email a sign-in link
 * too. Answers the same whether or not the address belongs to a customer, so it tells a stranger
 * nothing. Rate limits per address and per IP are the caller's (the route's).
 */
export async function startSignIn({ app, input }: { app: Platform; input: unknown }) {
  const data = parseInput(SignInStartInput, input);
  const ctx = await workspaceCtx(app, data.workspace);
  const addr = signInAddress(data.address);
  const channel = addr.kind === 'email' ? 'email' : (data.channel === 'whatsapp' ? 'whatsapp' : 'sms');
  const answer = { sent: true as const, channel, expiresInSeconds: CODE_TTL_MS / 1000, message: `If ${addr.value} belongs to a customer, a 6-digit code is on its way by ${channel}. It works once, for 10 minutes.` };
  const customerId = await customerByAddress(ctx, addr);
  if (!customerId) return answer;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = newId();
  const link = addr.kind === 'email' ? newSecret() : null;
  await ctx.db.insert(portalSignIns).values({
    workspaceId: ctx.workspaceId, id, customerId, channel, address: addr.value, codeHash: hashSecret(`${id}:${code}`),
    linkHash: link ? hashSecret(link) : null, expiresAt: new Date(Date.now() + CODE_TTL_MS),
  });
  const lines = [`Your sign-in code is ${code}`, '', 'It works once, for 10 minutes. If you did not ask for it, ignore this message.'];
  if (link) lines.push('', `Or sign in with this link: ${signInUrl(data.workspace, `${ctx.workspaceId}.${id}.${link}`)}`);
  await deliverPrivately(ctx, { channel, to: addr.value, subject: 'Your sign-in code', bodyText: lines.join('\n'), refId: id });
  return answer;
}

const wrong = () => new AppError('unauthenticated', 'That code is wrong or has expired');

/**
 * Checks a code against the newest live sign-in for the address: each wrong try counts, the 5th
 * kills the code; the right one is spent at once (a second use fails) and starts a session.
 */
export async function verifySignInCode({ app, input }: { app: Platform; input: unknown }) {
  const data = parseInput(SignInVerifyInput, input);
  const ctx = await workspaceCtx(app, data.workspace);
  const addr = signInAddress(data.address);
  const now = new Date();
  const [row] = await ctx.db.select().from(portalSignIns)
    .where(and(eq(portalSignIns.workspaceId, ctx.workspaceId), eq(portalSignIns.address, addr.value), isNull(portalSignIns.usedAt),
      gt(portalSignIns.expiresAt, now), lt(portalSignIns.attempts, MAX_CODE_TRIES), sql`${portalSignIns.codeHash} is not null`))
    .orderBy(desc(portalSignIns.createdAt)).limit(1);
  if (!row) throw wrong();
  if (!secretMatches(`${row.id}:${data.code}`, row.codeHash!)) {
    const [after] = await ctx.db.update(portalSignIns).set({ attempts: sql`${portalSignIns.attempts} + 1` })
      .where(and(eq(portalSignIns.workspaceId, ctx.workspaceId), eq(portalSignIns.id, row.id))).returning({ attempts: portalSignIns.attempts });
    if (after.attempts >= MAX_CODE_TRIES) throw new AppError('unauthenticated', 'Too many wrong codes: this one no longer works. Ask for a new code.', { codeLocked: true });
    throw new AppError('unauthenticated', `That code is wrong; ${MAX_CODE_TRIES - after.attempts} tries left`, { triesLeft: MAX_CODE_TRIES - after.attempts });
  }
  return spend(ctx, row.id, row.customerId, 'code');
}

/** Redeems a one-time sign-in link's token (`workspace.signIn.secret`): once, before it expires. */
export async function redeemSignInLink({ app, token }: { app: Platform; token: string }) {
  const [workspaceId, id, secret] = token.split('.');
  if (!secret || !UUID.test(workspaceId ?? '') || !UUID.test(id ?? '')) throw new AppError('unauthenticated', 'This sign-in link is not valid');
  const ctx = systemCtx(app, workspaceId, 'portal-sign-in');
  const [row] = await ctx.db.select().from(portalSignIns).where(and(eq(portalSignIns.workspaceId, workspaceId), eq(portalSignIns.id, id)));
  if (!row || !row.linkHash || !secretMatches(secret, row.linkHash) || row.usedAt || row.expiresAt <= new Date()) {
    throw new AppError('unauthenticated', 'This sign-in link has been used or has expired; ask for a new one');
  }
  return spend(ctx, row.id, row.customerId, 'link');
}

async function spend(ctx: Ctx, signInId: string, customerId: string, how: 'code' | 'link') {
  const [used] = await ctx.db.update(portalSignIns).set({ usedAt: new Date() })
    .where(and(eq(portalSignIns.workspaceId, ctx.workspaceId), eq(portalSignIns.id, signInId), isNull(portalSignIns.usedAt))).returning();
  if (!used) throw wrong();
  const session = await createCustomerSession(ctx.app, ctx.workspaceId, customerId);
  await recordTimeline({ ...ctx, actor: { type: 'customer', id: customerId } }, [{
    customerId, kind: 'portal.signed_in', summary: `Signed in to the portal with a one-time ${how} (${used.channel})`, data: { channel: used.channel, how },
  }]);
  return { ...session, workspaceId: ctx.workspaceId, customerId };
}

/**
 * A one-time sign-in URL for a customer, made by staff or a script (`candor portal-link`):
 * valid 24 hours, once. Finds the customer by email or phone.
 */
export async function createSignInLink({ ctx, input }: { ctx: Ctx; input: { customer: string; slug: string } }) {
  if (ctx.actor.type !== 'system' && !(ctx.actor.type === 'agent' && ctx.actor.role === 'admin')) throw new AppError('forbidden', 'Only an admin may make sign-in links');
  const addr = signInAddress(input.customer);
  const customerId = await customerByAddress(ctx, addr);
  if (!customerId) throw new AppError('not_found', `No customer with ${addr.kind} ${addr.value}`);
  const id = newId();
  const secret = newSecret();
  await ctx.db.insert(portalSignIns).values({
    workspaceId: ctx.workspaceId, id, customerId, channel: 'link', address: addr.value, codeHash: null, linkHash: hashSecret(secret),
    expiresAt: new Date(Date.now() + LINK_TTL_MS),
  });
  return { customerId, url: signInUrl(input.slug, `${ctx.workspaceId}.${id}.${secret}`), expiresAt: new Date(Date.now() + LINK_TTL_MS).toISOString() };
}

/** Forgets spent and expired sign-ins of a workspace (they are worth nothing once used). */
export async function sweepSignIns(ctx: Ctx): Promise<void> {
  await ctx.db.delete(portalSignIns).where(and(eq(portalSignIns.workspaceId, ctx.workspaceId), or(lt(portalSignIns.expiresAt, new Date()), sql`${portalSignIns.usedAt} is not null`)));
}
