import { and, eq, isNull } from 'drizzle-orm';
import { customers } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { audit } from '../../platform/audit.ts';

/**
 * Keeps the address a visitor gave as the customer's contact email when the record has none,
 * marked as claimed (`emailClaimed`: shown as unverified to agents and in the API). It is not
 * linked as an email identity: the hash verifies the user id, not the address, and an identity
 * would route that address's mail (and so its conversations) to whoever typed it; nor is the
 * record ever merged on it into the customer who owns that address.
 */
export async function rememberContactEmail(ctx: Ctx, customerId: string, email: string): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.update(customers).set({ email, emailClaimed: true, updatedAt: new Date() })
      .where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, customerId), isNull(customers.email))).returning({ id: customers.id });
    if (row) await audit(tx, { action: 'customer.contact_email_set', entityType: 'customer', entityId: customerId, after: { email, source: 'chat', verified: false } });
  });
}
