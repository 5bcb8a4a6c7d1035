import { describe, it, expect } from 'vitest';
import { addBusinessMs, businessMs, computeTimer, resolutionCycles, type BusinessCalendar, type StatusChange } from '../src/domains/insights/index.ts';

// Every expected instant below was worked out by hand on a calendar, in UTC.
const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const weekdays = (open: string, close: string) => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));
const ams: BusinessCalendar = { zone: 'Europe/Amsterdam', hours: weekdays('09:00', '17:00'), holidays: ['2026-12-25'] };
const nyc: BusinessCalendar = { zone: 'America/New_York', hours: weekdays('09:00', '17:00'), holidays: [] };
const due = (cal: BusinessCalendar, from: string, hours: number) => new Date(addBusinessMs(cal, t(from), hours * H)!).toISOString();

describe('business hours arithmetic', () => {
  it('skips the night: Tue 16:30 CET + 1 h = Wed 09:30 CET', () => {
    expect(due(ams, '2026-03-10T15:30:00Z', 1)).toBe('2026-03-11T08:30:00.000Z');
    expect(businessMs(ams, t('2026-03-10T15:00:00Z'), t('2026-03-11T09:00:00Z'))).toBe(2 * H); // Tue 16–17, Wed 09–10
  });

  it('skips the weekend: Fri 16:00 CET + 2 h = Mon 10:00 CET', () => {
    expect(due(ams, '2026-03-13T15:00:00Z', 2)).toBe('2026-03-16T09:00:00.000Z');
  });

  it('skips a holiday and the weekend after it: Thu 24 Dec 16:00 + 2 h = Mon 28 Dec 10:00', () => {
    expect(due(ams, '2026-12-24T15:00:00Z', 2)).toBe('2026-12-28T09:00:00.000Z');
  });

  it('starts a clock begun before opening at opening time: Mon 07:00 CET + 30 min = 09:30', () => {
    expect(due(ams, '2026-03-09T06:00:00Z', 0.5)).toBe('2026-03-09T08:30:00.000Z');
  });

  it('keeps local opening hours across the spring change: Fri 27 Mar 16:00 CET + 2 h = Mon 30 Mar 10:00 CEST (08:00Z)', () => {
    expect(due(ams, '2026-03-27T15:00:00Z', 2)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('counts the real hours of the day the clocks change (a team open around the clock on Sundays)', () => {
    const sundays: BusinessCalendar = { zone: 'Europe/Amsterdam', hours: [{ day: 0, open: '00:00', close: '24:00' }], holidays: [] };
    // 29 Mar 2026 has 23 hours (02:00 → 03:00); 25 Oct 2026 has 25 (03:00 → 02:00).
    expect(businessMs(sundays, t('2026-03-28T00:00:00Z'), t('2026-03-30T00:00:00Z'))).toBe(23 * H);
    expect(businessMs(sundays, t('2026-10-24T00:00:00Z'), t('2026-10-26T00:00:00Z'))).toBe(25 * H);
    // Sun 00:00 CET (Sat 23:00Z) + 3 h = 04:00 CEST = 02:00Z; Sun 00:00 CEST (Sat 22:00Z) + 3 h = 02:00 CET (the second one) = 01:00Z.
    expect(due(sundays, '2026-03-28T22:00:00Z', 3)).toBe('2026-03-29T02:00:00.000Z');
    expect(due(sundays, '2026-10-24T20:00:00Z', 3)).toBe('2026-10-25T01:00:00.000Z');
  });

  it('uses the team\'s own time zone: 13:00Z is 09:00 in New York (EDT since 8 Mar), 14:00 in Amsterdam; 16:30Z is open only in New York', () => {
    expect(due(nyc, '2026-03-10T13:00:00Z', 1)).toBe('2026-03-10T14:00:00.000Z');
    expect(due(ams, '2026-03-10T13:00:00Z', 1)).toBe('2026-03-10T14:00:00.000Z'); // 14:00 CET + 1 h
    // 16:30Z: Amsterdam is closed (17:30), New York open (12:30 EDT): 4 h = 16:30 EDT = 20:30Z.
    expect(due(nyc, '2026-03-10T16:30:00Z', 4)).toBe('2026-03-10T20:30:00.000Z');
    expect(due(ams, '2026-03-10T16:30:00Z', 4)).toBe('2026-03-11T12:00:00.000Z');
  });

  it('honours several ranges a day (a lunch break): 11:30 + 1 h = 13:30', () => {
    const lunch: BusinessCalendar = { zone: 'Europe/Amsterdam', hours: [1, 2, 3, 4, 5].flatMap((day) => [{ day, open: '09:00', close: '12:00' }, { day, open: '13:00', close: '17:00' }]), holidays: [] };
    expect(due(lunch, '2026-03-10T10:30:00Z', 1)).toBe('2026-03-10T12:30:00.000Z');
  });
});

describe('SLA clocks', () => {
  const hist = (...s: [string, StatusChange['status']][]) => s.map(([at, status]) => ({ at: t(at), status }));

  it('pauses while pending: 1 h Monday, pending until Tue 11:00, 8 h target due Wed 10:00 CET', () => {
    const h = hist(['2026-03-09T08:00:00Z', 'open'], ['2026-03-09T09:00:00Z', 'pending'], ['2026-03-10T10:00:00Z', 'open']);
    const timer = computeTimer(ams, h, h[0].at, null, 8 * 3600, t('2026-03-10T12:00:00Z'));
    expect(new Date(timer.dueAt!).toISOString()).toBe('2026-03-11T09:00:00.000Z');
    expect(timer.elapsedSeconds).toBe(3 * 3600); // Mon 09–10, Tue 11–13 local
    expect(timer.breached).toBe(false);
  });

  it('pauses across a weekend: pending Fri 15:00 to Mon 11:00, 4 h target from Fri 13:00 due Mon 13:00 CET', () => {
    const h = hist(['2026-03-13T12:00:00Z', 'open'], ['2026-03-13T14:00:00Z', 'pending'], ['2026-03-16T10:00:00Z', 'open']);
    const timer = computeTimer(ams, h, h[0].at, null, 4 * 3600, t('2026-03-16T10:30:00Z'));
    expect(new Date(timer.dueAt!).toISOString()).toBe('2026-03-16T12:00:00.000Z');
  });

  it('has no due instant while paused, and says so', () => {
    const h = hist(['2026-03-09T08:00:00Z', 'open'], ['2026-03-09T09:00:00Z', 'pending']);
    const timer = computeTimer(ams, h, h[0].at, null, 8 * 3600, t('2026-03-10T12:00:00Z'));
    expect(timer).toMatchObject({ dueAt: null, paused: true, breached: false, elapsedSeconds: 3600 });
  });

  it('breaches when the clock passes the target, and a reply after it stays a breach', () => {
    const h = hist(['2026-03-09T08:00:00Z', 'open']);
    const running = computeTimer(ams, h, h[0].at, null, 3600, t('2026-03-09T09:30:00Z'));
    expect(running.breached).toBe(true);
    expect(new Date(running.dueAt!).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    const replied = computeTimer(ams, h, h[0].at, t('2026-03-09T09:30:00Z'), 3600, t('2026-03-10T00:00:00Z'));
    expect(replied).toMatchObject({ breached: true, stopped: true, elapsedSeconds: 5400 });
    const inTime = computeTimer(ams, h, h[0].at, t('2026-03-09T08:45:00Z'), 3600, t('2026-03-10T00:00:00Z'));
    expect(inTime).toMatchObject({ breached: false, stopped: true, dueAt: null, elapsedSeconds: 2700 });
  });

  it('restarts the resolution clock on reopen: resolved Mon 12:00, reopened Tue 14:00, 4 h target due Wed 10:00', () => {
    const h = hist(['2026-03-09T08:00:00Z', 'open'], ['2026-03-09T11:00:00Z', 'resolved'], ['2026-03-10T13:00:00Z', 'open']);
    const cycles = resolutionCycles(h, h[0].at);
    expect(cycles.map((c) => [new Date(c.start).toISOString(), c.stop && new Date(c.stop).toISOString()])).toEqual([
      ['2026-03-09T08:00:00.000Z', '2026-03-09T11:00:00.000Z'], ['2026-03-10T13:00:00.000Z', null]]);
    const first = computeTimer(ams, h, cycles[0].start, cycles[0].stop, 4 * 3600, t('2026-03-10T14:00:00Z'));
    expect(first).toMatchObject({ breached: false, elapsedSeconds: 3 * 3600 });
    const second = computeTimer(ams, h, cycles[1].start, null, 4 * 3600, t('2026-03-10T14:00:00Z'));
    expect(new Date(second.dueAt!).toISOString()).toBe('2026-03-11T09:00:00.000Z');
  });
});
