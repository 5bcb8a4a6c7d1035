import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Ctx } from '../platform/ctx.ts';
import { AppError } from '../platform/errors.ts';
import { formatMoney } from '../domains/billing/index.ts';
import {
  getMyUsage, getMyInvoice, listMyInvoices, latestInvoiceId, checkServiceStatus, runDiagnosis, finishDiagnosis, listMyPlans, previewPlanChange, applyPlanChange,
  sendSupportMessage, listMyConversations, getMyConversation, selfOf,
  MyUsageSchema, ExplainedInvoiceSchema, ServiceStatusSchema, DiagnosisSchema, MyPlanSchema, QuoteSchema, PlanChangedSchema, MyConversationSchema,
  MyConversationDetailSchema, MyMessageSchema,
} from '../domains/portal/index.ts';

type Result = { content: { type: 'text'; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

/** A tool's answer: the structured result (checked against the output schema) and the same in words. */
const ok = (data: object, text: string): Result => ({ content: [{ type: 'text', text }], structuredContent: data as Record<string, unknown> });
/** A refusal or failure as a tool error the assistant can read (a missing scope names it). */
const fail = (err: unknown): Result => {
  if (err instanceof AppError) return { content: [{ type: 'text', text: `${err.code}: ${err.message}` }], isError: true };
  throw err;
};
const run = async (f: () => Promise<Result>): Promise<Result> => { try { return await f(); } catch (err) { return fail(err); } };

const PlanListOut = z.object({ currentPlanId: z.string().nullable(), data: z.array(MyPlanSchema.extend({ current: z.boolean() })) });
const SentOut = z.object({ conversation: MyConversationSchema, message: MyMessageSchema.nullable(), text: z.string() });
const SupportOut = z.object({ conversations: z.array(MyConversationSchema), conversation: MyConversationDetailSchema.nullable() });

/**
 * The customer's own assistant's view of Candor, one McpServer per request (stateless), bound to
 * the ctx of the grant that connected. Every tool calls the same verb as /api/v1/me; the verbs
 * check the grant's scopes and put what the assistant did on the customer's timeline.
 */
export function buildMcpServer(ctx: Ctx): McpServer {
  const server = new McpServer({ name: 'candor', version: '1.0.0' }, {
    instructions: 'Self-service for one customer of this company, under the grant they gave you: usage, bills explained, service status and diagnosis, plan changes (preview first, then change_plan with the previewToken), support requests.',
  });
  const m = (c: number, cur = 'EUR') => formatMoney(c, cur);

  server.registerTool('get_usage', {
    title: 'Usage this month', description: 'Daily data use this month, the month to date against the plan\'s cap, and a projection to the month\'s end. Scope usage:read.',
    inputSchema: {}, outputSchema: MyUsageSchema, annotations: { readOnlyHint: true },
  }, async () => run(async () => { const u = await getMyUsage({ ctx }); return ok(u, u.summary); }));

  server.registerTool('explain_bill', {
    title: 'Explain a bill', description: 'An invoice (the latest unless invoiceId is given) line by line in plain language, and why it differs from the one before (proration, plan change, credits, fees, usage, price rise). Scope billing:read.',
    inputSchema: { invoiceId: z.string().uuid().optional().describe('an invoice id from the invoices resource; default the latest') }, outputSchema: ExplainedInvoiceSchema, annotations: { readOnlyHint: true },
  }, async ({ invoiceId }) => run(async () => {
    selfOf(ctx, 'billing:read');
    const id = invoiceId ?? await latestInvoiceId(ctx, selfOf(ctx, 'billing:read'));
    if (!id) throw new AppError('not_found', 'There are no invoices yet');
    const inv = await getMyInvoice({ ctx, id });
    return ok(inv, [`Invoice ${inv.number} (${inv.periodStart} to ${inv.periodEnd}): ${m(inv.totalCents, inv.currency)}, ${inv.status}.`, ...inv.lines.map((l) => `- ${l.explanation}`), inv.summary].join('\n'));
  }));

  server.registerTool('check_service_status', {
    title: 'Service status at my address', description: 'The state of the customer\'s service area and the incidents and maintenance affecting it. Scope service:diagnose.',
    inputSchema: {}, outputSchema: ServiceStatusSchema, annotations: { readOnlyHint: true },
  }, async () => run(async () => { const s = await checkServiceStatus({ ctx }); return ok(s, [s.summary, ...s.incidents.map((i) => `- ${i.name} (${i.status}): ${i.latestUpdate ?? ''}`)].join('\n')); }));

  server.registerTool('run_diagnosis', {
    title: 'Diagnose "my internet is down / slow"', description: 'Checks the account (suspended?), incidents in the area and the customer\'s line (fibre box, optical signal, speed, Wi-Fi), and returns a verdict with guided steps. Recorded on the customer\'s timeline. Scope service:diagnose.',
    inputSchema: { symptom: z.enum(['down', 'slow', 'intermittent', 'wifi']).default('down') }, outputSchema: DiagnosisSchema,
  }, async ({ symptom }) => run(async () => {
    const d = await runDiagnosis({ ctx, input: { symptom } });
    return ok(d, [`${d.verdict.title}. ${d.verdict.text}`, `Account: ${d.account.text}`, `Area: ${d.area.text}`, `Line: ${d.line.text}`, ...d.steps.map((s, i) => `${i + 1}. ${s.text}`), `Diagnosis id ${d.id}; suggested ending: ${d.suggestedOutcome}.`].join('\n'));
  }));

  server.registerTool('list_plans', {
    title: 'Plans on offer', description: 'The plans the customer can choose now, cheapest first, theirs marked current.',
    inputSchema: {}, outputSchema: PlanListOut, annotations: { readOnlyHint: true },
  }, async () => run(async () => { const p = await listMyPlans({ ctx }); return ok(p, p.data.map((x) => `${x.code}: ${x.name}, ${m(x.priceCents, x.currency)}/month, ${x.downloadMbps}/${x.uploadMbps} Mbit/s${x.dataCapGb ? `, ${x.dataCapGb} GB` : ''}${x.current ? ' (current)' : ''}`).join('\n')); }));

  server.registerTool('preview_plan_change', {
    title: 'Preview a plan change', description: 'The price of changing to a plan (proration to the day, new monthly price, effective date) without changing anything. Returns the previewToken change_plan needs. Scope plan:change.',
    inputSchema: { planCode: z.string().optional().describe('e.g. FIBRE-1000, from list_plans'), planId: z.string().uuid().optional() }, outputSchema: QuoteSchema, annotations: { readOnlyHint: false, idempotentHint: false },
  }, async ({ planCode, planId }) => run(async () => { const q = await previewPlanChange({ ctx, input: { planCode, planId } }); return ok(q, `${q.summary}\npreviewToken (single use, until ${q.expiresAt}): ${q.previewToken}`); }));

  server.registerTool('change_plan', {
    title: 'Change plan', description: 'Applies a plan change the customer has seen the price of: only with the previewToken preview_plan_change returned for this plan (single use). Confirmed on the customer\'s channel. Scope plan:change.',
    inputSchema: { previewToken: z.string().min(10), planCode: z.string().optional().describe('the plan previewed (a check: a token is bound to its plan)'), planId: z.string().uuid().optional() },
    outputSchema: PlanChangedSchema, annotations: { destructiveHint: true },
  }, async ({ previewToken, planCode, planId }) => run(async () => { const r = await applyPlanChange({ ctx, input: { previewToken, planCode, planId } }); return ok(r, r.text); }));

  server.registerTool('open_support_request', {
    title: 'Write to support', description: 'Opens a support conversation (or continues one with conversationId). With diagnosisId, the request carries that whole diagnosis, so nobody asks again. Scope support:write.',
    inputSchema: { message: z.string().min(1).max(10_000), subject: z.string().max(200).optional(), conversationId: z.string().uuid().optional(), diagnosisId: z.string().uuid().optional() },
    outputSchema: SentOut,
  }, async ({ message, subject, conversationId, diagnosisId }) => run(async () => {
    if (diagnosisId) {
      selfOf(ctx, 'support:write');
      const ended = await finishDiagnosis({ ctx, id: diagnosisId, input: { outcome: 'conversation', note: message } });
      const conv = await getMyConversation({ ctx, id: ended.conversationId! });
      const { messages, ...summary } = conv;
      return ok({ conversation: summary, message: messages[messages.length - 1] ?? null, text: ended.text }, ended.text);
    }
    const s = await sendSupportMessage({ ctx, input: { message, subject, conversationId } });
    const text = `Conversation #${s.conversation.number} ${conversationId ? 'continued' : 'opened'}; support answers there (and on the customer's channel).`;
    return ok({ ...s, text }, text);
  }));

  server.registerTool('get_support_status', {
    title: 'Support status', description: 'The customer\'s conversations with their status and whose turn it is; with conversationId, that conversation\'s messages. Scope support:write.',
    inputSchema: { conversationId: z.string().uuid().optional() }, outputSchema: SupportOut, annotations: { readOnlyHint: true },
  }, async ({ conversationId }) => run(async () => {
    const list = await listMyConversations({ ctx });
    const one = conversationId ? await getMyConversation({ ctx, id: conversationId }) : null;
    const text = one ? [`#${one.number} ${one.subject ?? ''} — ${one.status}, waiting on ${one.waitingOn}`, ...one.messages.map((x) => `${x.from}: ${x.bodyText}`)].join('\n')
      : list.data.map((c) => `#${c.number} ${c.subject ?? ''} — ${c.status}, waiting on ${c.waitingOn}`).join('\n') || 'No conversations.';
    return ok({ conversations: list.data, conversation: one }, text);
  }));

  server.registerResource('invoices', new ResourceTemplate('candor://invoices/{id}', {
    list: async () => {
      try {
        const { data } = await listMyInvoices({ ctx });
        return { resources: data.map((i) => ({ uri: `candor://invoices/${i.id}`, name: `Invoice ${i.number}`, description: `${i.periodStart} to ${i.periodEnd}: ${m(i.totalCents, i.currency)} (${i.status})`, mimeType: 'application/json' })) };
      } catch (err) { if (err instanceof AppError) return { resources: [] }; throw err; }
    },
  }), { title: 'My invoices', description: 'Each invoice explained (scope billing:read)', mimeType: 'application/json' }, async (uri, { id }) => {
    const inv = await getMyInvoice({ ctx, id: String(id) });
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(inv) }] };
  });

  server.registerResource('conversations', new ResourceTemplate('candor://conversations/{id}', {
    list: async () => {
      try {
        const { data } = await listMyConversations({ ctx });
        return { resources: data.map((c) => ({ uri: `candor://conversations/${c.id}`, name: `#${c.number} ${c.subject ?? ''}`.trim(), description: `${c.status}, waiting on ${c.waitingOn}`, mimeType: 'application/json' })) };
      } catch (err) { if (err instanceof AppError) return { resources: [] }; throw err; }
    },
  }), { title: 'My conversations', description: 'Each conversation with its messages (scope support:write)', mimeType: 'application/json' }, async (uri, { id }) => {
    const conv = await getMyConversation({ ctx, id: String(id) });
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(conv) }] };
  });
  return server;
}
