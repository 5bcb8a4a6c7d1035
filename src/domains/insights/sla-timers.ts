import { addBusinessMs, businessMs, type BusinessCalendar } from './business-calendar.ts';

export type StatusChange = { at: number; status: 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed' };

/** The clock runs while the conversation is ours to move: open or snoozed. It pauses while pending (waiting on the customer) and stops when resolved or closed. */
const running = (s: StatusChange['status']) => s === 'open' || s === 'snoozed';

/** Running intervals [start, end) of a status history, clipped to [fromMs, toMs). */
export function runningSegments(history: StatusChange[], fromMs: number, toMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < history.length; i++) {
    if (!running(history[i].status)) continue;
    const s = Math.max(history[i].at, fromMs);
    const e = Math.min(i + 1 < history.length ? history[i + 1].at : Infinity, toMs);
    if (e > s) out.push([s, e]);
  }
  return out;
}

export type Timer = {
  /** Business seconds the clock has run (until it stopped, or until now). */
  elapsedSeconds: number;
  /** When the target is (or was) reached; null while paused or when it stopped before the target. */
  dueAt: number | null;
  breached: boolean;
  /** The clock has stopped (the response was sent, the conversation resolved). */
  stopped: boolean;
  paused: boolean;
};

/**
 * One SLA clock: starts at `startMs`, stops at `stopMs` (null: still going), runs only in the
 * running segments of the history and only in business hours. `targetSeconds` is business time.
 */
export function computeTimer(cal: BusinessCalendar, history: StatusChange[], startMs: number, stopMs: number | null, targetSeconds: number, nowMs: number): Timer {
  const end = stopMs ?? nowMs;
  const segs = runningSegments(history, startMs, stopMs ?? Infinity);
  let elapsed = 0;
  for (const [s, e] of segs) elapsed += businessMs(cal, s, Math.min(e, end));
  // Walk the segments (the last may be open-ended) until the target is consumed.
  let left = targetSeconds * 1000;
  let dueAt: number | null = null;
  if (Number.isFinite(left)) for (const [s, e] of segs) {
    const inSeg = e === Infinity ? Infinity : businessMs(cal, s, e);
    if (inSeg >= left) { dueAt = addBusinessMs(cal, s, left, e); break; }
    left -= inSeg;
  }
  const last = history.filter((h) => h.at <= nowMs).at(-1);
  const paused = stopMs === null && !!last && !running(last.status);
  return {
    elapsedSeconds: Math.round(elapsed / 1000),
    dueAt,
    breached: dueAt !== null && dueAt < end,
    stopped: stopMs !== null,
    paused,
  };
}

/** The resolution cycles: from creation, and again from each reopen (resolved/closed → open/pending), each ending at the next resolve or close. */
export function resolutionCycles(history: StatusChange[], createdMs: number): { start: number; stop: number | null }[] {
  const cycles: { start: number; stop: number | null }[] = [];
  let cur: { start: number; stop: number | null } | null = { start: createdMs, stop: null };
  for (const h of history) {
    const done = h.status === 'resolved' || h.status === 'closed';
    if (cur && done) { cur.stop = h.at; cycles.push(cur); cur = null; }
    else if (!cur && !done) cur = { start: h.at, stop: null };
  }
  if (cur) cycles.push(cur);
  return cycles;
}
