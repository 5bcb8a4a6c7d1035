import { z } from '@hono/zod-openapi';
import { diagnosisOutcomes } from '../../db/schema/index.ts';

/** What a customer may let their AI assistant do. */
export const assistantScopes = ['usage:read', 'billing:read', 'service:diagnose', 'plan:change', 'support:write'] as const;
export type AssistantScope = (typeof assistantScopes)[number];

const Uuid = z.string().uuid();
/** Text PostgreSQL can store: no NUL (nor other control characters but tab and newlines). */
const Text = (max: number, min = 0) => z.string().max(max).min(min).regex(/^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$/, 'no control characters');
const Slug = z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/i, 'a workspace slug: letters, digits, . _ -');
const Cents = z.number().int();

// ── sign-in ────────────────────────────────────────────────────────────────────

export const SignInStartInput = z.object({
  workspace: Slug.openapi({ description: 'the workspace slug, e.g. fibrelink' }),
  address: Text(200, 3).trim().openapi({ description: 'the email address or phone number (E.164) the company knows you by' }),
  channel: z.enum(['email', 'sms', 'whatsapp']).optional().openapi({ description: 'where the code goes: email for an email address (with a sign-in link too), sms (default) or whatsapp for a phone number' }),
}).openapi('PortalSignInStart');

export const SignInStarted = z.object({
  sent: z.literal(true), channel: z.string(), expiresInSeconds: z.number().int(),
  message: z.string(),
}).openapi('PortalSignInStarted');

export const SignInVerifyInput = z.object({
  workspace: Slug,
  address: Text(200, 3).trim(),
  code: z.string().trim().regex(/^\d{6}$/, 'six digits'),
}).openapi('PortalSignInVerify');

export const SignInLinkInput = z.object({ token: Text(300, 10) }).openapi('PortalSignInLink');

// ── me ─────────────────────────────────────────────────────────────────────────

export const MyPlanSchema = z.object({
  id: Uuid, code: z.string(), name: z.string(), priceCents: Cents, currency: z.string(),
  downloadMbps: z.number().int(), uploadMbps: z.number().int(), dataCapGb: z.number().int().nullable(), active: z.boolean(),
}).openapi('PortalPlan');

export const MySubscriptionSchema = z.object({
  id: Uuid, status: z.enum(['active', 'suspended', 'cancelled']), address: z.string(), startedAt: z.string(), endedAt: z.string().nullable(),
  plan: MyPlanSchema, serviceArea: z.object({ id: Uuid, code: z.string(), name: z.string() }),
}).openapi('PortalSubscription');

export const MeSchema = z.object({
  customer: z.object({ id: Uuid, name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), language: z.string() }),
  workspace: z.object({ id: Uuid, slug: z.string(), name: z.string() }),
  subscription: MySubscriptionSchema.nullable(),
  actor: z.object({ type: z.enum(['customer', 'assistant']), grantId: z.string().nullable(), grantName: z.string().nullable(), scopes: z.array(z.string()).nullable() }),
}).openapi('PortalMe');

export const MyUsageSchema = z.object({
  month: z.string().openapi({ description: 'YYYY-MM, UTC' }),
  days: z.array(z.object({ day: z.string(), downloadMb: z.number().int(), uploadMb: z.number().int(), totalGb: z.number() })),
  monthToDateGb: z.number(), capGb: z.number().int().nullable(), percentOfCap: z.number().nullable(),
  projectedGb: z.number(), projectedOverCap: z.boolean(), daysElapsed: z.number().int(), daysInMonth: z.number().int(),
  previousMonthGb: z.number().nullable(),
  summary: z.string(),
}).openapi('PortalUsage');

export const ExplainedLineSchema = z.object({
  position: z.number().int(), kind: z.string(), description: z.string(), amountCents: Cents, explanation: z.string(),
}).openapi('PortalInvoiceLine');

export const DifferenceSchema = z.object({
  kind: z.enum(['proration', 'plan_change', 'price_rise', 'partial_period', 'credits', 'fees', 'usage', 'discounts', 'tax', 'other']),
  deltaCents: Cents, text: z.string(),
}).openapi('PortalBillDifference');

