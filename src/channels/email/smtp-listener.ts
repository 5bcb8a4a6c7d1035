import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { systemCtx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { findChannelsByAddress, type ChannelRow } from '../../domains/channels/index.ts';
import { splitAddress } from './addresses.ts';
import { receiveEmail } from './receive-email.ts';

export type SmtpListener = { port: number; close(): Promise<void> };

/** 40 MB: one 25 MB attachment fits after base64. */
export const DEFAULT_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** The email channel an envelope recipient reaches: its exact address or its plus-addressed form, the oldest channel first. */
async function channelFor(app: Platform, recipient: string): Promise<ChannelRow | null> {
  const exact = recipient.trim().toLowerCase();
  const rows = await findChannelsByAddress({ app, kind: 'email', addresses: [exact, splitAddress(exact).base] });
  return rows.find((r) => String(r.config.address).toLowerCase() === exact) ?? rows[0] ?? null;
}

/**
 * Candor's own SMTP server. It accepts mail only for the addresses of active email channels
 * (any workspace; plus-addressed variants too) and answers 550 to any other recipient. The
 * message is committed in every workspace it is addressed to before DATA is answered 250; if
 * that fails the answer is 451 and the sender retries (a retry is deduplicated by Message-ID).
 * Mail that cannot be read is kept in quarantine and answered 250: it was received and nothing
 * is lost; an admin sees it in the quarantine list. STARTTLS and AUTH are not offered: put it
 * behind your MX or a relay that terminates TLS.
 */
export async function startSmtpListener(app: Platform, opts: { port: number; host?: string; name?: string; maxMessageBytes?: number }): Promise<SmtpListener> {
  const log = app.log.child({ component: 'smtp' });
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const server = new SMTPServer({
    name: opts.name, banner: 'Candor', size: maxBytes, authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false, closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      channelFor(app, address.address).then(
        (ch) => callback(ch ? undefined : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (err) => { log.error({ err }, 'recipient lookup failed'); callback(smtpError(451, '4.3.0 Temporary failure, try again later')); },
      );
    },
    onData(stream, session: SMTPServerSession, reply) {
      let answered = false;
      const callback = (err: Error | null, message?: string) => { if (!answered) { answered = true; reply(err, message); } };
      // The envelope object is reused by the next transaction on this connection: copy it now.
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
      const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => { size += c.length; if (size <= maxBytes) chunks.push(c); });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `5.3.4 Message too big: the limit is ${maxBytes} bytes`));
        const raw = Buffer.concat(chunks);
        deliver(raw, mailFrom, rcpts).then(
          (summary) => callback(null, `2.0.0 Committed: ${summary}`),
          (err) => { log.error({ err }, 'inbound email not committed'); callback(smtpError(451, '4.3.0 Not committed, try again later')); },
        );
      });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'smtp connection error'));

  /** Each channel (workspace) addressed gets its own copy, with its own recipients for reply tokens. */
  async function deliver(raw: Buffer, envelopeFrom: string | null, rcpts: string[]): Promise<string> {
    const byChannel = new Map<string, { channel: ChannelRow; recipients: string[] }>();
    for (const r of rcpts) {
      const channel = await channelFor(app, r);
      if (!channel) continue; // deactivated between RCPT and DATA
      const key = `${channel.workspaceId}/${channel.id}`;
      const entry = byChannel.get(key) ?? { channel, recipients: [] };
      entry.recipients.push(r);
      byChannel.set(key, entry);
    }
    const results = [];
    for (const { channel, recipients } of byChannel.values()) {
      const ctx = systemCtx(app, channel.workspaceId, `channel:${channel.id}`);
      results.push((await receiveEmail(ctx, channel, raw, { recipients, envelopeFrom })).status);
    }
    return results.join(', ') || 'no mailbox';
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port, opts.host, () => { server.server.off('error', onError); resolve(); });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log.info({ port }, 'SMTP listener open');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
