import { z } from '@hono/zod-openapi';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const WorkspaceSettingsSchema = z.object({
  timezone: z.string().refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'unknown IANA timezone'),
  businessHours: z.array(z.object({ day: z.number().int().min(0).max(6), open: hhmm, close: hhmm })),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')),
  roleLimits: z.record(z.string(), z.object({ maxCreditCents: z.number().int().min(0) })),
  understanding: z.object({ unknownBelow: z.number().min(0).max(1), retrainAfter: z.number().int().min(1).max(100_000) }).optional(),
  outbox: z.object({ fallback: z.boolean() }).optional(),
}).openapi('WorkspaceSettings');

export const roles = ['admin', 'supervisor', 'agent'] as const;

export const CreateAgentInput = z.object({
  email: z.string().email().transform((s) => s.toLowerCase()),
  name: z.string().min(1).max(200),
  role: z.enum(roles),
  password: z.string().min(4).max(200).optional(),
  skills: z.array(z.string().min(1).max(50)).max(50).default([]),
}).openapi('CreateAgent');

export const AgentSchema = z.object({
  id: z.string().uuid(), email: z.string(), name: z.string(), role: z.enum(roles),
  skills: z.array(z.string()), active: z.boolean(), teamIds: z.array(z.string().uuid()).optional(),
}).openapi('Agent');

export const CreateApiKeyInput = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(z.string()).min(1),
}).openapi('CreateApiKey');

export const defaultSettings = () => ({
  timezone: 'UTC',
  businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
  holidays: [] as string[],
  roleLimits: { agent: { maxCreditCents: 2000 }, supervisor: { maxCreditCents: 20000 }, admin: { maxCreditCents: 100000 } },
});
