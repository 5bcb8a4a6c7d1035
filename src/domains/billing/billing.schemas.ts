import { z } from '@hono/zod-openapi';
import { lineKinds } from '../../db/schema/index.ts';
import { instant } from '../../platform/instant.ts';

export const subscriptionStatuses = ['active', 'suspended', 'cancelled'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
export const invoiceStatuses = ['open', 'paid', 'overdue', 'void'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** A billing system's code for a plan or a service area: FIBRE-500, ams-west. */
export const Code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (up to 64)');
/** A calendar day, YYYY-MM-DD. */
export const Day = z.iso.date('a day as YYYY-MM-DD');
/** ISO 4217, upper-cased: EUR, GBP. */
export const Currency = z.string().regex(/^[A-Za-z]{3}$/, 'ISO 4217 code, e.g. EUR').transform((s) => s.toUpperCase());
const Ref = z.string().min(1).max(100);
const Cents = z.number().int().min(-100_000_000).max(100_000_000);

type Issue = { code: 'custom'; path: (string | number)[]; message: string };
type RefineCtx = { addIssue(i: Issue): void };
/** At most one, or exactly one when `required`, of two alternative reference fields. */
function oneOf(o: Record<string, unknown>, a: string, b: string, ctx: RefineCtx, path: (string | number)[] = [], required = true) {
  const has = [o[a], o[b]].filter((v) => v !== undefined && v !== null).length;
  if (has > 1) ctx.addIssue({ code: 'custom', path: [...path, b], message: `give ${a} or ${b}, not both` });
  else if (!has && required) ctx.addIssue({ code: 'custom', path: [...path, b], message: `give ${a} or ${b}` });
}

export const ServiceAreaBody = z.object({
  name: z.string().min(1).max(200),
  region: z.string().max(200).nullable().optional(),
}).openapi('ServiceAreaBody');
export const ServiceAreaInput = ServiceAreaBody.extend({ code: Code }).openapi('ServiceAreaInput');

export const PlanBody = z.object({
  name: z.string().min(1).max(200),
  priceCents: z.number().int().min(0).max(100_000_000).openapi({ description: 'monthly price in cents' }),
  currency: Currency,
  downloadMbps: z.number().int().min(1).max(1_000_000),
  uploadMbps: z.number().int().min(1).max(1_000_000),
  dataCapGb: z.number().int().min(1).max(1_000_000).nullable().optional().openapi({ description: 'monthly data cap; null or absent for unlimited' }),
  active: z.boolean().optional(),
}).openapi('PlanBody');
export const PlanInput = PlanBody.extend({ code: Code }).openapi('PlanInput');

export const SubscriptionInput = z.object({
  externalRef: Ref.openapi({ description: "the billing system's id for this subscription; the upsert key" }),
  customerId: z.string().uuid(),
  planId: z.string().uuid().optional(),
  planCode: Code.optional(),
  serviceAreaId: z.string().uuid().optional(),
  serviceAreaCode: Code.optional(),
  address: z.string().min(1).max(500),
  status: z.enum(subscriptionStatuses).default('active'),
  startedAt: instant().optional(),
  endedAt: instant().nullable().optional(),
  effectiveAt: instant().optional().openapi({ description: 'when this change took effect in the billing system; defaults to now' }),
}).superRefine((s, ctx) => {
  oneOf(s, 'planId', 'planCode', ctx);
  oneOf(s, 'serviceAreaId', 'serviceAreaCode', ctx);
}).openapi('SubscriptionInput');

export const UsageItem = z.object({
  subscriptionId: z.string().uuid().optional(),
  subscriptionRef: Ref.optional(),
  day: Day,
  downloadMb: z.number().int().min(0).max(1e12),
  uploadMb: z.number().int().min(0).max(1e12),
});
export const UsageInput = z.object({
  items: z.array(UsageItem).min(1).max(10_000),
}).superRefine((u, ctx) => u.items.forEach((i, n) => oneOf(i, 'subscriptionId', 'subscriptionRef', ctx, ['items', n]))).openapi('UsageBatch');

export const UsageRange = z.object({ from: Day.optional(), to: Day.optional() });

export const InvoiceLineInput = z.object({
  kind: z.enum(lineKinds),
  description: z.string().min(1).max(500),
  quantity: z.number().int().min(1).max(1_000_000).default(1),
  amountCents: Cents.openapi({ description: "the line's total in cents; credits and discounts are negative" }),
  periodStart: Day.optional(),
  periodEnd: Day.optional(),
});

export const InvoiceInput = z.object({
  number: Ref.openapi({ description: 'the invoice number; re-importing the same number replaces the invoice' }),
  customerId: z.string().uuid(),
  subscriptionId: z.string().uuid().optional(),
  subscriptionRef: Ref.optional(),
  periodStart: Day,
  periodEnd: Day,
  issuedAt: instant(),
  dueAt: instant(),
  currency: Currency,
  totalCents: Cents,
  status: z.enum(invoiceStatuses).default('open'),
  lines: z.array(InvoiceLineInput).min(1).max(500),
}).superRefine((inv, ctx) => {
  oneOf(inv, 'subscriptionId', 'subscriptionRef', ctx, [], false);
  if (inv.periodEnd < inv.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'before periodStart' });
  inv.lines.forEach((l, n) => {
    if ((l.kind === 'credit' || l.kind === 'discount') && l.amountCents > 0) {
      ctx.addIssue({ code: 'custom', path: ['lines', n, 'amountCents'], message: `a ${l.kind} is negative or zero` });
    }
    if (l.periodStart && l.periodEnd && l.periodEnd < l.periodStart) ctx.addIssue({ code: 'custom', path: ['lines', n, 'periodEnd'], message: 'before periodStart' });
  });
  const sum = inv.lines.reduce((s, l) => s + l.amountCents, 0);
  if (sum !== inv.totalCents) ctx.addIssue({ code: 'custom', path: ['lines'], message: `lines add up to ${sum} but totalCents is ${inv.totalCents}` });
}).openapi('InvoiceInput');

export const PaymentInput = z.object({
  externalRef: Ref.openapi({ description: "the billing system's id for this payment; recording it again changes nothing" }),
  customerId: z.string().uuid().optional().openapi({ description: "defaults to the invoice's customer" }),
  invoiceId: z.string().uuid().optional(),
  invoiceNumber: Ref.optional(),
  amountCents: z.number().int().min(1).max(100_000_000),
  currency: Currency,
  method: z.string().min(1).max(50).openapi({ example: 'direct_debit' }),
  receivedAt: instant().optional(),
}).superRefine((p, ctx) => {
  oneOf(p, 'invoiceId', 'invoiceNumber', ctx, [], false);
  if (!p.customerId && !p.invoiceId && !p.invoiceNumber) ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'give customerId or an invoice' });
}).openapi('PaymentInput');

