import { and, eq, isNull } from 'drizzle-orm';
import { diagnoses } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { AppError, parseInput } from '../../platform/errors.ts';
import { formatMoney } from '../billing/index.ts';
import { FinishDiagnosisInput } from './portal.schemas.ts';
import { diagnosisOut, loadMyDiagnosis, type Findings } from './run-diagnosis.ts';
import { asSystem, recordSelf, selfOf } from './self.ts';
import { followIncident } from './service-status.ts';
import { sendSupportMessage } from './my-conversations.ts';

/** The whole diagnosis as a message, so the person who picks it up has it all and asks nothing again. */
export function diagnosisText(f: Findings, symptom: string, note?: string): string {
  const l = f.line;
  const lines = [
    `Self-diagnosis from the portal (${symptom}): ${f.verdict.title}.`, f.verdict.text, '',
    `Account: ${f.account.text}`,
    `Area: ${f.area.text}`,
    `Line: ${l.text}`,
  ];
  if (l.available) {
    lines.push(`  fibre box ${l.ont}; optical power ${l.opticalPowerDbm ?? '–'} dBm; measured ${l.measuredDownMbps ?? '–'}/${l.measuredUpMbps ?? '–'} Mbit/s (plan ${l.planDownMbps ?? '–'})`
      + (l.wifi ? `; Wi-Fi ${l.wifi.band}, ${l.wifi.devices} devices, channel busy ${l.wifi.channelBusyPercent}%` : ''));
    if (l.faults.length) lines.push(`  faults: ${l.faults.join(', ')}`);
  }
  if (f.account.overdueCents) lines.push(`Overdue: ${formatMoney(f.account.overdueCents, 'EUR')} on ${f.account.overdueInvoices} invoice(s)`);
  if (f.steps.length) lines.push('', 'Steps shown (tried by the customer):', ...f.steps.map((s, i) => `${i + 1}. ${s.text}`));
  if (note) lines.push('', `The customer adds: ${note}`);
  return lines.join('\n');
}

/**
 * Ends a diagnosis in one of three recorded outcomes: resolved (the steps fixed it); subscribed
 * (following the known incident in my area); or a support conversation opened that already
 * holds the whole diagnosis. Once ended, a diagnosis stays ended.
 */
export async function finishDiagnosis({ ctx, id, input }: { ctx: Ctx; id: string; input: unknown }) {
  const customerId = selfOf(ctx, 'service:diagnose');
  const data = parseInput(FinishDiagnosisInput, input);
  return withTransaction(ctx, async (tx) => {
    const row = await loadMyDiagnosis(asSystem(tx), customerId, id, true);
    if (row.outcome) throw new AppError('conflict', `This diagnosis already ended (${row.outcome})`);
    const f = row.findings as unknown as Findings;
    let ref: string | null = null; let conversationNumber: number | null = null; let incidentId: string | null = null; let text: string;
    if (data.outcome === 'resolved') {
      text = 'Glad it works again. If it comes back, run the check again: it is quick.';
    } else if (data.outcome === 'subscribed') {
      incidentId = data.incidentId ?? f.area.incidents[0]?.id ?? null;
      if (!incidentId) throw new AppError('conflict', 'There is no known incident in your area to follow; open a request instead');
      const followed = await followIncident({ ctx: tx, incidentId });
      ref = incidentId; text = followed.text;
    } else {
      const sent = await sendSupportMessage({ ctx: tx, input: { subject: `Self-diagnosis: ${f.verdict.title}`, message: diagnosisText(f, row.symptom, data.note) }, tags: ['self-diagnosis', f.verdict.code] });
      ref = sent.conversation.id; conversationNumber = sent.conversation.number;
      text = `Request #${sent.conversation.number} is open with everything checked here; you will not have to explain again.`;
    }
    const endedAt = new Date();
    const [updated] = await tx.db.update(diagnoses).set({ outcome: data.outcome, outcomeRef: ref, endedAt })
      .where(and(eq(diagnoses.workspaceId, ctx.workspaceId), eq(diagnoses.id, row.id), isNull(diagnoses.outcome))).returning();
    await recordSelf(tx, { customerId, kind: 'diagnosis.ended', refId: row.id, conversationId: data.outcome === 'conversation' ? ref : null,
      summary: `ended the self-diagnosis: ${data.outcome === 'resolved' ? 'resolved by the guided steps' : data.outcome === 'subscribed' ? 'following the known incident' : `support conversation #${conversationNumber} opened`}`,
      data: { diagnosisId: row.id, outcome: data.outcome, ref, verdict: f.verdict.code } });
    return {
      diagnosis: diagnosisOut({ ...updated, findings: f }),
      conversationId: data.outcome === 'conversation' ? ref : null, conversationNumber, incidentId, text,
    };
  });
}
