import { and, eq, sql } from 'drizzle-orm';
import { conversations, incidentContacts } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { appendMessage } from '../conversations/append-message.ts';
import { enqueueDelivery } from '../conversations/post-message.ts';
import { loadConversation } from '../conversations/views.ts';
import { getWorkspace } from '../workspaces/index.ts';
import { publicStatusUrl } from './public-url.ts';
import { rowsOf } from '../../platform/bulk.ts';

const words: Record<string, string> = { investigating: 'we are looking into it', identified: 'we know the cause and are fixing it', monitoring: 'a fix is in and we are watching it' };

/**
 * A customer in an affected area writes while an incident is open: the conversation is linked to
 * the incident and answered at once with its state (where they wrote). It stays open, so a person
 * still sees it and answers whatever else they asked. A conversation is linked (and answered)
 * once per incident, whichever node's event handler gets there first. The conversations notices
 * travel in (tag `incident-notice`) are linked without an answer: they already say it all.
 * Returns the incident linked, or null.
 */
export async function linkIncidentContact(ctx: Ctx, input: { conversationId: string; serviceAreaId: string | null }): Promise<string | null> {
  if (!input.serviceAreaId) return null;
  const [open] = rowsOf<{ id: string; name: string; status: string; started_at: string; area: string; body: string | null }>(await ctx.db.execute(sql`
    select i.id, i.name, i.status, i.started_at, sa.name as area,
      (select u.body from incident_updates u where u.workspace_id = i.workspace_id and u.incident_id = i.id order by u.created_at desc, u.id desc limit 1) as body
    from incidents i
    join incident_components ic on ic.workspace_id = i.workspace_id and ic.incident_id = i.id
    join status_components c on c.workspace_id = ic.workspace_id and c.id = ic.component_id
    join service_areas sa on sa.workspace_id = c.workspace_id and sa.id = c.service_area_id
    where i.workspace_id = ${ctx.workspaceId} and i.kind = 'incident' and i.published and i.resolved_at is null and c.service_area_id = ${input.serviceAreaId}
    order by i.started_at desc limit 1`));
  if (!open) return null;
  return withTransaction(ctx, async (tx) => {
    const conv = await loadConversation(tx, input.conversationId, true);
    const [linked] = await tx.db.insert(incidentContacts).values({ workspaceId: ctx.workspaceId, incidentId: open.id, conversationId: conv.id, customerId: conv.customerId })
      .onConflictDoNothing().returning();
    if (!linked) return open.id;
    if (conv.tags.includes('incident-notice')) return open.id;
    const ws = await getWorkspace({ ctx: tx });
    const since = new Intl.DateTimeFormat('en-GB', { timeZone: ws.settings.timezone, hour: '2-digit', minute: '2-digit' }).format(new Date(open.started_at));
    const text = [
      `Thanks for getting in touch. We know about it: ${open.name} (${open.area}), since ${since}; ${words[open.status] ?? open.status}.`,
      open.body ? `Latest: ${open.body}` : null,
      `You can follow it live at ${publicStatusUrl(ws.slug)}. You do not need to do anything; we will tell you when it is fixed.`,
      'If you wrote about something else, or want a person, just reply: someone from the team will pick this up.',
    ].filter(Boolean).join('\n\n');
    const { message } = await appendMessage(tx, conv, { direction: 'out', authorType: 'system', authorId: `incident:${open.id}`, channel: conv.channel, channelId: conv.channelId, bodyText: text });
    await enqueueDelivery(tx, message);
    await tx.db.update(incidentContacts).set({ answerId: message.id })
      .where(and(eq(incidentContacts.workspaceId, ctx.workspaceId), eq(incidentContacts.incidentId, open.id), eq(incidentContacts.conversationId, conv.id)));
    if (!conv.tags.includes('incident')) {
      await tx.db.update(conversations).set({ tags: sql`array_append(${conversations.tags}, 'incident')` })
        .where(and(eq(conversations.workspaceId, ctx.workspaceId), eq(conversations.id, conv.id)));
    }
    return open.id;
  });
}