// ── views ──────────────────────────────────────────────────────────────────────

export const ServiceAreaSchema = z.object({ id: z.string().uuid(), code: z.string(), name: z.string(), region: z.string().nullable() }).openapi('ServiceArea');

export const PlanSchema = z.object({
  id: z.string().uuid(), code: z.string(), name: z.string(), priceCents: z.number().int(), currency: z.string(),
  downloadMbps: z.number().int(), uploadMbps: z.number().int(), dataCapGb: z.number().int().nullable(), active: z.boolean(),
}).openapi('Plan');

export const SubscriptionSchema = z.object({
  id: z.string().uuid(), customerId: z.string().uuid(), externalRef: z.string().nullable(), status: z.enum(subscriptionStatuses),
  address: z.string(), startedAt: z.string(), endedAt: z.string().nullable(), plan: PlanSchema, serviceArea: ServiceAreaSchema,
}).openapi('Subscription');

export const UsageDaySchema = z.object({ subscriptionId: z.string().uuid(), day: z.string(), downloadMb: z.number().int(), uploadMb: z.number().int() }).openapi('UsageDay');

export const UsageReportSchema = z.object({
  customerId: z.string().uuid(), subscriptionId: z.string().uuid().nullable(), from: z.string(), to: z.string(),
  data: z.array(UsageDaySchema), totals: z.object({ downloadMb: z.number().int(), uploadMb: z.number().int() }),
}).openapi('UsageReport');

export const UsageRecordedSchema = z.object({ recorded: z.number().int(), subscriptions: z.number().int() }).openapi('UsageRecorded');

export const InvoiceLineSchema = z.object({
  position: z.number().int(), kind: z.enum(lineKinds), description: z.string(), quantity: z.number().int(), amountCents: z.number().int(),
  periodStart: z.string().nullable(), periodEnd: z.string().nullable(),
}).openapi('InvoiceLine');

export const InvoiceSchema = z.object({
  id: z.string().uuid(), number: z.string(), customerId: z.string().uuid(), subscriptionId: z.string().uuid().nullable(),
  periodStart: z.string(), periodEnd: z.string(), issuedAt: z.string(), dueAt: z.string(), totalCents: z.number().int(),
  paidCents: z.number().int(), currency: z.string(), status: z.enum(invoiceStatuses), lines: z.array(InvoiceLineSchema),
}).openapi('Invoice');

export const PaymentSchema = z.object({
  id: z.string().uuid(), customerId: z.string().uuid(), invoiceId: z.string().uuid().nullable(), amountCents: z.number().int(),
  currency: z.string(), method: z.string(), receivedAt: z.string(), externalRef: z.string().nullable(),
}).openapi('Payment');

export const InvoiceDetailSchema = InvoiceSchema.extend({ payments: z.array(PaymentSchema) }).openapi('InvoiceDetail');
