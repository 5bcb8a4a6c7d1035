import { and, desc, eq, inArray } from 'drizzle-orm';
import { diagnoses, invoices } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { notFound, parseInput } from '../../platform/errors.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import { formatMoney } from '../billing/index.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { paidCents } from '../billing/loaders.ts';
import { networkProbeFor, type LineReport } from './network-probe.ts';
import { RunDiagnosisInput } from './portal.schemas.ts';
import { asSystem, mySubscription, recordSelf, selfOf } from './self.ts';
import { incidentsInArea, type IncidentBrief } from './service-status.ts';

type Step = { id: string; text: string };
type Verdict = { code: string; title: string; text: string };
export type Findings = {
  account: { status: string; overdueInvoices: number; overdueCents: number; ok: boolean; text: string };
  area: { ok: boolean; text: string; incidents: Omit<IncidentBrief, 'componentStatus'>[] };
  line: LineReport & { ok: boolean; text: string; planDownMbps: number | null };
  verdict: Verdict; steps: Step[]; suggestedOutcome: 'resolved' | 'subscribed' | 'conversation';
};

/** Reads the line report in words, and the steps that fix what it found. */
function judgeLine(line: LineReport, planDown: number | null): { ok: boolean; text: string; verdict?: Verdict; steps: Step[]; outcome?: Findings['suggestedOutcome'] } {
  if (!line.available) return { ok: true, text: 'We cannot look at your line from here; the account and area checks are all we have.', steps: [] };
  const f = line.faults;
  if (f.includes('area_outage')) return { ok: false, text: 'Your fibre box is on but receives no light from our network: the fault is on our side, outside your home.', steps: [] };
  if (f.includes('ont_offline')) return {
    ok: false, text: 'Your fibre box (ONT) is not answering our network: it looks switched off or unplugged.',
    verdict: { code: 'ont_offline', title: 'Your fibre box is offline', text: 'The box where the fibre enters your home is not reachable. This is usually its power.' },
    steps: [
      { id: 'ont-power', text: 'Check that the fibre box (the small white box where the fibre comes in) has its power lights on; plug it in or try another socket.' },
      { id: 'ont-restart', text: 'Switch it off for 30 seconds and on again; wait 3 minutes for the PON/Fibre light to turn steady green.' },
      { id: 'ont-cable', text: 'Check the network cable between the fibre box and your router is clicked in at both ends.' },
    ], outcome: 'resolved',
  };
  if (f.includes('low_optical_power')) return {
    ok: false, text: `The light reaching your fibre box is weak (${line.opticalPowerDbm} dBm; a good line is between −8 and −25 dBm). That slows or drops the connection.`,
    verdict: { code: 'low_optical_power', title: 'Weak fibre signal', text: 'Too little light reaches your fibre box: usually a bent or dirty fibre cable near the box, sometimes the wall socket.' },
    steps: [
      { id: 'fibre-bend', text: 'Look at the thin fibre cable from the wall socket to the box: it must not be kinked, pinched by furniture or wound tightly.' },
      { id: 'fibre-seat', text: 'Check the green fibre plug is fully clicked into the box and the wall socket. Do not look into the plug.' },
      { id: 'fibre-technician', text: 'If the signal stays weak, a technician replaces the cable or socket: we open a request with everything measured here.' },
    ], outcome: 'conversation',
  };
  if (f.includes('wifi_congestion')) return {
    ok: false, text: `Your line is fine (${line.measuredDownMbps} Mbit/s at the box), but your Wi-Fi is crowded: ${line.wifi?.devices} devices on ${line.wifi?.band}, the channel busy ${line.wifi?.channelBusyPercent}% of the time.`,
    verdict: { code: 'wifi_congestion', title: 'Your Wi-Fi is congested', text: 'The connection into your home is fine; the Wi-Fi inside it is overloaded.' },
    steps: [
      { id: 'wifi-5ghz', text: 'Connect your laptop and TV to the 5 GHz network (often the name ending in -5G): it has far more room than 2.4 GHz.' },
      { id: 'wifi-channel', text: 'Restart your router: it picks the least busy Wi-Fi channel when it starts.' },
      { id: 'wifi-place', text: 'Put the router high and in the open, away from the meter cupboard; for a large home, a mesh point helps.' },
    ], outcome: 'resolved',
  };
  if (f.includes('speed_below_plan')) return {
    ok: false, text: `A speed test from your fibre box gave ${line.measuredDownMbps} Mbit/s, well below the ${planDown} Mbit/s of your plan.`,
    verdict: { code: 'speed_below_plan', title: 'Slower than your plan', text: 'Your line delivers less than your plan promises.' },
    steps: [
      { id: 'speed-wired', text: 'Test with a cable from a computer to the router (Wi-Fi tests measure the Wi-Fi, not the line).' },
      { id: 'speed-restart', text: 'Restart the router and the fibre box, then test again.' },
      { id: 'speed-escalate', text: 'Still slow on a cable? Then it is ours to fix: we open a request with the measurements.' },
    ], outcome: 'conversation',
  };
  return { ok: true, text: `Your line looks healthy: fibre box online, signal ${line.opticalPowerDbm} dBm, ${line.measuredDownMbps}/${line.measuredUpMbps} Mbit/s measured at the box.`, steps: [] };
}

