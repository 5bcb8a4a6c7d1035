import type { Ctx } from '../../platform/ctx.ts';
import type { IdentityKind } from '../../db/schema/index.ts';
import { getCustomer } from '../../domains/customers/index.ts';

/**
 * The address a reply goes to: the customer's most recently linked identity of the first kind
 * in `kinds` that they have (following a merge to the surviving customer); null when none.
 */
export async function recipientOf(ctx: Ctx, customerId: string, kinds: IdentityKind[]): Promise<string | null> {
  const customer = await getCustomer({ ctx, id: customerId });
  for (const kind of kinds) {
    const ids = customer.identities.filter((i) => i.kind === kind);
    if (ids.length) return ids[ids.length - 1].value;
  }
  return null;
}
