import type { Ctx } from '../platform/ctx.ts';
import { upsertSlaPolicy, setTeamCalendar } from '../domains/insights/index.ts';

/**
 * Fibrelink's SLA: answer within 2 business hours (urgent: 30 min, chat: 15 min), resolve within
 * 2 business days, a €5 service credit per breach; the Retention desk works 10:00–18:00 from
 * Lisbon. The facts of the generated history are not computed here (that would lengthen the first
 * start): the server's InsightsWorker catches up on conversations without facts as soon as it runs,
 * so the charts fill with weeks of history (and its breaches) within seconds of the first start.
 */
export async function seedDemoInsights(ctx: Ctx, teamIds: Record<string, string>): Promise<void> {
  await upsertSlaPolicy({ ctx, input: { name: 'Standard', firstResponseSeconds: 2 * 3600, nextResponseSeconds: 4 * 3600, resolutionSeconds: 24 * 3600, creditCents: 500 } });
  await upsertSlaPolicy({ ctx, input: { name: 'Urgent', priority: 'urgent', firstResponseSeconds: 30 * 60, nextResponseSeconds: 3600, resolutionSeconds: 8 * 3600, creditCents: 1000 } });
  await upsertSlaPolicy({ ctx, input: { name: 'Chat', channel: 'chat', firstResponseSeconds: 15 * 60, nextResponseSeconds: 30 * 60, resolutionSeconds: 12 * 3600, creditCents: 500 } });
  if (teamIds.Retention) {
    await setTeamCalendar({ ctx, teamId: teamIds.Retention, input: { timezone: 'Europe/Lisbon', hours: [1, 2, 3, 4, 5].map((day) => ({ day, open: '10:00', close: '18:00' })), holidays: [] } });
  }
}