/**
 * Self-diagnosis of "my internet is down / slow": the account (suspended for non-payment?), the
 * incidents in my area, my line through the workspace's network probe, then guided steps and a
 * suggested way to end it. Recorded (and on my timeline) so whoever helps next sees it.
 */
export async function runDiagnosis({ ctx, input = {} }: { ctx: Ctx; input?: unknown }) {
  const customerId = selfOf(ctx, 'service:diagnose');
  const { symptom } = parseInput(RunDiagnosisInput, input ?? {});
  const sys = asSystem(ctx);
  const sub = await mySubscription(sys, customerId);
  const ws = await getWorkspace({ ctx: sys });
  const unpaid = await sys.db.select().from(invoices).where(and(eq(invoices.workspaceId, ctx.workspaceId), eq(invoices.customerId, customerId), inArray(invoices.status, ['overdue'])));
  const paid = await paidCents(sys, unpaid.map((i) => i.id));
  const overdueCents = unpaid.reduce((t, i) => t + i.totalCents - (paid.get(i.id) ?? 0), 0);
  const status = sub?.row.status ?? 'none';
  const currency = unpaid[0]?.currency ?? sub?.plan.currency ?? 'EUR';
  const account = {
    status, overdueInvoices: unpaid.length, overdueCents, ok: status === 'active',
    text: !sub ? 'You have no subscription with us.'
      : status === 'suspended' ? `Your service is suspended${unpaid.length ? ` because ${unpaid.length} invoice${unpaid.length > 1 ? 's are' : ' is'} overdue (${formatMoney(overdueCents, currency)})` : ''}.`
        : status === 'cancelled' ? 'Your subscription has ended.'
          : unpaid.length ? `Your account is active; ${unpaid.length} invoice${unpaid.length > 1 ? 's are' : ' is'} overdue (${formatMoney(overdueCents, currency)}), which does not affect your service yet.` : 'Your account is active and paid up.',
  };
  const list = sub ? await incidentsInArea(sys, sub.area.id, customerId) : [];
  const outage = list.find((i) => i.kind === 'incident' && (i.componentStatus === 'major_outage' || i.componentStatus === 'partial_outage'));
  const area = { ok: !list.length, incidents: list.map(({ componentStatus: _c, ...r }) => r),
    text: !sub ? '' : list.length ? `Known in ${sub.area.name}: ${list.map((i) => `${i.name} (${i.status})`).join('; ')}.` : `No known problems in ${sub.area.name}.` };
  const probe = networkProbeFor(ctx.workspaceId, ws.isDemo);
  const report = sub ? await probe.probeLine({ ctx: sys, subscription: sub, areaOutage: !!outage }) : { available: false, ont: 'unknown' as const, opticalPowerDbm: null, measuredDownMbps: null, measuredUpMbps: null, wifi: null, faults: [] };
  const judged = judgeLine(report, sub?.plan.downloadMbps ?? null);

  let verdict: Verdict; let steps: Step[] = judged.steps; let suggested: Findings['suggestedOutcome'];
  if (!sub || status === 'cancelled') { verdict = { code: 'no_service', title: 'No active subscription', text: account.text }; suggested = 'conversation'; }
  else if (status === 'suspended') {
    verdict = { code: 'suspended', title: 'Your service is suspended', text: `${account.text} Paying the overdue amount restores the service within minutes.` };
    steps = [{ id: 'pay', text: `Pay the overdue ${formatMoney(overdueCents, currency)} (Billing, in this portal); the service comes back by itself.` }, { id: 'talk', text: 'Cannot pay right now? Open a request: we can agree a payment plan.' }];
    suggested = 'conversation';
  } else if (outage) {
    verdict = { code: 'area_outage', title: `Known outage: ${outage.name}`, text: `${outage.latestUpdate ?? 'Our engineers are on it.'}${/nothing at home/i.test(outage.latestUpdate ?? '') ? '' : ' Nothing at home needs fixing.'} Follow it and we tell you when it is back.` };
    steps = [{ id: 'follow', text: 'Follow the incident: you hear the moment it is fixed, on your preferred channel.' }, { id: 'wait', text: 'No need to restart anything: your equipment is fine.' }];
    suggested = 'subscribed';
  } else if (judged.verdict) { verdict = judged.verdict; suggested = judged.outcome ?? 'conversation'; }
  else if (list.length) {
    verdict = { code: 'area_degraded', title: `Known issue: ${list[0].name}`, text: list[0].latestUpdate ?? 'We are working on it in your area.' };
    steps = [{ id: 'follow', text: 'Follow the incident to hear when it is done.' }]; suggested = 'subscribed';
  } else {
    verdict = { code: 'no_fault_found', title: 'We found nothing wrong', text: 'Your account, your area and your line look fine.' };
    steps = [
      { id: 'restart', text: 'Restart your router: unplug it for 30 seconds.' },
      { id: 'device', text: 'Try another device, or a cable to the router, to see whether it is one device.' },
      { id: 'still', text: 'Still not right? Open a request: it carries everything checked here, so nobody asks again.' },
    ];
    suggested = 'resolved';
  }
  const findings: Findings = { account, area, line: { ...report, ok: judged.ok, text: judged.text, planDownMbps: sub?.plan.downloadMbps ?? null }, verdict, steps, suggestedOutcome: suggested };
  const id = newId();
  const createdAt = new Date();
  await withTransaction(ctx, async (tx) => {
    await tx.db.insert(diagnoses).values({ workspaceId: ctx.workspaceId, id, customerId, subscriptionId: sub?.row.id ?? null, symptom, findings: findings as unknown as Record<string, unknown>, createdAt });
    await recordSelf(tx, { customerId, kind: 'diagnosis.run', refId: id, summary: `ran a self-diagnosis (${symptom}): ${verdict.title}`, data: { diagnosisId: id, verdict: verdict.code, faults: report.faults } });
  });
  return diagnosisOut({ id, symptom, createdAt, findings, outcome: null, outcomeRef: null });
}

