import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie } from 'hono/cookie';
import {
  getMe, getMyUsage, listMyInvoices, getMyInvoice, getMyInvoiceDocument, checkServiceStatus, followIncident, runDiagnosis, getMyDiagnosis,
  listMyDiagnoses, finishDiagnosis, listMyPlans, previewPlanChange, applyPlanChange, previewCancellation, applyCancellation,
  listMyConversations, getMyConversation, sendSupportMessage, getMyPreferences, updateMyPreferences, exportMyData, requestDeletion,
  getMyDeletionRequest, listAssistantGrants, createAssistantGrant, revokeAssistantGrant, endCustomerSession, PORTAL_COOKIE,
  MeSchema, MyUsageSchema, MyInvoicesSchema, ExplainedInvoiceSchema, ServiceStatusSchema, DiagnosisSchema, RunDiagnosisInput,
  FinishDiagnosisInput, DiagnosisEndedSchema, PlanChangePreviewInput, QuoteSchema, PlanChangeApplyInput, CancelApplyInput, PlanChangedSchema,
  MyPlanSchema, MyConversationSchema, MyConversationDetailSchema, MyMessageSchema, SupportRequestInput, PreferencesSchema, PreferencesInput,
  GrantInput, GrantSchema, DeletionRequestSchema,
} from '../../domains/portal/index.ts';
import { getWorkspace } from '../../domains/workspaces/index.ts';
import { asSystem } from '../../domains/portal/index.ts';
import { router, json, body, errors, IdParam } from '../context.ts';

const tags = ['me (customer)'];
const security: Record<string, string[]>[] = [{ portal: [] }, { assistant: [] }];
const list = <T extends z.ZodType>(item: T, name: string) => z.object({ data: z.array(item) }).openapi(name);
const PlanList = z.object({ currentPlanId: z.string().nullable(), data: z.array(MyPlanSchema.extend({ current: z.boolean() })) }).openapi('PortalPlanList');
const SentSchema = z.object({ conversation: MyConversationSchema, message: MyMessageSchema }).openapi('PortalMessageSent');
const FollowSchema = z.object({ incidentId: z.string(), channel: z.string().nullable(), following: z.boolean(), text: z.string() }).openapi('PortalFollow');
const ConversationIdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

/**
 * The customer's own API: a portal session or an assistant grant (with the scope each route
 * names). The same verbs answer the MCP tools. Anyone else is refused (middleware/customer-auth.ts).
 */
