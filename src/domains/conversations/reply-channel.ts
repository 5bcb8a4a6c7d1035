import { and, eq } from 'drizzle-orm';
import { customers, customerIdentities, type ChannelKind, type IdentityKind } from '../../db/schema/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import type { ConversationRow } from './views.ts';

/** The identity a reply on each channel needs: no identity, no way to reach the customer there. */
const reachBy: Partial<Record<ChannelKind, IdentityKind[]>> = {
  email: ['email'], sms: ['phone'], whatsapp: ['whatsapp', 'phone'], telegram: ['telegram'], messenger: ['messenger'], social: ['social'], voice: ['phone'],
};

/**
 * Where an agent's reply goes when the agent names no channel: where the customer last wrote,
 * unless the customer prefers another channel they can be reached on, or asked not to be contacted
 * on that one.
 */
export async function replyChannel(ctx: Ctx, conv: ConversationRow): Promise<{ channel: ChannelKind; channelId: string | null }> {
  const [c] = await ctx.db.select({ prefs: customers.channelPrefs }).from(customers)
    .where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, conv.customerId)));
  const preferred = c?.prefs.preferred as ChannelKind | undefined;
  const avoid = new Set(c?.prefs.doNotContact ?? []);
  const here = { channel: conv.channel, channelId: conv.channelId };
  if ((!preferred || preferred === conv.channel) && !avoid.has(conv.channel)) return here;
  if (preferred && preferred !== conv.channel && !avoid.has(preferred) && reachBy[preferred]) {
    const kinds = reachBy[preferred]!;
    const ids = await ctx.db.select({ kind: customerIdentities.kind }).from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, ctx.workspaceId), eq(customerIdentities.customerId, conv.customerId)));
    if (ids.some((i) => kinds.includes(i.kind))) return { channel: preferred, channelId: null };
  }
  return here;
}
