import nodemailer from 'nodemailer';
import type { Ctx } from '../../platform/ctx.ts';
import { listChannels, loadChannel } from '../../domains/channels/index.ts';
import { NotConfiguredError, PermanentDeliveryError } from '../../domains/conversations/index.ts';
import { captureInOutbox, outboxFallback } from '../../domains/outbox/index.ts';
import type { StatusMail } from '../../domains/status/index.ts';
import { emailConfigOf } from './config.ts';

/**
 * Sends a mail that belongs to no conversation (status subscriptions) from the workspace's first
 * active email channel with an SMTP relay; without one it lands in the workspace outbox when the
 * workspace keeps one (the demo), and fails permanently otherwise.
 */
export async function sendPlainMail(ctx: Ctx, mail: StatusMail, ref: { source: string; refId: string }): Promise<void> {
  const channels = (await listChannels({ ctx, kind: 'email' })).filter((c) => c.active);
  const withRelay = channels.map((c) => ({ c, cfg: emailConfigOf(c as any) })).find((x) => x.cfg?.smtpHost);
  if (!withRelay) {
    if (await outboxFallback(ctx)) {
      await captureInOutbox(ctx, { channel: 'email', to: mail.to, subject: mail.subject, bodyText: mail.text, headers: mail.headers, ...ref });
      return;
    }
    throw new NotConfiguredError('No email channel with an SMTP relay to send from');
  }
  const { cfg, c } = withRelay;
  const secrets = (await loadChannel(ctx, c.id)).secrets;
  const transport = nodemailer.createTransport({
    host: cfg!.smtpHost, port: cfg!.smtpPort ?? (cfg!.secure ? 465 : 587), secure: cfg!.secure ?? false, requireTLS: cfg!.requireTLS ?? false,
    auth: secrets.smtpUser ? { user: secrets.smtpUser, pass: secrets.smtpPass ?? '' } : undefined, tls: { rejectUnauthorized: cfg!.tlsRejectUnauthorized !== false },
  });
  try {
    await transport.sendMail({ from: { name: cfg!.fromName ?? '', address: cfg!.address }, to: mail.to, subject: mail.subject, text: mail.text, headers: mail.headers });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    if (code && code >= 500) throw new PermanentDeliveryError(`Relay refused the mail: ${(err as Error).message}`);
    throw err;
  } finally {
    transport.close();
  }
}

/** POSTs JSON to a subscriber's webhook; anything but 2xx within 10 s is a failure (the job retries). */
export async function postWebhook(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Candor-Status/1' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`Webhook answered ${res.status}`);
}
