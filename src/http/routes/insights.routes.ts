import { createRoute, z } from '@hono/zod-openapi';
import {
  getInsightsNow, getInsightsMetric, metricCsv, getSlaClocks, listSlaPolicies, upsertSlaPolicy, setTeamCalendar,
  NowSchema, MetricQuery, getInsightsSettings, updateInsightsSettings, InsightsSettingsInput, InsightsSettingsSchema, MetricResult, SlaPolicyInput, SlaPolicySchema, TeamCalendarInput, metricDefinitions, metricNames,
} from '../../domains/insights/index.ts';
import { router, json, body, errors, IdParam } from '../context.ts';

const tags = ['insights'];
const metricList = metricNames.map((m) => `- \`${m}\`: ${metricDefinitions[m]}`).join('\n');

/** Live figures, period metrics by dimension, SLA clocks and the SLA settings behind them. */
export function insightsRoutes() {
  const r = router();
  r.openapi(createRoute({
    method: 'get', path: '/insights/now', tags, summary: 'The now-panel: open, waiting, oldest wait, agents online, SLA clocks due within the hour',
    responses: { 200: json(NowSchema), ...errors },
  }), async (c) => c.json(await getInsightsNow({ ctx: c.get('ctx') }), 200));

  r.openapi(createRoute({
    method: 'get', path: '/insights/sla-clocks', tags, summary: 'Running SLA clocks (due instants) of some conversations: the countdowns of the inbox',
    request: { query: z.object({ ids: z.string().max(8000).optional().describe('Comma-separated conversation ids (up to 200; others are ignored)') }) },
    responses: { 200: json(z.object({ data: z.array(z.object({ conversationId: z.string(), firstResponseDueAt: z.string().nullable(), nextResponseDueAt: z.string().nullable(), resolutionDueAt: z.string().nullable(), breached: z.boolean() })) })), ...errors },
  }), async (c) => c.json({ data: await getSlaClocks({ ctx: c.get('ctx'), ids: (c.req.valid('query').ids ?? '').split(',') }) }, 200));

  r.openapi(createRoute({
    method: 'get', path: '/insights/settings', tags, summary: 'Scorecard settings: the leaderboard switch and team goals',
    responses: { 200: json(InsightsSettingsSchema), ...errors },
  }), async (c) => c.json(await getInsightsSettings({ ctx: c.get('ctx') }), 200));

  r.openapi(createRoute({
    method: 'put', path: '/insights/settings', tags, summary: 'Switch the leaderboard, set team goals (supervisors and admins)',
    request: body(InsightsSettingsInput), responses: { 200: json(InsightsSettingsSchema), ...errors },
  }), async (c) => c.json(await updateInsightsSettings({ ctx: c.get('ctx'), input: c.req.valid('json') }), 200));

  r.openapi(createRoute({
    method: 'get', path: '/insights/{metric}', tags, summary: 'One metric over a period, optionally grouped by channel, team, agent, area or reason',
    description: `Periods default to the last 30 days. \`format=csv\` returns the rows as CSV. Metrics:\n\n${metricList}`,
    request: { params: z.object({ metric: z.string().openapi({ param: { name: 'metric', in: 'path' }, enum: metricNames as unknown as string[] }) }), query: MetricQuery },
    responses: { 200: { description: 'The metric (JSON, or CSV with format=csv)', content: { 'application/json': { schema: MetricResult }, 'text/csv': { schema: z.string() } } }, ...errors },
  }), async (c) => {
    const q = c.req.valid('query');
    const res = await getInsightsMetric({ ctx: c.get('ctx'), metric: c.req.valid('param').metric, input: q });
    if (q.format === 'csv') {
      return c.body(metricCsv(res), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${res.metric}.csv"` }) as any;
    }
    return c.json(res as any, 200);
  });

  r.openapi(createRoute({
    method: 'get', path: '/sla-policies', tags, summary: "The workspace's SLA policies", responses: { 200: json(z.object({ data: z.array(SlaPolicySchema) })), ...errors },
  }), async (c) => c.json({ data: await listSlaPolicies({ ctx: c.get('ctx') }) } as any, 200));

  r.openapi(createRoute({
    method: 'put', path: '/sla-policies', tags, summary: 'Create or replace the SLA policy of a (priority, channel) pair; null = any (admins)',
    request: body(SlaPolicyInput), responses: { 200: json(SlaPolicySchema), ...errors },
  }), async (c) => c.json(await upsertSlaPolicy({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));

  r.openapi(createRoute({
    method: 'put', path: '/teams/{id}/calendar', tags, summary: "A team's business hours: time zone, ranges per weekday, holidays (admins)",
    request: { params: IdParam, ...body(TeamCalendarInput) }, responses: { 200: json(TeamCalendarInput.extend({ teamId: z.string() })), ...errors },
  }), async (c) => c.json(await setTeamCalendar({ ctx: c.get('ctx'), teamId: c.req.valid('param').id, input: c.req.valid('json') }) as any, 200));
  return r;
}