export const ExplainedInvoiceSchema = z.object({
  id: Uuid, number: z.string(), periodStart: z.string(), periodEnd: z.string(), issuedAt: z.string(), dueAt: z.string(),
  totalCents: Cents, paidCents: Cents, currency: z.string(), status: z.string(),
  lines: z.array(ExplainedLineSchema),
  comparedWith: z.object({ id: Uuid, number: z.string(), totalCents: Cents }).nullable(),
  differenceCents: Cents.nullable(),
  differences: z.array(DifferenceSchema),
  summary: z.string(),
  payments: z.array(z.object({ amountCents: Cents, method: z.string(), receivedAt: z.string() })),
  pdfUrl: z.string(), csvUrl: z.string(),
}).openapi('PortalInvoice');

export const MyInvoicesSchema = z.object({
  data: z.array(ExplainedInvoiceSchema),
  nextBill: z.object({ estimateCents: Cents, currency: z.string(), periodStart: z.string(), periodEnd: z.string(), text: z.string() }).nullable(),
  balanceDueCents: Cents,
}).openapi('PortalInvoices');

export const IncidentBriefSchema = z.object({
  id: Uuid, kind: z.enum(['incident', 'maintenance']), name: z.string(), status: z.string(), impact: z.string(),
  startedAt: z.string(), latestUpdate: z.string().nullable(), latestUpdateAt: z.string().nullable(),
  expectedFixAt: z.string().nullable(), scheduledFor: z.string().nullable(), scheduledUntil: z.string().nullable(), following: z.boolean(),
}).openapi('PortalIncident');

export const ServiceStatusSchema = z.object({
  area: z.object({ id: Uuid, code: z.string(), name: z.string() }).nullable(),
  state: z.enum(['operational', 'degraded', 'outage', 'maintenance', 'no_service']),
  summary: z.string(),
  incidents: z.array(IncidentBriefSchema),
}).openapi('PortalServiceStatus');

export const DiagnosisStepSchema = z.object({ id: z.string(), text: z.string() });
export const DiagnosisSchema = z.object({
  id: Uuid, symptom: z.string(), createdAt: z.string(),
  account: z.object({ status: z.string(), overdueInvoices: z.number().int(), overdueCents: Cents, ok: z.boolean(), text: z.string() }),
  area: z.object({ ok: z.boolean(), text: z.string(), incidents: z.array(IncidentBriefSchema) }),
  line: z.object({
    ok: z.boolean(), available: z.boolean(), text: z.string(),
    ont: z.enum(['online', 'offline', 'unknown']), opticalPowerDbm: z.number().nullable(),
    measuredDownMbps: z.number().nullable(), measuredUpMbps: z.number().nullable(), planDownMbps: z.number().nullable(),
    wifi: z.object({ band: z.string(), channelBusyPercent: z.number(), devices: z.number().int() }).nullable(),
    faults: z.array(z.string()),
  }),
  verdict: z.object({ code: z.string(), title: z.string(), text: z.string() }),
  steps: z.array(DiagnosisStepSchema),
  suggestedOutcome: z.enum(diagnosisOutcomes),
  outcome: z.enum(diagnosisOutcomes).nullable(),
  outcomeRef: z.string().nullable(),
}).openapi('PortalDiagnosis');

export const RunDiagnosisInput = z.object({
  symptom: z.enum(['down', 'slow', 'intermittent', 'wifi']).default('down').openapi({ description: 'what the customer notices' }),
}).openapi('PortalRunDiagnosis');

export const FinishDiagnosisInput = z.object({
  outcome: z.enum(diagnosisOutcomes),
  incidentId: Uuid.optional().openapi({ description: 'the incident to follow (outcome subscribed; default the first one found)' }),
  note: Text(2000).optional().openapi({ description: 'anything the customer adds for the person who picks it up (outcome conversation)' }),
}).openapi('PortalFinishDiagnosis');

export const DiagnosisEndedSchema = z.object({
  diagnosis: DiagnosisSchema, conversationId: Uuid.nullable(), conversationNumber: z.number().int().nullable(), incidentId: Uuid.nullable(), text: z.string(),
}).openapi('PortalDiagnosisEnded');

