import { parseInput } from '../../platform/errors.ts';
import { customers, customerIdentities, type IdentityKind } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { authorize } from '../../platform/authz.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { AppError } from '../../platform/errors.ts';
import { CreateCustomerInput, normaliseIdentity } from './customers.schemas.ts';
import { customerView, type CustomerView } from './get-customer.ts';
import { recordTimeline } from './record-timeline.ts';
import type { z } from '@hono/zod-openapi';

/**
 * Creates a customer with their identities. Email and phone given as fields become identities too.
 * An identity already held by another customer is a conflict naming that identity.
 */
export async function createCustomer({ ctx, input }: { ctx: Ctx; input: z.input<typeof CreateCustomerInput> }): Promise<CustomerView> {
  authorize(ctx, 'customers:write');
  const data = parseInput(CreateCustomerInput, input);
  const ids = new Map<string, { kind: IdentityKind; value: string; verified: boolean }>();
  const add = (kind: IdentityKind, value: string, verified: boolean, field: string) => {
    const v = normaliseIdentity(kind, value, field);
    ids.set(`${kind}:${v}`, { kind, value: v, verified });
  };
  if (data.email) add('email', data.email, false, 'email');
  if (data.phone) add('phone', data.phone, false, 'phone');
  data.identities.forEach((i, n) => add(i.kind, i.value, i.verified ?? false, `identities.${n}.value`));
  const id = newId();
  const now = new Date();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.insert(customers).values({
      workspaceId: ctx.workspaceId, id, name: data.name ?? null, email: data.email ? normaliseIdentity('email', data.email) : null,
      phone: data.phone ?? null, language: data.language, timezone: data.timezone ?? null, verified: data.verified ?? false,
      consent: data.consent ?? { marketing: false, surveys: true }, channelPrefs: data.channelPrefs ?? {},
      externalRef: data.externalRef ?? null, createdAt: now, updatedAt: now,
    }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', `A customer with externalRef ${data.externalRef} exists`, { fields: [{ path: 'externalRef', message: 'taken' }] });
    const identityRows = [...ids.values()].map((i) => ({ workspaceId: ctx.workspaceId, id: newId(), customerId: id, ...i, createdAt: now }));
    if (identityRows.length) {
      const inserted = await tx.db.insert(customerIdentities).values(identityRows).onConflictDoNothing().returning({ kind: customerIdentities.kind, value: customerIdentities.value });
      if (inserted.length < identityRows.length) {
        const taken = identityRows.filter((r) => !inserted.some((i) => i.kind === r.kind && i.value === r.value));
        throw new AppError('conflict', `Identity ${taken[0].kind} ${taken[0].value} belongs to another customer`, { fields: taken.map((t) => ({ path: 'identities', message: `${t.kind}:${t.value} taken` })) });
      }
    }
    const view = customerView(row, identityRows);
    await audit(tx, { action: 'customer.created', entityType: 'customer', entityId: id, after: view });
    await recordTimeline(tx, [{ customerId: id, kind: 'customer.created', summary: `Customer record created${data.name ? ` for ${data.name}` : ''}` }]);
    emit(tx, 'customer.created', { customerId: id });
    return view;
  });
}
