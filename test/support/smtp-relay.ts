import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A local SMTP server playing the outbound relay: it keeps every mail it is handed, parsed. */
export async function startRelay() {
  const mails: { from: string; to: string[]; parsed: ParsedMail }[] = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const to = session.envelope.rcptTo.map((r) => r.address);
      simpleParser(stream).then((parsed) => { mails.push({ from, to, parsed }); cb(); }, cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  return { port: (smtp.server.address() as { port: number }).port, mails, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}

/** Polls f until ok(value) or the deadline; returns the last value (the caller asserts on it). */
export async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(50);
  }
}
