import type { ChannelKind, ConversationStatus, IdentityKind, Consent, ChannelPrefs } from '../db/schema/index.ts';
import type { AreaDef, PlanDef } from './catalog.ts';
import type { Lang } from './names.ts';
import { DAY, utcDay, monthStart } from './clock.ts';

/** Rows of the demo tenant as generated in memory; times are epoch milliseconds, days ISO dates. */
export type Ms = number;

export type AreaRow = { id: string; code: string; name: string; region: string };
export type PlanRow = { id: string; code: string; name: string; priceCents: number; currency: string; downloadMbps: number; uploadMbps: number; dataCapGb: number | null; active: boolean };
export type CustomerRow = {
  id: string; name: string; email: string; phone: string | null; language: Lang; timezone: string; verified: boolean;
  consent: Consent; channelPrefs: ChannelPrefs; externalRef: string; createdAt: Ms; updatedAt: Ms;
};
export type IdentityRow = { id: string; customerId: string; kind: IdentityKind; value: string; verified: boolean; createdAt: Ms };
export type SubscriptionRow = {
  id: string; customerId: string; planId: string; serviceAreaId: string; address: string; status: 'active' | 'suspended' | 'cancelled';
  startedAt: Ms; endedAt: Ms | null; externalRef: string;
};
/** Daily usage of one subscription: consecutive days from firstDay. */
export type UsageBlock = { subscriptionId: string; firstDay: Ms; downloadMb: number[]; uploadMb: number[] };
export type InvoiceRow = {
  id: string; customerId: string; subscriptionId: string; number: string; periodStart: string; periodEnd: string;
  issuedAt: Ms; dueAt: Ms; totalCents: number; currency: string; status: 'open' | 'paid' | 'overdue' | 'void';
};
export type LineRow = {
  invoiceId: string; position: number; kind: 'plan' | 'usage' | 'proration' | 'credit' | 'fee' | 'tax' | 'discount';
  description: string; quantity: number; amountCents: number; periodStart: string | null; periodEnd: string | null;
};
export type PaymentRow = { id: string; customerId: string; invoiceId: string; amountCents: number; currency: string; method: string; receivedAt: Ms; externalRef: string };
export type ConversationRow = {
  id: string; number: number; customerId: string; subject: string | null; status: ConversationStatus; priority: 'low' | 'normal' | 'high' | 'urgent';
  channel: ChannelKind; assigneeId: string | null; teamId: string | null; serviceAreaId: string | null; tags: string[]; snoozedUntil: Ms | null;
  messageCount: number; createdAt: Ms; lastMessageAt: Ms; lastInboundAt: Ms | null; firstResponseAt: Ms | null; resolvedAt: Ms | null; closedAt: Ms | null; updatedAt: Ms;
};
export type MessageRow = {
  id: string; conversationId: string; customerId: string; direction: 'in' | 'out'; authorType: 'customer' | 'agent'; authorId: string;
  channel: ChannelKind; bodyText: string; externalId: string | null; deliveryStatus: 'received' | 'sent' | 'delivered' | 'read'; createdAt: Ms;
};
export type TimelineRow = {
  id: string; customerId: string; occurredAt: Ms; kind: string; actorType: string; actorId: string | null;
  conversationId: string | null; refId: string | null; summary: string; data: Record<string, unknown>;
};

/** Ids the database gave to things created through verbs (agents, teams), by catalogue index / name. */
export type Refs = { workspaceId: string; agentIds: string[]; teamIds: Record<string, string> };

/** The three full calendar months before now are invoiced; usage covers the 90 days before today. */
export type Window = { now: Ms; today: Ms; usageFrom: Ms; usageDays: number; months: Ms[]; currentMonth: Ms; convFrom: Ms };

export function windowAt(now: Ms): Window {
  const today = utcDay(now);
  const d = new Date(today);
  const currentMonth = monthStart(d.getUTCFullYear(), d.getUTCMonth());
  const months = [3, 2, 1].map((k) => monthStart(d.getUTCFullYear(), d.getUTCMonth() - k));
  return { now, today, usageFrom: today - 90 * DAY, usageDays: 90, months, currentMonth, convFrom: now - 90 * DAY };
}

/** What the generator knows about one customer beyond their rows: used to keep stories consistent. */
export type Person = {
  idx: number; row: CustomerRow; first: string; last: string; lang: Lang; area: AreaDef; areaRow: AreaRow;
  street: string; address: string; postcode: string; sub: SubscriptionRow;
  /** The plan before a change (or the only plan) and the plan now. */
  planFrom: PlanDef; plan: PlanDef; changeAt: Ms | null;
  cancelReason: string | null; suspendedAt: Ms | null;
  channels: ChannelKind[]; preferred: ChannelKind | null; contactWeight: number;
  payer: { method: 'direct_debit' | 'ideal' | 'bank_transfer' | 'credit_card'; lateness: 'reliable' | 'sometimes' | 'bad' };
  invoices: { row: InvoiceRow; lines: LineRow[]; paidAt: Ms | null }[];
  usageByMonth: Map<Ms, number>;
};

export type Outage = { area: AreaDef; areaRow: AreaRow; start: Ms; end: Ms; cause: string; causeNl: string; homes: number; ticket: string };

export type DemoData = {
  workspaceId: string;
  /** The network's outages of the window (the last one still going on): the status page's incidents. */
  outages: Outage[];
  areas: AreaRow[]; plans: PlanRow[]; customers: CustomerRow[]; identities: IdentityRow[]; subscriptions: SubscriptionRow[];
  usage: UsageBlock[]; invoices: InvoiceRow[]; invoiceLines: LineRow[]; payments: PaymentRow[];
  conversations: ConversationRow[]; messages: MessageRow[]; timeline: TimelineRow[];
};
