import { createRoute, z } from '@hono/zod-openapi';
import {
  upsertServiceArea, listServiceAreas, upsertPlan, listPlans, upsertSubscription, getSubscription, listSubscriptions,
  recordUsage, listUsage, importInvoice, getInvoice, listInvoices, recordPayment, listPayments,
  Code, ServiceAreaBody, ServiceAreaSchema, PlanBody, PlanSchema, SubscriptionInput, SubscriptionSchema, UsageInput, UsageRange,
  UsageReportSchema, UsageRecordedSchema, InvoiceInput, InvoiceSchema, InvoiceDetailSchema, PaymentInput, PaymentSchema, invoiceStatuses,
} from '../../domains/billing/index.ts';
import { router, json, body, errors, IdParam, PageQuery } from '../context.ts';

const tags = ['billing'];
const CodeParam = z.object({ code: Code.openapi({ param: { name: 'code', in: 'path' } }) });
const list = <T extends z.ZodType>(item: T, name: string) => z.object({ data: z.array(item) }).openapi(name);
const customerPage = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ customerId: z.string(), data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
const SubscriptionList = z.object({ customerId: z.string(), data: z.array(SubscriptionSchema) }).openapi('SubscriptionList');

/** Services and billing: the import API a billing system calls, and the reads behind the portal and the agent's view. */
export function billingRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'put', path: '/service-areas/{code}', tags, summary: 'Create or update a service area by code',
    request: { params: CodeParam, ...body(ServiceAreaBody) }, responses: { 200: json(ServiceAreaSchema), ...errors },
  }), async (c) => c.json(await upsertServiceArea({ ctx: c.get('ctx'), input: { ...c.req.valid('json'), code: c.req.valid('param').code } }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/service-areas', tags, summary: 'Every service area, by code',
    responses: { 200: json(list(ServiceAreaSchema, 'ServiceAreaList')), ...errors },
  }), async (c) => c.json(await listServiceAreas({ ctx: c.get('ctx') }) as any, 200));

  r.openapi(createRoute({
    method: 'put', path: '/plans/{code}', tags, summary: 'Create or update a plan (price in cents, speeds, data cap) by code',
    request: { params: CodeParam, ...body(PlanBody) }, responses: { 200: json(PlanSchema), ...errors },
  }), async (c) => c.json(await upsertPlan({ ctx: c.get('ctx'), input: { ...c.req.valid('json'), code: c.req.valid('param').code } }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/plans', tags, summary: 'Plans, cheapest first; active=true for those still sold',
    request: { query: z.object({ active: z.enum(['true', 'false']).optional() }) }, responses: { 200: json(list(PlanSchema, 'PlanList')), ...errors },
  }), async (c) => {
    const { active } = c.req.valid('query');
    return c.json(await listPlans({ ctx: c.get('ctx'), input: { active: active === undefined ? undefined : active === 'true' } }) as any, 200);
  });

  r.openapi(createRoute({
    method: 'post', path: '/subscriptions', tags, summary: 'Create or update a subscription by externalRef; plan changes and status changes reach the timeline',
    request: body(SubscriptionInput), responses: { 200: json(SubscriptionSchema, 'Updated or unchanged'), 201: json(SubscriptionSchema, 'Created'), ...errors },
  }), async (c) => {
    const { created, subscription } = await upsertSubscription({ ctx: c.get('ctx'), input: c.req.valid('json') });
    return c.json(subscription as any, created ? 201 : 200);
  });

  r.openapi(createRoute({
    method: 'get', path: '/subscriptions/{id}', tags, summary: 'One subscription with its plan and service area',
    request: { params: IdParam }, responses: { 200: json(SubscriptionSchema), ...errors },
  }), async (c) => c.json(await getSubscription({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}/subscriptions', tags, summary: "A customer's subscriptions with plan and service area",
    request: { params: IdParam }, responses: { 200: json(SubscriptionList), ...errors },
  }), async (c) => c.json(await listSubscriptions({ ctx: c.get('ctx'), customerId: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/usage', tags, summary: 'Record daily usage for many subscriptions at once (a resent day replaces its figures)',
    request: body(UsageInput), responses: { 200: json(UsageRecordedSchema), ...errors },
  }), async (c) => c.json(await recordUsage({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/subscriptions/{id}/usage', tags, summary: 'Daily usage of a subscription, from..to inclusive (default the last 30 days)',
    request: { params: IdParam, query: UsageRange }, responses: { 200: json(UsageReportSchema), ...errors },
  }), async (c) => c.json(await listUsage({ ctx: c.get('ctx'), input: { ...c.req.valid('query'), subscriptionId: c.req.valid('param').id } }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}/usage', tags, summary: "Daily usage of all a customer's subscriptions, from..to inclusive",
    request: { params: IdParam, query: UsageRange }, responses: { 200: json(UsageReportSchema), ...errors },
  }), async (c) => c.json(await listUsage({ ctx: c.get('ctx'), input: { ...c.req.valid('query'), customerId: c.req.valid('param').id } }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/invoices', tags, summary: 'Import an invoice with its lines; the same number again replaces it (same id)',
    request: body(InvoiceInput), responses: { 200: json(InvoiceSchema, 'Replaced or unchanged'), 201: json(InvoiceSchema, 'Created'), ...errors },
  }), async (c) => {
    const { created, invoice } = await importInvoice({ ctx: c.get('ctx'), input: c.req.valid('json') });
    return c.json(invoice as any, created ? 201 : 200);
  });

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}/invoices', tags, summary: "A customer's invoices newest first, with lines",
    request: { params: IdParam, query: PageQuery.extend({ status: z.enum(invoiceStatuses).optional() }) },
    responses: { 200: json(customerPage(InvoiceSchema, 'InvoicePage')), ...errors },
  }), async (c) => c.json(await listInvoices({ ctx: c.get('ctx'), customerId: c.req.valid('param').id, input: c.req.valid('query') }) as any, 200));

  r.openapi(createRoute({
    method: 'get', path: '/invoices/{id}', tags, summary: 'One invoice, line by line, with the payments against it',
    request: { params: IdParam }, responses: { 200: json(InvoiceDetailSchema), ...errors },
  }), async (c) => c.json(await getInvoice({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));

  r.openapi(createRoute({
    method: 'post', path: '/payments', tags, summary: 'Record a payment (idempotent by externalRef); marks the invoice paid once covered',
    request: body(PaymentInput), responses: { 200: json(PaymentSchema, 'Already recorded'), 201: json(PaymentSchema, 'Recorded'), ...errors },
  }), async (c) => {
    const { created, payment } = await recordPayment({ ctx: c.get('ctx'), input: c.req.valid('json') });
    return c.json(payment as any, created ? 201 : 200);
  });

  r.openapi(createRoute({
    method: 'get', path: '/customers/{id}/payments', tags, summary: "A customer's payments newest first",
    request: { params: IdParam, query: PageQuery }, responses: { 200: json(customerPage(PaymentSchema, 'PaymentPage')), ...errors },
  }), async (c) => c.json(await listPayments({ ctx: c.get('ctx'), customerId: c.req.valid('param').id, input: c.req.valid('query') }) as any, 200));
  return r;
}