export function diagnosisOut(d: { id: string; symptom: string; createdAt: Date; findings: Findings; outcome: string | null; outcomeRef: string | null }) {
  const f = d.findings;
  return {
    id: d.id, symptom: d.symptom, createdAt: d.createdAt.toISOString(), account: f.account, area: f.area,
    line: { ok: f.line.ok, available: f.line.available, text: f.line.text, ont: f.line.ont, opticalPowerDbm: f.line.opticalPowerDbm, measuredDownMbps: f.line.measuredDownMbps,
      measuredUpMbps: f.line.measuredUpMbps, planDownMbps: f.line.planDownMbps, wifi: f.line.wifi, faults: f.line.faults },
    verdict: f.verdict, steps: f.steps, suggestedOutcome: f.suggestedOutcome,
    outcome: d.outcome as 'resolved' | 'subscribed' | 'conversation' | null, outcomeRef: d.outcomeRef,
  };
}

/** One of my diagnoses (not found for anyone else's). */
export async function loadMyDiagnosis(ctx: Ctx, customerId: string, id: string, lock = false) {
  if (!isUuid(id)) throw notFound('Diagnosis');
  const q = ctx.db.select().from(diagnoses).where(and(eq(diagnoses.workspaceId, ctx.workspaceId), eq(diagnoses.id, id), eq(diagnoses.customerId, customerId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('Diagnosis');
  return row;
}

export async function getMyDiagnosis({ ctx, id }: { ctx: Ctx; id: string }) {
  const customerId = selfOf(ctx, 'service:diagnose');
  const row = await loadMyDiagnosis(asSystem(ctx), customerId, id);
  return diagnosisOut({ ...row, findings: row.findings as unknown as Findings });
}

/** My recent diagnoses, newest first. */
export async function listMyDiagnoses({ ctx }: { ctx: Ctx }) {
  const customerId = selfOf(ctx, 'service:diagnose');
  const rows = await asSystem(ctx).db.select().from(diagnoses).where(and(eq(diagnoses.workspaceId, ctx.workspaceId), eq(diagnoses.customerId, customerId)))
    .orderBy(desc(diagnoses.createdAt)).limit(20);
  return { data: rows.map((r) => diagnosisOut({ ...r, findings: r.findings as unknown as Findings })) };
}