export function portalRoutes() {
  const r = router();
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me', summary: 'Who I am: customer, workspace, subscription, and the grant when an assistant asks', responses: { 200: json(MeSchema), ...errors } }),
    async (c) => c.json(await getMe({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/sign-out', summary: 'End this portal session', responses: { 204: { description: 'Signed out' } } }), async (c) => {
    const token = c.get('sessionToken');
    if (token) await endCustomerSession({ app: c.get('ctx').app, token });
    deleteCookie(c, PORTAL_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/usage', summary: 'This month\'s usage by day, month to date against the cap, projection (scope usage:read)', responses: { 200: json(MyUsageSchema), ...errors } }),
    async (c) => c.json(await getMyUsage({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/invoices', summary: 'My invoices explained line by line, why each differs from the one before, next bill (scope billing:read)', responses: { 200: json(MyInvoicesSchema), ...errors } }),
    async (c) => c.json(await listMyInvoices({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/invoices/{id}', summary: 'One invoice explained (scope billing:read)', request: { params: IdParam }, responses: { 200: json(ExplainedInvoiceSchema), ...errors } }),
    async (c) => c.json(await getMyInvoice({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));
  for (const format of ['pdf', 'csv'] as const) {
    r.openapi(createRoute({ tags, security, method: 'get', path: `/me/invoices/{id}/${format}`, summary: `One invoice as ${format.toUpperCase()} (scope billing:read)`, request: { params: IdParam },
      responses: { 200: { description: format.toUpperCase(), content: { [format === 'pdf' ? 'application/pdf' : 'text/csv']: { schema: z.string() } } }, ...errors } }), async (c) => {
      const ctx = c.get('ctx');
      const ws = await getWorkspace({ ctx: asSystem(ctx) });
      const doc = await getMyInvoiceDocument({ ctx, id: c.req.valid('param').id, format, company: ws.name });
      return c.body(doc.body as any, 200, { 'content-type': doc.contentType, 'content-disposition': `attachment; filename="${doc.filename}"` }) as any;
    });
  }
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/service-status', summary: 'Service health at my address: my area\'s state, incidents and maintenance (scope service:diagnose)', responses: { 200: json(ServiceStatusSchema), ...errors } }),
    async (c) => c.json(await checkServiceStatus({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/incidents/{id}/follow', summary: 'Follow an incident in my area: updates on my preferred channel (scope service:diagnose)', request: { params: IdParam }, responses: { 200: json(FollowSchema), ...errors } }),
    async (c) => c.json(await followIncident({ ctx: c.get('ctx'), incidentId: c.req.valid('param').id }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/diagnosis', summary: 'Run a self-diagnosis: account, incidents in my area, my line, guided steps (scope service:diagnose)', request: { body: { required: false, content: { 'application/json': { schema: RunDiagnosisInput } } } }, responses: { 201: json(DiagnosisSchema), ...errors } }),
    async (c) => c.json(await runDiagnosis({ ctx: c.get('ctx'), input: await c.req.json().catch(() => ({})) }) as any, 201));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/diagnosis', summary: 'My recent diagnoses (scope service:diagnose)', responses: { 200: json(list(DiagnosisSchema, 'PortalDiagnosisList')), ...errors } }),
    async (c) => c.json(await listMyDiagnoses({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/diagnosis/{id}', summary: 'One of my diagnoses (scope service:diagnose)', request: { params: IdParam }, responses: { 200: json(DiagnosisSchema), ...errors } }),
    async (c) => c.json(await getMyDiagnosis({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/diagnosis/{id}/outcome', summary: 'End a diagnosis: resolved, subscribed to the known incident, or a conversation opened holding it all (scope service:diagnose)', request: { params: IdParam, ...body(FinishDiagnosisInput) }, responses: { 200: json(DiagnosisEndedSchema), ...errors } }),
    async (c) => c.json(await finishDiagnosis({ ctx: c.get('ctx'), id: c.req.valid('param').id, input: c.req.valid('json') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/plans', summary: 'The plans I can choose, mine marked', responses: { 200: json(PlanList), ...errors } }),
    async (c) => c.json(await listMyPlans({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/plan-change/preview', summary: 'Price of a plan change (proration to the day, new monthly price, effective date) and its single-use previewToken (scope plan:change)', request: body(PlanChangePreviewInput), responses: { 200: json(QuoteSchema), ...errors } }),
    async (c) => c.json(await previewPlanChange({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/plan-change', summary: 'Apply a previewed plan change, with its previewToken (scope plan:change)', request: body(PlanChangeApplyInput), responses: { 200: json(PlanChangedSchema), ...errors } }),
    async (c) => c.json(await applyPlanChange({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/cancellation/preview', summary: 'What cancelling means (end date, at most one honest offer) and its previewToken (scope plan:change)', responses: { 200: json(QuoteSchema), ...errors } }),
    async (c) => c.json(await previewCancellation({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/cancellation', summary: 'Cancel, with the cancellation previewToken; confirmed on my channel (scope plan:change)', request: body(CancelApplyInput), responses: { 200: json(PlanChangedSchema), ...errors } }),
    async (c) => c.json(await applyCancellation({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/conversations', summary: 'My conversations on every channel, with their status (scope support:write)', responses: { 200: json(list(MyConversationSchema, 'PortalConversationList')), ...errors } }),
    async (c) => c.json(await listMyConversations({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/conversations/{id}', summary: 'One of my conversations with its messages (scope support:write)', request: { params: ConversationIdParam }, responses: { 200: json(MyConversationDetailSchema), ...errors } }),
    async (c) => c.json(await getMyConversation({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/conversations', summary: 'Open a support request, or continue one with conversationId (scope support:write)', request: body(SupportRequestInput), responses: { 201: json(SentSchema), ...errors } }),
    async (c) => c.json(await sendSupportMessage({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/conversations/{id}/messages', summary: 'Continue one of my conversations: the same one the agent sees (scope support:write)', request: { params: ConversationIdParam, ...body(z.object({ message: z.string().trim().min(1).max(10_000) })) }, responses: { 201: json(SentSchema), ...errors } }),
    async (c) => c.json(await sendSupportMessage({ ctx: c.get('ctx'), input: { conversationId: c.req.valid('param').id, message: c.req.valid('json').message } }) as any, 201));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/preferences', summary: 'My channel, quiet hours, language and notices (the customer only)', responses: { 200: json(PreferencesSchema), ...errors } }),
    async (c) => c.json(await getMyPreferences({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'patch', path: '/me/preferences', summary: 'Change my preferences (the customer only)', request: body(PreferencesInput), responses: { 200: json(PreferencesSchema), ...errors } }),
    async (c) => c.json(await updateMyPreferences({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/export', summary: 'Everything held about me, as JSON (the customer only)', responses: { 200: json(z.record(z.string(), z.unknown()).openapi('PortalExport')), ...errors } }), async (c) => {
    c.header('content-disposition', 'attachment; filename="my-data.json"');
    return c.json(await exportMyData({ ctx: c.get('ctx') }) as any, 200);
  });
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/deletion-request', summary: 'Ask for my data to be deleted; an admin completes it (the customer only)', request: { body: { required: false, content: { 'application/json': { schema: z.object({ note: z.string().max(1000).optional() }) } } } }, responses: { 202: json(DeletionRequestSchema), ...errors } }),
    async (c) => c.json(await requestDeletion({ ctx: c.get('ctx'), note: ((await c.req.json().catch(() => ({}))) as { note?: string }).note }) as any, 202));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/deletion-request', summary: 'My deletion request, if any', responses: { 200: json(DeletionRequestSchema.nullable()), ...errors } }),
    async (c) => c.json(await getMyDeletionRequest({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'get', path: '/me/assistants', summary: 'The AI assistants I gave access, and what each did (the customer only)', responses: { 200: json(list(GrantSchema, 'AssistantGrantList')), ...errors } }),
    async (c) => c.json(await listAssistantGrants({ ctx: c.get('ctx') }) as any, 200));
  r.openapi(createRoute({ tags, security, method: 'post', path: '/me/assistants', summary: 'Give an AI assistant access: scopes, expiry, name; the token is shown once (the customer only)', request: body(GrantInput), responses: { 201: json(GrantSchema.extend({ token: z.string() }).openapi('AssistantGrantCreated')), ...errors } }),
    async (c) => c.json(await createAssistantGrant({ ctx: c.get('ctx'), input: c.req.valid('json') }) as any, 201));
  r.openapi(createRoute({ tags, security, method: 'delete', path: '/me/assistants/{id}', summary: 'Revoke an assistant\'s access at once (the customer only)', request: { params: IdParam }, responses: { 200: json(GrantSchema), ...errors } }),
    async (c) => c.json(await revokeAssistantGrant({ ctx: c.get('ctx'), id: c.req.valid('param').id }) as any, 200));
  return r;
}
