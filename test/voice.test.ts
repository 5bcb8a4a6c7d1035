import { describe, it, expect, beforeAll } from 'vitest';
import { testPlatform } from './support/platform.ts';
import { deliveryRunner } from './support/delivery.ts';
import { newWorkspace, type TestWorkspace } from './support/workspace.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { JobRunner } from '../src/platform/jobs.ts';
import { voiceAdapter } from '../src/channels/voice/voice-adapter.ts';
import { twilioSignature } from '../src/channels/shared/twilio.ts';
import { signHmacSha256 } from '../src/channels/shared/signatures.ts';
import { and, eq } from 'drizzle-orm';
import { messages } from '../src/db/schema/index.ts';
import { createChannel, listQuarantine, loadChannel } from '../src/domains/channels/index.ts';
import { getConversation, listMessages, postMessage, receiveMessages } from '../src/domains/conversations/index.ts';

/**
 * Voice: Twilio transcription callbacks and Candor's generic call records become inbound messages in
 * the caller's conversation; a reply becomes a callback task for an agent (no call is placed).
 */
const ACCOUNT_SID = 'AC' + '5ef8732a'.repeat(4);
const AUTH_TOKEN = '9c1f5e3b7a2d4c6e8f0a1b3c5d7e9f11';
const SIGNING_KEY = 'voice-signing-key-0123456789abcdef';
const CALLER = '+31612345678';

let app: Platform;
let t: TestWorkspace;
let other: TestWorkspace;
let channel: Awaited<ReturnType<typeof createChannel>>;
let runner: JobRunner;

/** Twilio's transcribeCallback request (TwiML <Record transcribe="true">): the transcription fields plus the call's standard parameters. */
const transcription = (over: Record<string, string> = {}) => new URLSearchParams({
  AccountSid: ACCOUNT_SID, ApiVersion: '2010-04-01', CallSid: 'CA' + 'c0ffee00'.repeat(4), CallStatus: 'completed', Called: '+31201234567',
  Caller: CALLER, Direction: 'inbound', From: CALLER, To: '+31201234567',
  RecordingSid: 'RE' + 'abcdef01'.repeat(4), RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${'abcdef01'.repeat(4)}`,
  TranscriptionSid: 'TR' + '12345678'.repeat(4), TranscriptionStatus: 'completed', TranscriptionType: 'fast',
  TranscriptionText: 'Hi, my internet has been dropping every evening since Monday. Please call me back.',
  TranscriptionUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Transcriptions/TR${'12345678'.repeat(4)}`,
  url: '', ...over,
});
const postTwilio = (ws: TestWorkspace, path: string, form: URLSearchParams, token = AUTH_TOKEN) =>
  ws.http.request(path, { method: 'POST', body: form.toString(), headers: {
    'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature(token, `http://localhost${path}`, form),
  } });
const callRecord = (over: Record<string, unknown> = {}) => JSON.stringify({
  callId: 'pbx-2025-03-01-0042', from: CALLER, to: '+31201234567', startedAt: '2025-03-01T09:30:00Z', endedAt: '2025-03-01T09:33:05Z',
  durationSeconds: 185, ivrPath: ['Billing', 'Payment problem'], transcript: 'I was charged twice this month.',
  recordingUrl: 'https://pbx.example/recordings/42.mp3', ...over,
});
const postJson = (ws: TestWorkspace, path: string, body: string, key: string | null = SIGNING_KEY) =>
  ws.http.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(key ? { 'X-Candor-Signature': signHmacSha256(key, body) } : {}) } });
const countMessages = async (externalId: string) =>
  (await app.database.query<{ n: number }>(`select count(*)::int as n from messages where channel = 'voice' and external_id = $1`, [externalId]))[0].n;
const messagesOf = async (conversationId: string) => (await listMessages({ ctx: t.agentCtx, conversationId, input: { limit: 200 } })).data;

beforeAll(async () => {
  app = await testPlatform();
  t = await newWorkspace(app, 'Voice A');
  other = await newWorkspace(app, 'Voice B');
  channel = await createChannel({ ctx: t.adminCtx, input: { kind: 'voice', name: 'hotline', config: {}, secrets: { authToken: AUTH_TOKEN, signingKey: SIGNING_KEY } } });
  runner = deliveryRunner(app, [voiceAdapter]);
});

