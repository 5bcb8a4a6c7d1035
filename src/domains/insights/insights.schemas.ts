import { z } from '@hono/zod-openapi';
import { channelKinds, priorities } from '../../db/schema/index.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:mm');
const zone = z.string().refine((s) => { try { new Intl.DateTimeFormat('en', { timeZone: s }); return true; } catch { return false; } }, 'an IANA time zone');

const YEAR = 365 * 24 * 3600;

export const SlaPolicyInput = z.object({
  name: z.string().min(1).max(200),
  priority: z.enum(priorities).nullable().optional(),
  channel: z.enum(channelKinds).nullable().optional(),
  /** Targets in business seconds, at most a year. */
  firstResponseSeconds: z.number().int().positive().max(YEAR).nullable().optional(),
  nextResponseSeconds: z.number().int().positive().max(YEAR).nullable().optional(),
  resolutionSeconds: z.number().int().positive().max(YEAR).nullable().optional(),
  creditCents: z.number().int().min(0).max(100_000_000).optional(),
}).openapi('SlaPolicyInput');

export const SlaPolicySchema = SlaPolicyInput.extend({ id: z.string(), creditCents: z.number().int() }).openapi('SlaPolicy');

export const TeamCalendarInput = z.object({
  timezone: zone,
  hours: z.array(z.object({ day: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'), open: hhmm, close: hhmm })),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).optional(),
}).openapi('TeamCalendar');

export const groupBys = ['channel', 'team', 'agent', 'area', 'reason'] as const;
export type GroupBy = (typeof groupBys)[number];

/** Every metric, with the definition shown in the OpenAPI document and one click away on the dashboard. */
export const metricDefinitions = {
  first_response_time: 'Business seconds from the start of a conversation to the first reply by an agent or bot, on the calendar of its team (the workspace\'s hours otherwise), not counting time pending on the customer. Median and 90th percentile (continuous) over conversations started in the period that have had a first reply.',
  resolution_time: 'Business seconds a conversation was ours to move (open or snoozed) until it was resolved, summed over every reopen, on its team\'s calendar. Median and 90th percentile over conversations started in the period that are resolved or closed.',
  sla_attainment: 'Of conversations started in the period whose SLA clocks (first response, resolution) have concluded or breached, the share that breached none. A clock still running and not yet due counts in neither the numerator nor the denominator.',
  csat: 'Customer satisfaction: share of CSAT answers (1–5) that are 4 or 5, ×100, for conversations started in the period. From survey_responses (kind = csat); empty until surveys exist.',
  nps: 'Net Promoter Score: % of NPS answers (0–10) that are 9–10 minus % that are 0–6, for answers in the period. From survey_responses (kind = nps); empty until surveys exist.',
  ces: 'Customer effort score: mean of CES answers (1–7, 7 = very easy) for conversations started in the period. From survey_responses (kind = ces); empty until surveys exist.',
  repeat_contact_rate: 'Share of conversations started in the period that repeat an earlier one: the same customer, the same contact reason, within 7 days before (the understanding domain\'s repeat_of).',
  first_contact_resolution: 'Of conversations started in the period and resolved, the share resolved without ever being reopened and that are not a repeat of an earlier contact.',
  repeats_caused: 'Later conversations of the same customer and reason (within 7 days) that repeat conversations started in the period: the repeats a team or agent caused.',
  deflection: 'Share of self-service journeys (portal, diagnosis) started in the period that ended without a conversation within 24 hours. From self_service_journeys; empty until the portal exists.',
  outcomes: 'For customers who contacted us in the period (their first conversation in it): stay = no subscription cancelled within 90 days after the contact; return = a new subscription started within 90 days after (portal use counts once the portal exists); tell = referral or public review (empty until those exist). churnRate = 1 − stay share; revenueLostCents = monthly plan price of the subscriptions cancelled; revenueAtRiskCents = monthly revenue of staying customers whose contact breached an SLA, was a repeat, or ended with sentiment worsening.',
  contacts: 'Conversations started in the period.',
  contacts_per_1000_customers: 'Conversations started in the period per 1,000 customers with an active subscription now (that count is refreshed at most once a minute).',
  rising_reasons: 'Contact reasons by growth: conversations with the reason in the period against the period of the same length just before it (rise = now − before).',
  sentiment_trend: 'Mean sentiment (−1..1) of the latest customer message of conversations started in the period, per day, and the share whose sentiment worsened during the conversation.',
} as const;
export type MetricName = keyof typeof metricDefinitions;
export const metricNames = Object.keys(metricDefinitions) as MetricName[];

export const MetricQuery = z.object({
  from: z.string().datetime({ offset: true }).optional().describe('Start of the period (default: 30 days ago)'),
  to: z.string().datetime({ offset: true }).optional().describe('End of the period, exclusive (default: now)'),
  groupBy: z.enum(groupBys).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export const MetricRow = z.object({
  key: z.string().nullable().describe('The group (channel, team id, agent id, area id or reason); null for the whole period or "none"'),
  label: z.string().nullable(),
}).catchall(z.union([z.number(), z.string(), z.null()])).openapi('MetricRow');

export const MetricResult = z.object({
  metric: z.string(),
  definition: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.string().nullable(),
  available: z.boolean().describe('false when the data source does not exist yet (surveys, portal)'),
  rows: z.array(MetricRow),
}).openapi('MetricResult');

export const NowSchema = z.object({
  open: z.number().int().describe('Conversations open now'),
  waiting: z.number().int().describe('Open conversations whose customer wrote last and awaits our answer'),
  oldestWaitingSeconds: z.number().int().describe('Wall-clock seconds the longest-waiting customer has waited (0 when none)'),
  agentsOnline: z.number().int().describe('Agents with a live session socket or a session used in the last 5 minutes'),
  breachesNextHour: z.number().int().describe('Running SLA clocks due within the next hour'),
  at: z.string(),
}).openapi('InsightsNow');

const Goal = z.object({ slaAttainment: z.number().min(0).max(1).optional(), firstContactResolution: z.number().min(0).max(1).optional(), csat: z.number().min(0).max(100).optional() });
export const InsightsSettingsInput = z.object({
  leaderboardEnabled: z.boolean().optional(),
  teamGoals: z.record(z.string().uuid(), Goal).optional().describe('Goals per team id: SLA attainment and first-contact resolution as shares 0..1, CSAT 0..100'),
}).openapi('InsightsSettingsInput');
export const InsightsSettingsSchema = z.object({ leaderboardEnabled: z.boolean(), teamGoals: z.record(z.string(), Goal) }).openapi('InsightsSettings');
