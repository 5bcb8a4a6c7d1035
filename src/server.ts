import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './http/app.ts';
import { deliveryJob, wakeSnoozedConversations, type ChannelSender } from './domains/conversations/index.ts';
import { sendersFrom } from './channels/registry.ts';
import { attachRealtime } from './realtime/gateway.ts';
import { Labeller, RETRAIN_QUEUE, retrainReasonModel } from './domains/understanding/index.ts';
import { startSmtpListener, sendPlainMail, postWebhook } from './channels/email/index.ts';
import { startStatusWorkers } from './domains/status/index.ts';
import { InsightsWorker, setPresenceSource } from './domains/insights/index.ts';
import type { Platform } from './platform/platform.ts';
import type { Config } from './platform/config.ts';

export type RunningServer = { url: string; server: ServerType; smtpPort?: number; close(): Promise<void> };

/** Runs the HTTP API, the web app and the job workers of one Candor node on an open platform. */
/** How long after listening the background workers start (a first request is served first). */
const WORKERS_AFTER_MS = Number(process.env.CANDOR_WORKERS_AFTER_MS ?? 1000);

export async function startServer(app: Platform, config: Pick<Config, 'port' | 'host' | 'secureCookies'> & { trustedProxies?: string; publicUrl?: string; smtpPort?: number; maxBodyBytes?: number; publicStatusSlug?: string }, extras: { senders?: Map<string, ChannelSender> } = {}): Promise<RunningServer> {
  const http = createApp(app, { secureCookies: config.secureCookies, publicUrl: config.publicUrl, maxBodyBytes: config.maxBodyBytes, publicStatusSlug: config.publicStatusSlug, trustedProxies: config.trustedProxies });
  app.jobs.register('outbound.deliver', deliveryJob(extras.senders ?? sendersFrom()));
  app.jobs.register(RETRAIN_QUEUE, async (_job, ctx) => { await retrainReasonModel({ ctx }); });
  const labeller = new Labeller(app);
  const insights = new InsightsWorker(app);
  let status: { stop(): void } | undefined;
  /**
   * The background workers (labeller, facts, status) start once the server is listening: on
   * PGlite their first passes (a first start's catch-up over the whole demo) run on the same event
   * loop, and would otherwise hold the listen and the first requests back by seconds.
   */
  const startWorkers = () => {
    status = startStatusWorkers(app, { mail: sendPlainMail, post: postWebhook });
    labeller.start();
    insights.start();
  };
  app.jobs.start();
  const snoozeTimer = setInterval(() => void wakeSnoozedConversations({ app }).catch((err) => app.log.error({ err }, 'snooze sweep failed')), 15_000);
  snoozeTimer.unref();
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: http.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const realtime = attachRealtime(server as Server, app);
  setPresenceSource((ws) => realtime.hub.presence(ws));
  const closers: (() => Promise<void>)[] = [realtime.close];
  // The email channel's SMTP listener, when a port is given (`candor start`: CANDOR_SMTP_PORT, default 2525).
  const smtp = config.smtpPort === undefined ? null : await startSmtpListener(app, { port: config.smtpPort, host: config.host });
  if (smtp) closers.push(smtp.close);
  const workersTimer = setTimeout(startWorkers, WORKERS_AFTER_MS);
  return {
    url: `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`,
    server,
    smtpPort: smtp?.port,
    async close() {
      // Stop taking requests; close the long-lived sockets (server.close waits for every connection,
      // upgraded ones included); let the requests in flight finish; then stop the workers.
      clearInterval(snoozeTimer);
      clearTimeout(workersTimer);
      status?.stop();
      await labeller.stop();
      await insights.stop();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of closers) await c();
      await drained;
      await app.jobs.stop();
    },
  };
}