describe('voice: Twilio transcription callback', () => {
  it('joins the caller\'s open conversation (an SMS yesterday, a call today) with IVR path, duration and transcript', async () => {
    const [sms] = await receiveMessages({ ctx: t.system, input: [{ channel: 'sms', from: { kind: 'phone', value: CALLER }, bodyText: 'Internet drops every evening', externalId: 'SM-earlier' }] });
    const path = `${channel.webhookPath}/twilio?ivr=${encodeURIComponent('Technical support>Internet')}&duration=185`;
    const r = await postTwilio(t, path, transcription());
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const msgs = await messagesOf(sms.conversation!.id);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toMatchObject({ direction: 'in', channel: 'voice', channelId: channel.id, externalId: 'CA' + 'c0ffee00'.repeat(4) });
    expect(msgs[1].bodyText).toBe([
      'Phone call · IVR: Technical support › Internet · 3m 05s',
      'Hi, my internet has been dropping every evening since Monday. Please call me back.',
      `Recording: https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE${'abcdef01'.repeat(4)}`,
    ].join('\n\n'));
    expect((await getConversation({ ctx: t.agentCtx, id: sms.conversation!.id })).channel).toBe('voice');
  });

  it('answers 401 and stores nothing for a wrong signature', async () => {
    const form = transcription({ CallSid: 'CA-forged', TranscriptionText: 'forged' });
    expect((await postTwilio(t, `${channel.webhookPath}/twilio`, form, 'not-the-token')).status).toBe(401);
    const altered = `${channel.webhookPath}/twilio?ivr=Other`;
    const r = await t.http.request(altered, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilioSignature(AUTH_TOKEN, `http://localhost${channel.webhookPath}/twilio`, form) } });
    expect(r.status).toBe(401); // the query string is signed too
    expect(await countMessages('CA-forged')).toBe(0);
  });

  it('treats a replay as a no-op and quarantines a callback without CallSid', async () => {
    const form = transcription();
    expect((await postTwilio(t, `${channel.webhookPath}/twilio`, form)).status).toBe(200);
    expect(await countMessages('CA' + 'c0ffee00'.repeat(4))).toBe(1);
    const broken = transcription({ TranscriptionText: 'no call sid here' }); broken.delete('CallSid');
    expect((await postTwilio(t, `${channel.webhookPath}/twilio`, broken)).status).toBe(400);
    const q = (await listQuarantine({ ctx: t.adminCtx, input: {} })).data.find((x) => x.payload.includes('no+call+sid'));
    expect(q).toMatchObject({ channelId: channel.id, kind: 'voice', reason: 'not a Twilio transcription callback: CallSid missing' });
  });

  it('still records the call when transcription failed', async () => {
    const form = transcription({ CallSid: 'CA-failed-transcription', TranscriptionStatus: 'failed', TranscriptionText: '' });
    expect((await postTwilio(t, `${channel.webhookPath}/twilio`, form)).status).toBe(200);
    const [row] = await app.database.query<{ body_text: string }>(`select body_text from messages where external_id = 'CA-failed-transcription'`);
    expect(row.body_text).toContain('Phone call · no IVR path');
    expect(row.body_text).toContain('(transcription failed)');
  });
});

