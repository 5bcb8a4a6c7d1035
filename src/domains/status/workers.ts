import { systemCtx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { NOTIFY_QUEUE, SUBSCRIBERS_QUEUE } from './notice-jobs.ts';
import { notifyAffectedCustomers } from './notify-customers.ts';
import { CONFIRM_QUEUE, DELIVER_QUEUE, confirmSubscriberJob, deliverToSubscriberJob, fanOutToSubscribers, type StatusMailer, type WebhookPoster } from './subscribers.ts';
import { linkIncidentContact } from './link-contact.ts';
import { detectOutages } from './detect-outages.ts';

/** How often every workspace with fresh contact counts is checked even when no event said so. */
const SWEEP_MS = 60_000;
/** After a `reasons.counted`, detection waits this long for more before it looks (a burst is many events). */
const DEBOUNCE_MS = 10_000;

/**
 * The status domain's background work on one node: the notice and subscriber jobs, linking and
 * answering contacts made during an incident (on `message.created`), and outage detection (on
 * `reasons.counted`, debounced, and a sweep every minute: a suspicion is raised well within two
 * minutes of the counts that warrant it).
 */
export function startStatusWorkers(app: Platform, deps: { mail: StatusMailer; post: WebhookPoster }) {
  app.jobs.register(NOTIFY_QUEUE, async (job, ctx) => { await notifyAffectedCustomers(job, ctx); });
  app.jobs.register(SUBSCRIBERS_QUEUE, async (job, ctx) => { await fanOutToSubscribers(job, ctx); });
  app.jobs.register(CONFIRM_QUEUE, confirmSubscriberJob(deps));
  app.jobs.register(DELIVER_QUEUE, deliverToSubscriberJob(deps));
  const pending = new Map<string, NodeJS.Timeout>();
  const detect = (workspaceId: string) => void detectOutages({ ctx: systemCtx(app, workspaceId, 'outage-detector') })
    .catch((err) => app.log.warn({ err, workspaceId }, 'outage detection failed'));
  // Areas with an open incident, per workspace: most messages arrive when there is none, and cost no query.
  const openAreas = new Map<string, { areas: Promise<Set<string>>; at: number }>();
  const areasOf = (workspaceId: string) => {
    let hit = openAreas.get(workspaceId);
    if (!hit || Date.now() - hit.at > 30_000) {
      hit = { at: Date.now(), areas: app.database.query<{ area: string }>(
        `select distinct c.service_area_id as area from incidents i join incident_components ic on ic.workspace_id = i.workspace_id and ic.incident_id = i.id
         join status_components c on c.workspace_id = ic.workspace_id and c.id = ic.component_id
         where i.workspace_id = $1 and i.kind = 'incident' and i.published and i.resolved_at is null`, [workspaceId]).then((rows) => new Set(rows.map((r) => r.area))) };
      hit.areas.catch(() => openAreas.delete(workspaceId));
      openAreas.set(workspaceId, hit);
    }
    return hit.areas;
  };
  const unsubscribe = app.bus.subscribe((e) => {
    if (e.type.startsWith('incident.')) openAreas.delete(e.workspaceId);
    if (e.type === 'message.created' && e.data.direction === 'in' && e.conversationId && typeof e.data.serviceAreaId === 'string') {
      const [conversationId, serviceAreaId] = [e.conversationId, e.data.serviceAreaId];
      void areasOf(e.workspaceId).then((areas) => (areas.has(serviceAreaId)
        ? linkIncidentContact(systemCtx(app, e.workspaceId, 'incident-contacts'), { conversationId, serviceAreaId }) : null))
        .catch((err) => app.log.warn({ err, conversationId }, 'linking a contact to its incident failed'));
    }
    if (e.type === 'reasons.counted' && !pending.has(e.workspaceId)) {
      pending.set(e.workspaceId, setTimeout(() => { pending.delete(e.workspaceId); detect(e.workspaceId); }, DEBOUNCE_MS).unref());
    }
  });
  const sweep = setInterval(() => {
    void app.database.query<{ workspace_id: string }>(`select distinct workspace_id from reason_counts where bucket > now() - interval '30 minutes'`)
      .then((rows) => rows.forEach((r) => detect(r.workspace_id)), (err) => app.log.warn({ err }, 'outage sweep failed'));
  }, SWEEP_MS);
  sweep.unref();
  return { stop() { unsubscribe(); clearInterval(sweep); for (const t of pending.values()) clearTimeout(t); pending.clear(); } };
}
