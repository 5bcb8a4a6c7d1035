import { z } from '@hono/zod-openapi';

/** Lowercase words joined by underscores: the stable key analytics and rules refer to. */
export const reasonKey = z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'lowercase letters, digits and _ (2-50 characters, starting with a letter)');
/** The reason given when the model is not confident enough to name one. */
export const UNKNOWN_REASON = 'unknown';

export const ReasonSchema = z.object({
  key: z.string(), name: z.string(), description: z.string(), position: z.number().int(), archived: z.boolean(),
  examples: z.number().int().describe('labelled examples the model learns this reason from (seed + agent)'),
}).openapi('ContactReason');

export const UpsertReasonInput = z.object({
  key: reasonKey.refine((k) => k !== UNKNOWN_REASON, `'${UNKNOWN_REASON}' is reserved`),
  name: z.string().trim().min(1).max(80),
  description: z.string().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  archived: z.boolean().optional(),
  examples: z.array(z.string().trim().min(3).max(5000)).max(1000).optional().describe('seed examples to add'),
}).openapi('UpsertContactReason');

export const SetReasonInput = z.object({
  reason: reasonKey.describe('the reason the agent confirms or chooses'),
}).openapi('SetConversationReason');

export const AnalyseTextInput = z.object({ text: z.string().min(1).max(20_000) }).openapi('AnalyseText');
export const TextLabelsSchema = z.object({
  reason: z.string().nullable(), reasonConfidence: z.number().nullable(), evidence: z.array(z.string()),
  ranked: z.array(z.object({ reason: z.string(), confidence: z.number() })),
  sentiment: z.enum(['negative', 'neutral', 'positive']), sentimentScore: z.number(), language: z.string().nullable(),
  modelVersion: z.number().int().nullable(),
}).openapi('TextLabels');

const PerClass = z.object({ label: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() });
export const ReasonModelSchema = z.object({
  id: z.string().uuid(), version: z.number().int(), status: z.enum(['live', 'retired', 'rejected']), labels: z.array(z.string()),
  accuracy: z.number(), macroF1: z.number(), heldBack: z.number().int().describe('held-back examples the figures come from'),
  liveAccuracy: z.number().nullable().describe('the model it was judged against, on the same held-back examples'), liveMacroF1: z.number().nullable(), liveVersion: z.number().int().nullable(),
  perClass: z.array(PerClass), trainExamples: z.number().int(), seedExamples: z.number().int(), agentExamples: z.number().int(), trainMs: z.number().int(),
  decision: z.string(), createdAt: z.string(), promotedAt: z.string().nullable(),
}).openapi('ReasonModel');

export const ReasonCountsQuery = z.object({
  since: z.string().datetime({ offset: true }).optional().describe('default: 24 hours ago'),
  until: z.string().datetime({ offset: true }).optional(),
  serviceAreaId: z.string().uuid().optional(),
  reason: z.string().max(50).optional(),
});
export const ReasonCountSchema = z.object({
  bucket: z.string().describe('start of the five-minute bucket (conversations by their start)'),
  serviceAreaId: z.string().nullable(), reason: z.string(), count: z.number().int(),
}).openapi('ReasonCount');
