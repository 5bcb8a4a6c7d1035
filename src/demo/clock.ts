/** Time helpers for the demo: days, months, Amsterdam business hours and the wording of dates. */

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;
const isoDays = new Map<number, string>();
/** "2025-10-14" for the UTC day of an instant (memoised: the demo formats the same few hundred days many times). */
export function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY);
  let s = isoDays.get(day);
  if (s === undefined) { s = new Date(day * DAY).toISOString().slice(0, 10); isoDays.set(day, s); }
  return s;
}
export const monthStart = (y: number, m: number) => Date.UTC(y, m, 1);
export const daysInMonth = (ms: number) => new Date(Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 0)).getUTCDate();

/** The last Sunday of a month at 01:00 UTC, when European summer time starts or ends. */
function lastSunday(year: number, month: number): number {
  const d = new Date(Date.UTC(year, month + 1, 0, 1));
  return d.getTime() - d.getUTCDay() * DAY;
}

const dstYears: { from: number; to: number; start: number; end: number }[] = [];

/** Europe/Amsterdam's offset from UTC at an instant (CET or CEST); each year's switch dates are computed once. */
export function amsterdamOffset(ms: number): number {
  let y = dstYears.find((e) => ms >= e.from && ms < e.to);
  if (!y) {
    const year = new Date(ms).getUTCFullYear();
    y = { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1), start: lastSunday(year, 2), end: lastSunday(year, 9) };
    dstYears.push(y);
  }
  return ms >= y.start && ms < y.end ? 2 * HOUR : HOUR;
}

/** The local wall clock in Amsterdam as a Date whose UTC fields read as local time. */
export const local = (ms: number) => new Date(ms + amsterdamOffset(ms));

/** Fibrelink's opening hours: Mon–Fri 08:00–20:00, Sat 09:00–17:00 (local). */
export const businessHours = [
  ...[1, 2, 3, 4, 5].map((day) => ({ day, open: '08:00', close: '20:00' })),
  { day: 6, open: '09:00', close: '17:00' },
];

const hoursOf = (day: number): [number, number] | null => (day === 0 ? null : day === 6 ? [9, 17] : [8, 20]);
/** Day of the week of a day number since the epoch (1970-01-01 was a Thursday). */
const dow = (dayNumber: number) => (dayNumber + 4) % 7;

export function isBusinessTime(ms: number): boolean {
  const l = ms + amsterdamOffset(ms);
  const h = hoursOf(dow(Math.floor(l / DAY)));
  const hour = (l % DAY) / HOUR;
  return !!h && hour >= h[0] && hour < h[1];
}

/** The instant itself when the desk is open, else the next opening. */
export function nextBusinessTime(ms: number): number {
  const offset = amsterdamOffset(ms);
  const l = ms + offset;
  let dayNumber = Math.floor(l / DAY);
  for (let i = 0; i < 8; i++, dayNumber++) {
    const h = hoursOf(dow(dayNumber));
    if (!h) continue;
    const open = dayNumber * DAY + h[0] * HOUR, close = dayNumber * DAY + h[1] * HOUR;
    if (l < open) return open - amsterdamOffset(open - offset);
    if (l < close) return ms;
  }
  return ms;
}

/** A moment on the given UTC day at a local hour (fractional), e.g. 9.5 → 09:30 Amsterdam. */
export const atLocalHour = (day: number, hour: number) => Math.round(day + hour * HOUR - amsterdamOffset(day + 12 * HOUR));

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthsNl = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const monthName = (ms: number, nl = false) => (nl ? monthsNl : months)[new Date(ms).getUTCMonth()];
/** "14 October" (or "14 oktober"). */
export const dayMonth = (ms: number, nl = false) => { const l = local(ms); return `${l.getUTCDate()} ${(nl ? monthsNl : months)[l.getUTCMonth()]}`; };
export const weekday = (ms: number) => weekdays[local(ms).getUTCDay()];
/** "09:30" local. */
export const clock = (ms: number) => { const l = local(ms); return `${String(l.getUTCHours()).padStart(2, '0')}:${String(l.getUTCMinutes()).padStart(2, '0')}`; };
/** "€45.00" (or "€ 45,00" in Dutch). */
export const euro = (cents: number, nl = false) => {
  const s = (Math.abs(cents) / 100).toFixed(2);
  return `${cents < 0 ? '-' : ''}€${nl ? ` ${s.replace('.', ',')}` : s}`;
};
