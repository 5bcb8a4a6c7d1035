import type { Ctx } from '../../platform/ctx.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { asSystem, mySubscription, selfOf, subscriptionOut } from './self.ts';

/** Who I am: the customer, their workspace, their subscription, and whether an assistant is asking (with which grant). */
export async function getMe({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx);
  const sys = asSystem(ctx);
  const [c, ws, sub] = await Promise.all([loadCustomer(sys, customerId), getWorkspace({ ctx: sys }), mySubscription(sys, customerId)]);
  const a = ctx.actor;
  return {
    customer: { id: c.id, name: c.name, email: c.email, phone: c.phone, language: c.language },
    workspace: { id: ws.id, slug: ws.slug, name: ws.name },
    subscription: sub ? subscriptionOut(sub) : null,
    actor: a.type === 'assistant'
      ? { type: 'assistant' as const, grantId: a.id, grantName: a.name ?? null, scopes: a.scopes }
      : { type: 'customer' as const, grantId: null, grantName: null, scopes: null },
  };
}
