import type { Ctx } from '../../platform/ctx.ts';
import type { IdentityKind } from '../../db/schema/index.ts';
import { getCustomer } from '../../domains/customers/index.ts';

/** The newest identity of a kind (and value prefix) a customer has, the one most likely in use now; null when none. */
export const newestIdentity = <T extends { kind: string; value: string }>(ids: T[], kind: string, prefix = '') =>
  [...ids].reverse().find((i) => i.kind === kind && i.value.startsWith(prefix))?.value ?? null;

/**
 * The address a reply goes to: the customer's newest identity of the first kind in `kinds` that
 * they have (following a merge to the surviving customer); null when none.
 */
export async function recipientOf(ctx: Ctx, customerId: string, kinds: IdentityKind[]): Promise<string | null> {
  const customer = await getCustomer({ ctx, id: customerId });
  for (const kind of kinds) {
    const value = newestIdentity(customer.identities, kind);
    if (value) return value;
  }
  return null;
}
