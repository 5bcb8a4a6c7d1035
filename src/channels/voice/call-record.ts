import { z } from '@hono/zod-openapi';
import type { InboundMessageInput } from '../../domains/conversations/index.ts';

/**
 * Candor's generic call-record format (README.md beside this file), for any telephony platform or
 * contact-centre connector: one JSON object per finished call.
 */
export const GenericCallRecord = z.object({
  callId: z.string().min(1).max(200),
  from: z.string().min(1).max(40),
  to: z.string().max(40).optional(),
  startedAt: z.string().datetime({ offset: true }),
  endedAt: z.string().datetime({ offset: true }).optional(),
  durationSeconds: z.number().min(0).max(7 * 86400).optional(),
  ivrPath: z.array(z.string().min(1).max(100)).max(30).default([]),
  transcript: z.string().max(100_000).default(''),
  recordingUrl: z.string().url().max(2000).optional(),
}).strict();
export type GenericCallRecord = z.infer<typeof GenericCallRecord>;

/** A call as Candor keeps it, whichever format it came in. */
export type CallRecord = {
  callId: string; from: string; ivrPath: string[]; transcript: string; durationSeconds?: number;
  recordingUrl?: string; startedAt?: Date; note?: string;
};

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(r).padStart(2, '0')}s`;
}

/** The one line the agent reads first: how the caller got here and for how long. */
export function callHeadline(c: CallRecord): string {
  const parts = ['Phone call', c.ivrPath.length ? `IVR: ${c.ivrPath.join(' › ')}` : 'no IVR path'];
  if (c.durationSeconds !== undefined) parts.push(formatDuration(c.durationSeconds));
  return parts.join(' · ');
}

/** A call record as an inbound message on channel "voice": the headline, the transcript, the recording. */
export function callToMessage(channelId: string, c: CallRecord): z.input<typeof InboundMessageInput> {
  const body = [
    callHeadline(c),
    c.transcript.trim() || c.note || '(no transcript)',
    c.recordingUrl ? `Recording: ${c.recordingUrl}` : '',
  ].filter(Boolean).join('\n\n');
  return {
    channel: 'voice', channelId, from: { kind: 'phone', value: c.from }, externalId: c.callId, bodyText: body,
    ...(c.startedAt ? { receivedAt: c.startedAt } : {}),
  };
}

export const fromGeneric = (g: GenericCallRecord): CallRecord => ({
  callId: g.callId, from: g.from, ivrPath: g.ivrPath, transcript: g.transcript, recordingUrl: g.recordingUrl,
  startedAt: new Date(g.startedAt),
  durationSeconds: g.durationSeconds ?? (g.endedAt ? Math.max(0, (Date.parse(g.endedAt) - Date.parse(g.startedAt)) / 1000) : undefined),
});

/**
 * Twilio's transcribeCallback (TwiML <Record transcribe="true" transcribeCallback="…">): form fields
 * TranscriptionSid, TranscriptionText, TranscriptionStatus, TranscriptionUrl, RecordingSid,
 * RecordingUrl, plus the call's CallSid, From, To, AccountSid. Twilio sends no IVR path and no
 * duration there, so the callback URL may carry them: `?ivr=Billing>Payments&duration=185` (the
 * query string is inside Twilio's signature).
 */
export function fromTwilio(p: URLSearchParams, query: URLSearchParams): CallRecord | { missing: string } {
  const callId = p.get('CallSid');
  const from = p.get('From');
  if (!callId) return { missing: 'CallSid' };
  if (!from) return { missing: 'From' };
  const ivr = (query.get('ivr') ?? '').split(/[>,]/).map((s) => s.trim()).filter(Boolean).slice(0, 30);
  const d = Number(query.get('duration') ?? p.get('RecordingDuration') ?? p.get('CallDuration') ?? NaN);
  const failed = p.get('TranscriptionStatus') && p.get('TranscriptionStatus') !== 'completed';
  return {
    callId, from, ivrPath: ivr, transcript: failed ? '' : (p.get('TranscriptionText') ?? ''),
    note: failed ? `(transcription ${p.get('TranscriptionStatus')})` : undefined,
    recordingUrl: p.get('RecordingUrl') ?? undefined, durationSeconds: Number.isFinite(d) && d >= 0 ? d : undefined,
  };
}
