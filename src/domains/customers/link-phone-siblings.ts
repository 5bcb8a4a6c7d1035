import { and, eq, inArray, or } from 'drizzle-orm';
import { customerIdentities } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { newId } from '../../platform/ids.ts';

/** The same number as the other phone-based identity kind: WhatsApp's digits ↔ the phone's E.164. */
export function phoneSibling(kind: string, value: string): { kind: 'phone' | 'whatsapp'; value: string } | null {
  if (kind === 'whatsapp') return { kind: 'phone', value: `+${value}` };
  if (kind === 'phone') return { kind: 'whatsapp', value: value.replace(/^\+/, '') };
  return null;
}

/**
 * One number on WhatsApp and on SMS is one customer: for each new WhatsApp or phone identity
 * whose number the customer already has as the other kind, the identity is created for that
 * customer (an identity per channel kind, linked by the number), so the message that follows
 * lands on them and the agent sees both channels in one story. Known identities are left alone.
 */
export async function linkPhoneSiblings({ ctx, input }: { ctx: Ctx; input: { kind: string; value: string }[] }): Promise<number> {
  authorize(ctx, 'messages:ingest');
  const wanted = input.map((i) => ({ ...i, sibling: phoneSibling(i.kind, i.value) })).filter((i) => i.sibling);
  if (!wanted.length) return 0;
  const values = [...new Set(wanted.flatMap((i) => [i.value, i.sibling!.value]))];
  const rows = await ctx.db.select({ kind: customerIdentities.kind, value: customerIdentities.value, customerId: customerIdentities.customerId }).from(customerIdentities)
    .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), or(inArray(customerIdentities.kind, ['phone', 'whatsapp'])), inArray(customerIdentities.value, values)));
  const owner = new Map(rows.map((r) => [`${r.kind}:${r.value}`, r.customerId]));
  const add = wanted.filter((i) => !owner.has(`${i.kind}:${i.value}`) && owner.has(`${i.sibling!.kind}:${i.sibling!.value}`))
    .map((i) => ({ workspaceId: ctx.workspaceId, id: newId(), customerId: owner.get(`${i.sibling!.kind}:${i.sibling!.value}`)!, kind: i.kind as 'phone' | 'whatsapp', value: i.value }));
  if (!add.length) return 0;
  const inserted = await ctx.db.insert(customerIdentities).values(add).onConflictDoNothing().returning({ id: customerIdentities.id });
  return inserted.length;
}