describe('voice: generic call record', () => {
  it('commits a signed record and answers with the message and conversation ids', async () => {
    const r = await postJson(t, channel.webhookPath, callRecord());
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ ok: true, duplicate: false });
    const m = (await messagesOf(body.conversationId)).find((x) => x.id === body.messageId)!;
    expect(m).toMatchObject({ channel: 'voice', externalId: 'pbx-2025-03-01-0042', createdAt: '2025-03-01T09:30:00.000Z' });
    expect(m.bodyText).toBe('Phone call · IVR: Billing › Payment problem · 3m 05s\n\nI was charged twice this month.\n\nRecording: https://pbx.example/recordings/42.mp3');
  });

  it('computes the duration from the times when it is not given', async () => {
    const r = await postJson(t, channel.webhookPath, callRecord({ callId: 'pbx-no-duration', durationSeconds: undefined, endedAt: '2025-03-01T10:01:00Z', startedAt: '2025-03-01T10:00:00Z', ivrPath: [] }));
    const body = await r.json();
    const m = (await messagesOf(body.conversationId)).find((x) => x.id === body.messageId)!;
    expect(m.bodyText.split('\n')[0]).toBe('Phone call · no IVR path · 1m 00s');
  });

  it('answers 401 and stores nothing for a wrong or missing signature', async () => {
    const body = callRecord({ callId: 'pbx-forged' });
    expect((await postJson(t, channel.webhookPath, body, 'wrong-key')).status).toBe(401);
    expect((await postJson(t, channel.webhookPath, body, null)).status).toBe(401);
    expect(await countMessages('pbx-forged')).toBe(0);
  });

  it('treats a replay as a no-op', async () => {
    const r = await postJson(t, channel.webhookPath, callRecord());
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ duplicate: true });
    expect(await countMessages('pbx-2025-03-01-0042')).toBe(1);
  });

  it('answers 400 and quarantines malformed JSON, a bad caller number and unknown fields', async () => {
    expect((await postJson(t, channel.webhookPath, '{"callId": "x", ')).status).toBe(400);
    expect((await postJson(t, channel.webhookPath, callRecord({ callId: 'pbx-anon', from: 'anonymous' }))).status).toBe(400);
    expect((await postJson(t, channel.webhookPath, callRecord({ callId: 'pbx-typo', transcirpt: 'typo' }))).status).toBe(400);
    const q = (await listQuarantine({ ctx: t.adminCtx, input: {} })).data;
    expect(q.find((x) => x.payload === '{"callId": "x", ')).toMatchObject({ reason: 'malformed JSON', kind: 'voice' });
    expect(q.find((x) => x.payload.includes('pbx-anon'))!.reason).toContain('E.164');
    expect(q.find((x) => x.payload.includes('pbx-typo'))!.reason).toContain('transcirpt');
    expect(await countMessages('pbx-anon')).toBe(0);
  });
});

describe('voice replies become callback tasks', () => {
  it('places no call: records an honest note and tags the conversation callback-requested, once', async () => {
    const [first] = await receiveMessages({ ctx: t.system, input: [{ channel: 'voice', channelId: channel.id, from: { kind: 'phone', value: '+31687654321', name: 'Ada Caller' }, bodyText: 'Phone call · no IVR path\n\nCall me', externalId: 'pbx-callback-1' }] });
    const conversationId = first.conversation!.id;
    const reply = await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: 'We will <b>credit</b> your bill for the outage.' } });
    expect(reply).toMatchObject({ channel: 'voice', deliveryStatus: 'queued' });
    await runner.drain();

    const msgs = await messagesOf(conversationId);
    const notes = msgs.filter((m) => m.direction === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0].bodyText).toBe([
      'Callback requested — no call has been placed. An agent needs to call Ada Caller, +31687654321.',
      'The reply below was not delivered to the customer; say it on the call:',
      '',
      'We will credit your bill for the outage.',
    ].join('\n'));
    const out = msgs.find((m) => m.id === reply.id)!;
    expect(out).toMatchObject({ deliveryStatus: 'sent', externalId: `callback:${notes[0].id}` });
    expect((await getConversation({ ctx: t.agentCtx, id: conversationId })).tags).toEqual(['callback-requested']);
    const listed = await (await t.request('/api/v1/conversations?tag=callback-requested')).json();
    expect(listed.data.map((c: any) => c.id)).toContain(conversationId);

    // A retried send (the job crashed after the note) adds nothing twice.
    const [row] = await app.db.select().from(messages).where(and(eq(messages.workspaceId, t.ws.id), eq(messages.id, reply.id)));
    const again = await voiceAdapter.send!(t.system, await loadChannel(t.system, channel.id), row);
    expect(again.externalId).toBe(`callback:${notes[0].id}`);
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'note')).toHaveLength(1);

    await postMessage({ ctx: t.agentCtx, conversationId, input: { bodyText: 'Second reply' } });
    await runner.drain();
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'note')).toHaveLength(2);
    expect((await getConversation({ ctx: t.agentCtx, id: conversationId })).tags).toEqual(['callback-requested']);
  });
});

describe('voice tenant isolation', () => {
  it('never lands workspace A\'s webhook in B, and B cannot read A\'s conversation', async () => {
    const body = callRecord({ callId: 'pbx-cross' });
    expect((await postJson(other, `/hooks/${other.ws.id}/${channel.id}`, body)).status).toBe(404);
    expect(await countMessages('pbx-cross')).toBe(0);
    const [row] = await app.database.query<{ conversation_id: string }>(`select conversation_id from messages where external_id = 'pbx-2025-03-01-0042'`);
    expect((await other.request(`/api/v1/conversations/${row.conversation_id}`)).status).toBe(404);
  });
});
