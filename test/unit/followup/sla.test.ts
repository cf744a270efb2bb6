import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCHEDULE,
  addBusinessTime,
  businessTimeBetween,
  scheduleProblems,
  slaDueAt,
  slaStatus,
  type WeeklySchedule,
} from '../../../shared/followup/sla';

const H = 3_600_000;
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const show = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('slaDueAt in elapsed hours', () => {
  it('adds plain hours, ignoring schedule and zone', () => {
    const start = Date.UTC(2026, 2, 7, 22, 0);
    expect(slaDueAt(start, { hours: 48, businessHours: false, schedule: DEFAULT_SCHEDULE, timeZone: 'UTC' })).toBe(
      start + 48 * H,
    );
  });

  it('counts real elapsed hours across a DST change (48 h is not 2 wall-clock days)', () => {
    const zone = 'America/New_York';
    const start = at('2026-03-07T12:00', zone); // Saturday before the spring-forward night
    const due = slaDueAt(start, { hours: 48, businessHours: false, schedule: DEFAULT_SCHEDULE, timeZone: zone });
    expect(show(due, zone)).toBe('2026-03-09T13:00');
  });
});

describe('business hours', () => {
  const berlin = 'Europe/Berlin';
  const clock = (hours: number, timeZone = berlin) => ({
    hours,
    businessHours: true,
    schedule: DEFAULT_SCHEDULE,
    timeZone,
  });

  it('counts within the same day', () => {
    expect(show(slaDueAt(at('2026-01-06T10:00', berlin), clock(4)), berlin)).toBe('2026-01-06T14:00');
  });

  it('carries over the night', () => {
    // Tue 15:00 + 4h: 2h today (until 17:00) and 2h from 09:00 Wednesday.
    expect(show(slaDueAt(at('2026-01-06T15:00', berlin), clock(4)), berlin)).toBe('2026-01-07T11:00');
  });

  it('carries over the weekend', () => {
    // Fri 16:00 + 4h: 1h Friday, 3h Monday.
    expect(show(slaDueAt(at('2026-01-09T16:00', berlin), clock(4)), berlin)).toBe('2026-01-12T12:00');
  });

  it('starts counting at the next opening when it starts after hours or on a weekend', () => {
    expect(show(slaDueAt(at('2026-01-06T22:30', berlin), clock(4)), berlin)).toBe('2026-01-07T13:00');
    expect(show(slaDueAt(at('2026-01-10T11:00', berlin), clock(4)), berlin)).toBe('2026-01-12T13:00');
    expect(show(slaDueAt(at('2026-01-06T06:00', berlin), clock(8)), berlin)).toBe('2026-01-06T17:00');
  });

  it('ends exactly at closing time rather than at the next opening', () => {
    expect(show(slaDueAt(at('2026-01-06T09:00', berlin), clock(8)), berlin)).toBe('2026-01-06T17:00');
  });

  it('spans several business days (24 business hours = 3 days of 8)', () => {
    expect(show(slaDueAt(at('2026-01-07T13:00', berlin), clock(24)), berlin)).toBe('2026-01-12T13:00');
  });

  it('keeps local opening hours across the spring-forward DST change (Berlin, 29 March 2026)', () => {
    // Friday 27 March 15:00 CET + 4 business hours: 2h Friday, 2h Monday 30 March (now CEST).
    const start = at('2026-03-27T15:00', berlin);
    const due = slaDueAt(start, clock(4));
    expect(show(due, berlin)).toBe('2026-03-30T11:00');
    // 68 wall-clock hours, one of which the clocks skipped.
    expect((due - start) / H).toBe(67);
    expect(DateTime.fromMillis(due, { zone: berlin }).offset).toBe(120);
  });

  it('keeps local opening hours across the fall-back DST change (New York, 1 November 2026)', () => {
    const ny = 'America/New_York';
    const start = at('2026-10-30T16:00', ny); // Friday, EDT
    const due = slaDueAt(start, clock(4, ny));
    expect(show(due, ny)).toBe('2026-11-02T12:00'); // Monday, EST
    expect((due - start) / H).toBe(69); // 68 wall-clock hours + the repeated hour
  });

  it('counts the real length of an open interval that contains the DST jump', () => {
    // A 24/7 schedule on the spring-forward Sunday in New York: 02:00-03:00 does not exist.
    const always: WeeklySchedule = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
    ) as unknown as WeeklySchedule;
    const ny = 'America/New_York';
    const start = at('2026-03-08T00:00', ny);
    const due = addBusinessTime(start, 4 * H, always, ny);
    expect(show(due, ny)).toBe('2026-03-08T05:00');
    expect(businessTimeBetween(start, at('2026-03-09T00:00', ny), always, ny)).toBe(23 * H);
  });

  it('supports split days (lunch break) and a different zone', () => {
    const split: WeeklySchedule = {
      ...DEFAULT_SCHEDULE,
      mon: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    };
    const tokyo = 'Asia/Tokyo';
    const due = slaDueAt(at('2026-01-05T11:00', tokyo), {
      hours: 2,
      businessHours: true,
      schedule: split,
      timeZone: tokyo,
    });
    expect(show(due, tokyo)).toBe('2026-01-05T14:00');
  });

  it('measures business time between instants (the inverse of adding it)', () => {
    const start = at('2026-01-09T16:00', berlin);
    const due = slaDueAt(start, clock(4));
    expect(businessTimeBetween(start, due, DEFAULT_SCHEDULE, berlin)).toBe(4 * H);
  });

  it('refuses unusable schedules and zones', () => {
    const closed: WeeklySchedule = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(scheduleProblems(closed)).toContain('the schedule has no open hours');
    expect(scheduleProblems({ ...closed, mon: [{ start: '17:00', end: '09:00' }] })[0]).toMatch(/ends before/);
    expect(() => addBusinessTime(0, H, closed, 'UTC')).toThrow(/no open hours/);
    expect(() => addBusinessTime(0, H, DEFAULT_SCHEDULE, 'Mars/Olympus')).toThrow(/time zone/);
  });
});

describe('queue status', () => {
  const start = Date.UTC(2026, 0, 6, 9);
  const dueAt = start + 4 * H;
  const waiting = { startAt: start, dueAt, firstContactAt: null, closedAt: null };

  it('is on time, then due soon in the last quarter, then overdue', () => {
    expect(slaStatus(waiting, start)).toBe('on_time');
    expect(slaStatus(waiting, start + 2.9 * H)).toBe('on_time');
    expect(slaStatus(waiting, start + 3 * H)).toBe('due_soon');
    expect(slaStatus(waiting, dueAt)).toBe('due_soon');
    expect(slaStatus(waiting, dueAt + 1)).toBe('overdue');
  });

  it('honours a custom due-soon share', () => {
    expect(slaStatus(waiting, start + 2 * H, 0.5)).toBe('due_soon');
    expect(slaStatus(waiting, start + 2 * H - 1, 0.5)).toBe('on_time');
  });

  it('is met when first contact came in time, breached when it came late, whatever now is', () => {
    expect(slaStatus({ ...waiting, firstContactAt: dueAt }, dueAt + 100 * H)).toBe('met');
    expect(slaStatus({ ...waiting, firstContactAt: dueAt + 1 }, dueAt + 2)).toBe('breached');
  });

  it('never meets the SLA without an attempt: closed in time is "no attempt", closed late is breached', () => {
    expect(slaStatus({ ...waiting, closedAt: start + H }, dueAt + H)).toBe('no_attempt');
    expect(slaStatus({ ...waiting, closedAt: dueAt + H }, dueAt + 2 * H)).toBe('breached');
  });
});
