import { pgTable, uuid, text, integer, bigint, date, timestamp, boolean, primaryKey, uniqueIndex, index } from 'drizzle-orm/pg-core';

export const serviceAreas = pgTable('service_areas', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  region: text('region'),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('service_areas_code_uq').on(t.workspaceId, t.code)]);

export const plans = pgTable('plans', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  priceCents: integer('price_cents').notNull(),
  currency: text('currency').notNull(),
  downloadMbps: integer('download_mbps').notNull(),
  uploadMbps: integer('upload_mbps').notNull(),
  dataCapGb: integer('data_cap_gb'),
  active: boolean('active').notNull().default(true),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('plans_code_uq').on(t.workspaceId, t.code)]);

export const subscriptions = pgTable('subscriptions', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  planId: uuid('plan_id').notNull(),
  serviceAreaId: uuid('service_area_id').notNull(),
  address: text('address').notNull(),
  status: text('status').$type<'active' | 'suspended' | 'cancelled'>().notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  externalRef: text('external_ref'),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('subscriptions_external_ref_uq').on(t.workspaceId, t.externalRef),
  index('subscriptions_customer_idx').on(t.workspaceId, t.customerId),
  index('subscriptions_area_idx').on(t.workspaceId, t.serviceAreaId),
]);

export const usageDaily = pgTable('usage_daily', {
  workspaceId: uuid('workspace_id').notNull(),
  subscriptionId: uuid('subscription_id').notNull(),
  day: date('day').notNull(),
  downloadMb: bigint('download_mb', { mode: 'number' }).notNull(),
  uploadMb: bigint('upload_mb', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.subscriptionId, t.day] })]);

export const invoices = pgTable('invoices', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  subscriptionId: uuid('subscription_id'),
  number: text('number').notNull(),
  periodStart: date('period_start').notNull(),
  periodEnd: date('period_end').notNull(),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  totalCents: integer('total_cents').notNull(),
  currency: text('currency').notNull(),
  status: text('status').$type<'open' | 'paid' | 'overdue' | 'void'>().notNull(),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('invoices_number_uq').on(t.workspaceId, t.number),
  index('invoices_customer_idx').on(t.workspaceId, t.customerId, t.issuedAt),
]);

export const lineKinds = ['plan', 'usage', 'proration', 'credit', 'fee', 'tax', 'discount'] as const;

export const invoiceLines = pgTable('invoice_lines', {
  workspaceId: uuid('workspace_id').notNull(),
  invoiceId: uuid('invoice_id').notNull(),
  position: integer('position').notNull(),
  kind: text('kind').$type<(typeof lineKinds)[number]>().notNull(),
  description: text('description').notNull(),
  quantity: integer('quantity').notNull().default(1),
  amountCents: integer('amount_cents').notNull(),
  periodStart: date('period_start'),
  periodEnd: date('period_end'),
}, (t) => [primaryKey({ columns: [t.workspaceId, t.invoiceId, t.position] })]);

export const payments = pgTable('payments', {
  workspaceId: uuid('workspace_id').notNull(),
  id: uuid('id').notNull(),
  customerId: uuid('customer_id').notNull(),
  invoiceId: uuid('invoice_id'),
  amountCents: integer('amount_cents').notNull(),
  currency: text('currency').notNull(),
  method: text('method').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  externalRef: text('external_ref'),
}, (t) => [
  primaryKey({ columns: [t.workspaceId, t.id] }),
  uniqueIndex('payments_external_ref_uq').on(t.workspaceId, t.externalRef),
  index('payments_customer_idx').on(t.workspaceId, t.customerId),
]);
