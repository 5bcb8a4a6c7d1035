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
  const unsubscribe = app.bus.subscribe((e) => {
    if (e.type === 'message.created' && e.data.direction === 'in' && e.conversationId && typeof e.data.serviceAreaId === 'string') {
      void linkIncidentContact(systemCtx(app, e.workspaceId, 'incident-contacts'), { conversationId: e.conversationId, serviceAreaId: e.data.serviceAreaId })
        .catch((err) => app.log.warn({ err, conversationId: e.conversationId }, 'linking a contact to its incident failed'));
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
