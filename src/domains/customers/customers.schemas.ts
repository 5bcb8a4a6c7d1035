import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from '@hono/zod-openapi';
import { identityKinds, type IdentityKind } from '../../db/schema/index.ts';
import { invalid } from '../../platform/errors.ts';

export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Brazil's mobile numbers gained a ninth digit (a leading 9) in 2012–2016; WhatsApp still reports
 * many of them without it (`55 11 8765-4321` for `55 11 98765-4321`). A Brazilian number with a
 * two-digit area code and an 8-digit mobile number (first digit 6–9) is given its 9, so both forms
 * are one identity. Digits only, country code first.
 */
export function brazilianMobile(digits: string): string {
  const m = /^55([1-9][1-9])([6-9]\d{7})$/.exec(digits);
  return m ? `55${m[1]}9${m[2]}` : digits;
}

/** Identities are stored in one canonical form so the same person always resolves to one row. Phones are E.164 (national numbers read with `defaultCountry`). */
export function normaliseIdentity(kind: IdentityKind, raw: string, field = 'value', defaultCountry?: CountryCode): string {
  const v = raw.trim();
  switch (kind) {
    case 'email': {
      const e = v.toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw invalid(field, 'not an email address');
      return e;
    }
    case 'phone': {
      // libphonenumber: national forms with the default country, `00` and `(0)` prefixes, punctuation.
      const parsed = parsePhoneNumberFromString(v.replace(/^00(?=[1-9])/, '+'), defaultCountry);
      const p = parsed?.isPossible() ? parsed.number : v.replace(/[\s().-]/g, '');
      if (!E164.test(p)) throw invalid(field, 'phone numbers must be in E.164 form, e.g. +31612345678, or national with the workspace country');
      return `+${brazilianMobile(p.slice(1))}`;
    }
    case 'whatsapp': {
      // A wa_id is the number in digits (Cloud API docs); nothing else is assumed.
      const p = v.replace(/^\+/, '').replace(/[\s-]/g, '');
      if (!/^[1-9]\d{6,14}$/.test(p)) throw invalid(field, 'a WhatsApp id is the phone number in digits');
      return brazilianMobile(p);
    }
    case 'telegram':
      // Telegram chat ids are integers, negative for groups and channels (Bot API docs).
      if (!/^-?\d{1,20}$/.test(v)) throw invalid(field, 'a telegram id is an integer');
      return v;
    case 'messenger':
      // PSIDs and IGSIDs are opaque strings: kept as given.
      if (!/^[^\s]{1,128}$/.test(v)) throw invalid(field, 'a messenger id is 1–128 characters without spaces');
      return v;
    case 'social':
      if (!/^[a-z0-9_.-]+:[^\s]{1,100}$/i.test(v)) throw invalid(field, 'a social handle is network:handle, e.g. x:fibrefan');
      return v.toLowerCase();
    case 'portal':
      if (!v || v.length > 200) throw invalid(field, 'a portal login is 1–200 characters');
      return v.toLowerCase();
  }
}

export const IdentityInput = z.object({
  kind: z.enum(identityKinds),
  value: z.string().min(1).max(320),
  verified: z.boolean().optional(),
}).openapi('IdentityInput');

/** serviceNotices: false opts out of incident and maintenance notices (src/domains/status). */
export const ConsentSchema = z.object({ marketing: z.boolean(), surveys: z.boolean(), serviceNotices: z.boolean().optional() });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** quietHours: no notices between these local times (null: none; absent: the workspace's). */
export const ChannelPrefsSchema = z.object({ preferred: z.string().nullable().optional(), doNotContact: z.array(z.string()).optional(),
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable().optional() });

export const CreateCustomerInput = z.object({
  name: z.string().min(1).max(200).optional(),
  email: z.string().email().optional(),
  phone: z.string().regex(E164, 'E.164, e.g. +31612345678').optional(),
  language: z.string().min(2).max(12).default('en'),
  timezone: z.string().optional(),
  consent: ConsentSchema.optional(),
  channelPrefs: ChannelPrefsSchema.optional(),
  externalRef: z.string().max(100).optional(),
  identities: z.array(IdentityInput).max(20).default([]),
  verified: z.boolean().optional(),
}).openapi('CreateCustomer');

export const UpdateCustomerInput = z.object({
  name: z.string().min(1).max(200).optional(),
  language: z.string().min(2).max(12).optional(),
  timezone: z.string().nullable().optional(),
  consent: ConsentSchema.optional(),
  channelPrefs: ChannelPrefsSchema.optional(),
}).openapi('UpdateCustomer');

export const IdentitySchema = z.object({ id: z.string(), kind: z.enum(identityKinds), value: z.string(), verified: z.boolean() }).openapi('Identity');

export const CustomerSchema = z.object({
  id: z.string().uuid(), name: z.string().nullable(), email: z.string().nullable(),
  emailClaimed: z.boolean().describe('the email was only typed into the chat widget, never proven: unverified, not an identity, never merged on'),
  phone: z.string().nullable(),
  language: z.string(), timezone: z.string().nullable(), verified: z.boolean(),
  consent: z.object({ marketing: z.boolean(), surveys: z.boolean() }).passthrough(),
  channelPrefs: ChannelPrefsSchema, externalRef: z.string().nullable(),
  identities: z.array(IdentitySchema), createdAt: z.string(), updatedAt: z.string(),
}).openapi('Customer');

export const TimelineEntrySchema = z.object({
  id: z.string(), occurredAt: z.string(), kind: z.string(), actorType: z.string(), actorId: z.string().nullable(),
  conversationId: z.string().nullable(), refId: z.string().nullable(), summary: z.string(), data: z.record(z.string(), z.unknown()),
}).openapi('TimelineEntry');
