import { describe, it, expect } from 'vitest';
import { uptimeOver, dailyBars, monthlyUptime, localMidnight, type UptimeRules, type UptimeWindow } from '../src/domains/status/uptime.ts';
import { creditFor } from '../src/domains/status/compute-credits.ts';

// Every figure here is worked out by hand in the comment beside it.
const H = 3_600_000;
const rules: UptimeRules = { degradedCountsAsUp: true, degradedWeight: 0.25, maintenanceExcluded: true };
const day = Date.UTC(2026, 2, 10); // Tuesday 10 March 2026, 00:00 UTC
const at = (h: number) => day + h * H;
const w = (s: number, e: number | null, status: UptimeWindow['status']): UptimeWindow => ({ start: at(s), end: e === null ? null : at(e), status });
const whole = (windows: UptimeWindow[], r = rules, observedFrom = 0) => uptimeOver(day, day + 24 * H, windows, r, observedFrom, day + 30 * 24 * H);

describe('uptime arithmetic', () => {
  it('takes the worst of overlapping incidents, never their sum', () => {
    // 10–12 major (weight 1), 11–13 partial (0.5): 10–12 count 1 each hour, 12–13 half → 2.5 h of 24.
    const s = whole([w(10, 12, 'major_outage'), w(11, 13, 'partial_outage')]);
    expect(s.downMs).toBe(2.5 * H);
    expect(s.uptime).toBeCloseTo(1 - 2.5 / 24, 10);
    // Two identical major windows are still one hour down, not two.
    expect(whole([w(1, 2, 'major_outage'), w(1, 2, 'major_outage')]).downMs).toBe(H);
  });

  it('weighs a partial outage by half and degraded performance by the rule', () => {
    expect(whole([w(0, 6, 'partial_outage')]).uptime).toBeCloseTo(1 - 3 / 24, 10); // 6 h × 0.5
    expect(whole([w(0, 4, 'degraded_performance')]).uptime).toBe(1); // degraded counts as up
    expect(whole([w(0, 4, 'degraded_performance')], { ...rules, degradedCountsAsUp: false }).uptime).toBeCloseTo(1 - 1 / 24, 10); // 4 h × 0.25
  });

  it('leaves maintenance out, with whatever happens inside it — or counts it as down when the SLA says so', () => {
    // Maintenance 00–06, major 05–07: 6 h excluded, 06–07 down → 1 of 18 counted hours.
    const windows = [w(0, 6, 'under_maintenance'), w(5, 7, 'major_outage')];
    const ex = whole(windows);
    expect(ex.excludedMs).toBe(6 * H);
    expect(ex.uptime).toBeCloseTo(1 - 1 / 18, 10);
    // Not excluded: 00–07 all down (maintenance weighs 1) → 7 of 24.
    expect(whole(windows, { ...rules, maintenanceExcluded: false }).uptime).toBeCloseTo(1 - 7 / 24, 10);
    // A day that is all maintenance has nothing counted: no figure at all.
    expect(whole([w(0, 24, 'under_maintenance')]).uptime).toBeNull();
  });

  it('splits an incident across a month boundary', () => {
    // 31 Jan 22:00 → 1 Feb 02:00 UTC: 2 h in January (744 h), 2 h in February (672 h); March not observed yet.
    const win: UptimeWindow[] = [{ start: Date.UTC(2026, 0, 31, 22), end: Date.UTC(2026, 1, 1, 2), status: 'major_outage' }];
    const months = monthlyUptime(win, rules, 0, Date.UTC(2026, 2, 1), 'UTC', 3);
    expect(months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(months[0].uptime).toBeCloseTo(1 - 2 / 744, 12);
    expect(months[1].uptime).toBeCloseTo(1 - 2 / 672, 12);
    expect(months[2].uptime).toBeNull();
    expect(months[0].downMinutes).toBe(120);
  });

  it('draws days in the page\'s time zone, 23 hours long when the clocks go forward', () => {
    // 28 Mar 23:30 → 29 Mar 00:30 UTC is 00:30 → 01:30 CET on Sunday 29 March, the day Amsterdam loses an hour.
    const win: UptimeWindow[] = [{ start: Date.UTC(2026, 2, 28, 23, 30), end: Date.UTC(2026, 2, 29, 0, 30), status: 'major_outage' }];
    const now = Date.UTC(2026, 2, 30, 12);
    const ams = dailyBars(win, rules, 0, now, 'Europe/Amsterdam', 3);
    expect(ams.map((b) => b.day)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(ams[0].uptime).toBe(1);
    expect(ams[1].uptime).toBeCloseTo(1 - 1 / 23, 10);
    expect(ams[1].worst).toBe('major_outage');
    expect(localMidnight(2026, 2, 30, 'Europe/Amsterdam') - localMidnight(2026, 2, 29, 'Europe/Amsterdam')).toBe(23 * H);
    // The same window on UTC days: half an hour on each side of midnight.
    const utc = dailyBars(win, rules, 0, now, 'UTC', 3);
    expect(utc[0].uptime).toBeCloseTo(1 - 0.5 / 24, 10);
    expect(utc[1].uptime).toBeCloseTo(1 - 0.5 / 24, 10);
    // Today is counted up to now only: 12 h observed on 30 March (UTC), none of it down.
    expect(utc[2].uptime).toBe(1);
  });

  it('counts a component added mid-window from when it was added, and has no data before', () => {
    // Added at 12:00; major 13–14 → 1 h of 12 observed.
    expect(whole([w(13, 14, 'major_outage')], rules, at(12)).uptime).toBeCloseTo(1 - 1 / 12, 10);
    const bars = dailyBars([], rules, at(12), day + 2 * 24 * H + H, 'UTC', 4);
    expect(bars.map((b) => b.uptime)).toEqual([null, 1, 1, 1]);
  });

  it('counts an open incident as lasting until now', () => {
    const now = at(18);
    expect(uptimeOver(day, day + 24 * H, [w(16, null, 'major_outage')], rules, 0, now).uptime).toBeCloseTo(1 - 2 / 18, 10);
  });
});

describe('credit policy', () => {
  it("owes a day's fee per started 4 hours down", () => {
    // €45/month in a 30-day month: €1.50 a day. 5 h → 2 started periods → €3.00; exactly 4 h → €1.50; 0 → nothing.
    expect(creditFor({ hoursDown: 5, perStartedHours: 4, monthlyCents: 4500, daysInMonth: 30 })).toBe(300);
    expect(creditFor({ hoursDown: 4, perStartedHours: 4, monthlyCents: 4500, daysInMonth: 30 })).toBe(150);
    expect(creditFor({ hoursDown: 0.1, perStartedHours: 4, monthlyCents: 4500, daysInMonth: 31 })).toBe(145);
    expect(creditFor({ hoursDown: 0, perStartedHours: 4, monthlyCents: 4500, daysInMonth: 30 })).toBe(0);
  });
});
