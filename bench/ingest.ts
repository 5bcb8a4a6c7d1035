import type { Platform } from '../src/platform/platform.ts';
import { receiveMessage } from '../src/domains/conversations/index.ts';
import { fig, fmtInt, progress, type Figure } from './report.ts';
import { benchWorkspace, bodyText } from './workspace.ts';

type Inbound = Parameters<typeof receiveMessage>[0]['input'];

/**
 * The inbound messages of the ingest figure: `customers` senders, `messages / customers` each,
 * sent round by round (every sender's k-th message after every sender's (k-1)-th), so one
 * sender's messages are never in flight together. Exactly half open a thread: the first message
 * of every sender, and then newConversation on rounds chosen so the opens add up to half.
 * Half the senders write by email, half by WhatsApp; every message carries a channel external id.
 */
export function ingestWorkload(messages: number, customers: number, runId: string): { items: Inbound[]; opens: number } {
  const per = Math.floor(messages / customers);
  if (per < 2 || per * customers !== messages) throw new Error('messages must be a multiple (≥ 2) of customers');
  const items: Inbound[] = [];
  let opens = 0;
  // Opens per sender alternate between ceil(per/2) and floor(per/2): half of all messages overall.
  const opensFor = (c: number) => (c % 2 ? Math.floor(per / 2) : Math.ceil(per / 2));
  for (let k = 0; k < per; k++) {
    for (let c = 0; c < customers; c++) {
      const o = opensFor(c);
      // Rounds that open: 0, then spread over the sender's messages (e.g. per 5, 3 opens: 0, 2, 4).
      const opening = k === 0 || (k < per && Array.from({ length: o }, (_, j) => Math.round((j * per) / o)).includes(k));
      if (opening) opens++;
      const email = c % 2 === 0;
      items.push({
        channel: email ? 'email' : 'whatsapp',
        from: email ? { kind: 'email', value: `cust${c}.${runId}@bench.test`, name: `Customer ${c}` } : { kind: 'whatsapp', value: `44${7000000000 + c}` },
        bodyText: bodyText(k * customers + c, 200),
        externalId: `${runId}-${c}-${k}`,
        ...(opening && k > 0 ? { newConversation: true } : {}),
        ...(email && k === 0 ? { subject: `Question ${c}` } : {}),
      });
    }
  }
  return { items, opens };
}

/** Runs the workload through receiveMessage (the real verb) with `callers` concurrent callers. */
export async function runIngest(app: Platform, messages: number, customers: number, maxCallers: number) {
  // At most one caller per sender: a round holds one message of each, so no sender has two in flight.
  const callers = Math.min(maxCallers, customers);
  const w = await benchWorkspace(app, `ingest${messages}`);
  const { items, opens } = ingestWorkload(messages, customers, w.slug);
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const tick = setInterval(() => progress(`ingest ${fmtInt(messages)}: ${fmtInt(done)} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`), 5000);
  try {
    await Promise.all(Array.from({ length: callers }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await receiveMessage({ ctx: w.ctx, input: item });
        done++;
      }
    }));
  } finally {
    clearInterval(tick);
  }
  const ms = performance.now() - t0;
  const [m] = await app.database.query<{ n: number }>('select count(*)::int as n from messages where workspace_id = $1', [w.id]);
  const [c] = await app.database.query<{ n: number }>('select count(*)::int as n from conversations where workspace_id = $1', [w.id]);
  if (Number(m.n) !== messages || Number(c.n) !== opens) throw new Error(`ingest check failed: ${m.n} messages (want ${messages}), ${c.n} conversations (want ${opens})`);
  return { rate: messages / (ms / 1000), ms, opens, callers };
}

export async function measureIngest(app: Platform, sizes: { messages: number; customers: number }[], callers: number, ceiling8: number, ceilingLabel: string): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const s of sizes) {
    progress(`ingest: ${fmtInt(s.messages)} messages from ${fmtInt(s.customers)} customers, up to ${fmtInt(callers)} concurrent callers`);
    // Start from a checkpoint, as the ceiling does (it runs right after CREATE DATABASE, which
    // checkpoints): otherwise the checkpoint forced by the previous part's WAL lands inside this
    // figure, and every page first written after it is logged whole.
    await app.database.query('checkpoint');
    const r = await runIngest(app, s.messages, s.customers, callers);
    out.push(fig(`ingest.${s.messages}`, r.rate, 'msg/s',
      `receiveMessage × ${fmtInt(s.messages)} (${fmtInt(s.customers)} customers, ${fmtInt(r.opens)} new threads, rest join), ${fmtInt(r.callers)} concurrent callers, ${(r.ms / 1000).toFixed(1)} s; ratio to ${ceilingLabel}`,
      r.rate / ceiling8));
  }
  return out;
}
