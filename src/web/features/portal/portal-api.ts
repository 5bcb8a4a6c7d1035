import type { z } from '@hono/zod-openapi';
import type {
  MeSchema, MyUsageSchema, MyInvoicesSchema, ExplainedInvoiceSchema, ServiceStatusSchema, DiagnosisSchema, DiagnosisEndedSchema, QuoteSchema,
  PlanChangedSchema, MyConversationSchema, MyConversationDetailSchema, PreferencesSchema, GrantSchema, DeletionRequestSchema, MyPlanSchema,
} from '../../../domains/portal/portal.schemas.ts';

// The portal's shapes, from the same zod schemas the API validates with (type-only).
export type PortalMe = z.infer<typeof MeSchema>;
export type Usage = z.infer<typeof MyUsageSchema>;
export type Invoices = z.infer<typeof MyInvoicesSchema>;
export type Invoice = z.infer<typeof ExplainedInvoiceSchema>;
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
export type DiagnosisEnded = z.infer<typeof DiagnosisEndedSchema>;
export type Quote = z.infer<typeof QuoteSchema>;
export type PlanChanged = z.infer<typeof PlanChangedSchema>;
export type Plan = z.infer<typeof MyPlanSchema> & { current: boolean };
export type MyConversation = z.infer<typeof MyConversationSchema>;
export type MyConversationDetail = z.infer<typeof MyConversationDetailSchema>;
export type Preferences = z.infer<typeof PreferencesSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type DeletionRequest = z.infer<typeof DeletionRequestSchema>;

const moneyFormats = new Map<string, Intl.NumberFormat>();
/** Cents as the customer reads them: 5500 EUR → €55.00. */
export function money(cents: number, currency = 'EUR'): string {
  let f = moneyFormats.get(currency);
  if (!f) { f = new Intl.NumberFormat('en-IE', { style: 'currency', currency }); moneyFormats.set(currency, f); }
  return f.format(cents / 100);
}
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const day = (iso: string) => dayFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso));
const timeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
export const when = (iso: string) => timeFormat.format(new Date(iso));

/** The workspace the portal is for: `?w=slug` once (remembered for the tab), else the demo's. */
export function portalWorkspace(): string {
  const q = new URLSearchParams(location.search).get('w');
  if (q) sessionStorage.setItem('candor.portal.workspace', q);
  return q ?? sessionStorage.getItem('candor.portal.workspace') ?? 'fibrelink';
}

export const scopeLabels: Record<string, string> = {
  'usage:read': 'See my usage', 'billing:read': 'See and explain my bills', 'service:diagnose': 'Check my service and run a diagnosis',
  'plan:change': 'Change my plan (after showing me the price)', 'support:write': 'Write to support for me and see the answers',
};