export const PlanChangePreviewInput = z.object({
  planId: Uuid.optional(), planCode: Text(64).optional(),
}).refine((v) => !!v.planId !== !!v.planCode, { path: ['planId'], message: 'give planId or planCode' }).openapi('PortalPlanChangePreviewInput');

export const QuoteSchema = z.object({
  previewToken: z.string().openapi({ description: 'single use; valid 30 minutes; bound to this plan' }),
  kind: z.enum(['change', 'cancel']),
  fromPlan: MyPlanSchema, toPlan: MyPlanSchema.nullable(),
  effectiveDate: z.string(), daysLeft: z.number().int(), daysInMonth: z.number().int(),
  prorationCents: Cents.openapi({ description: 'on the next bill for the rest of this month: positive a charge, negative a credit' }),
  newMonthlyCents: Cents, currency: z.string(), expiresAt: z.string(),
  retentionOffer: z.object({ planId: Uuid, planCode: z.string(), text: z.string() }).nullable(),
  summary: z.string(),
}).openapi('PortalQuote');

export const PlanChangeApplyInput = z.object({
  previewToken: Text(300, 10),
  planId: Uuid.optional(), planCode: Text(64).optional(),
}).openapi('PortalPlanChangeApply');

export const CancelApplyInput = z.object({ previewToken: Text(300, 10), reason: Text(500).optional() }).openapi('PortalCancelApply');

export const PlanChangedSchema = z.object({
  kind: z.enum(['change', 'cancel']), subscription: MySubscriptionSchema, effectiveDate: z.string(), prorationCents: Cents,
  provisioningRef: z.string(), text: z.string(),
}).openapi('PortalPlanChanged');

export const MyConversationSchema = z.object({
  id: Uuid, number: z.number().int(), subject: z.string().nullable(), status: z.string(), channel: z.string(),
  createdAt: z.string(), lastMessageAt: z.string(), messageCount: z.number().int(), waitingOn: z.enum(['us', 'you', 'nobody']),
}).openapi('PortalConversation');

export const MyMessageSchema = z.object({
  id: Uuid, direction: z.enum(['in', 'out']), from: z.enum(['you', 'us']), channel: z.string(), bodyText: z.string(), createdAt: z.string(),
}).openapi('PortalMessage');

export const MyConversationDetailSchema = MyConversationSchema.extend({ messages: z.array(MyMessageSchema) }).openapi('PortalConversationDetail');

export const SupportRequestInput = z.object({
  subject: Text(200, 1).trim().optional(),
  message: Text(10_000, 1).trim(),
  conversationId: Uuid.optional().openapi({ description: 'continue this conversation instead of opening one' }),
}).openapi('PortalSupportRequest');

export const PreferencesSchema = z.object({
  preferredChannel: z.enum(['email', 'sms', 'whatsapp', 'telegram', 'messenger', 'portal']).nullable(),
  quietHours: z.object({ start: z.string().regex(/^\d\d:\d\d$/), end: z.string().regex(/^\d\d:\d\d$/) }).nullable(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$/, 'a language code such as en or nl'),
  notices: z.object({ serviceNotices: z.boolean(), surveys: z.boolean(), marketing: z.boolean() }),
}).openapi('PortalPreferences');
export const PreferencesInput = PreferencesSchema.partial().extend({ notices: PreferencesSchema.shape.notices.partial().optional() }).openapi('PortalPreferencesInput');

export const GrantInput = z.object({
  name: Text(100, 1).trim(),
  scopes: z.array(z.enum(assistantScopes)).min(1),
  expiresInDays: z.number().int().min(1).max(365).default(30),
}).openapi('AssistantGrantInput');

export const GrantSchema = z.object({
  id: Uuid, name: z.string(), scopes: z.array(z.string()), createdAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(), active: z.boolean(),
  actions: z.array(z.object({ occurredAt: z.string(), kind: z.string(), summary: z.string() })),
}).openapi('AssistantGrant');

export const DeletionRequestSchema = z.object({ id: Uuid, status: z.enum(['open', 'completed']), createdAt: z.string(), completedAt: z.string().nullable(), text: z.string() }).openapi('PortalDeletionRequest');
