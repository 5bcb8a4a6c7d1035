import { systemCtx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { findWorkspaceBySlug } from '../../domains/workspaces/index.ts';
import { createChannel, listChannels } from '../../domains/channels/index.ts';

/** The demo tenant's mailbox: `npm start` receives mail for it on CANDOR_SMTP_PORT. */
export const DEMO_EMAIL_ADDRESS = 'support@fibrelink.test';

/**
 * Gives the demo workspace "fibrelink" an email channel for support@fibrelink.test if it has
 * none (idempotent; does nothing without the demo workspace). Replies stay queued then fail
 * visibly until an admin sets an SMTP relay (config.smtpHost) on the channel.
 */
export async function ensureDemoEmailChannel(app: Platform, slug = 'fibrelink'): Promise<{ created: boolean; channelId: string } | null> {
  const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug });
  if (!ws) return null;
  const ctx = systemCtx(app, ws.id, 'demo');
  const existing = (await listChannels({ ctx, kind: 'email' })).find((c) => String(c.config.address).toLowerCase() === DEMO_EMAIL_ADDRESS);
  if (existing) return { created: false, channelId: existing.id };
  const ch = await createChannel({ ctx, input: { kind: 'email', name: 'Support mailbox', config: { address: DEMO_EMAIL_ADDRESS, fromName: 'Fibrelink Support' } } });
  return { created: true, channelId: ch.id };
}
