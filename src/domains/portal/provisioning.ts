import { newId } from '../../platform/ids.ts';
import type { Ctx } from '../../platform/ctx.ts';

/**
 * Carries a plan change or a cancellation out in the operator's systems (the OSS/BSS: the line's
 * speed profile, the billing system's subscription). Pluggable per workspace; the default (and
 * the demo's) adapter records the order and answers at once with a reference.
 */
export interface ProvisioningAdapter {
  changePlan(input: { ctx: Ctx; subscriptionId: string; fromPlanCode: string; toPlanCode: string; effectiveDate: string }): Promise<{ reference: string }>;
  cancel(input: { ctx: Ctx; subscriptionId: string; planCode: string; effectiveDate: string }): Promise<{ reference: string }>;
}

export const demoProvisioning: ProvisioningAdapter & { orders: { kind: string; subscriptionId: string; reference: string }[] } = {
  orders: [],
  async changePlan({ subscriptionId }) { const reference = `PROV-${newId().slice(-12).toUpperCase()}`; this.orders.push({ kind: 'change', subscriptionId, reference }); return { reference }; },
  async cancel({ subscriptionId }) { const reference = `PROV-${newId().slice(-12).toUpperCase()}`; this.orders.push({ kind: 'cancel', subscriptionId, reference }); return { reference }; },
};

const adapters = new Map<string, ProvisioningAdapter>();
export function registerProvisioning(workspaceId: string, adapter: ProvisioningAdapter): void { adapters.set(workspaceId, adapter); }
export const provisioningFor = (workspaceId: string): ProvisioningAdapter => adapters.get(workspaceId) ?? demoProvisioning;
