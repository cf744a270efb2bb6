/**
 * SLA date math: when a lead's first contact is due, counted either in plain elapsed hours
 * or in business hours of a weekly schedule in a named IANA time zone (nights, weekends and
 * DST changes included). Pure: every instant is an argument, epoch milliseconds in and out.
 *
 * Business hours are measured as real elapsed time inside the open intervals, so an
 * interval that spans a DST change counts the hour the clocks actually ran, and opening
 * times that fall into a DST gap start at the first valid instant after it (luxon's rule).
 */
import { DateTime } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One open interval of a day, local wall time "HH:mm" (end may be "24:00"). */
export type TimeRange = Readonly<{ start: string; end: string }>;

/** Open hours per weekday; a day without ranges is closed. */
export type WeeklySchedule = Readonly<Record<Weekday, readonly TimeRange[]>>;

/**
 * The due time of an MQL no SLA policy matches (none enabled, or none for its grade and
 * segment): elapsed hours after it became MQL. The settings screen says so.
 */
export const NO_POLICY_DUE_HOURS = 72;

/** Monday to Friday, 09:00 to 17:00. */
export const DEFAULT_SCHEDULE: WeeklySchedule = {
  mon: [{ start: '09:00', end: '17:00' }],
  tue: [{ start: '09:00', end: '17:00' }],
  wed: [{ start: '09:00', end: '17:00' }],
  thu: [{ start: '09:00', end: '17:00' }],
  fri: [{ start: '09:00', end: '17:00' }],
  sat: [],
  sun: [],
};

export type SlaClock = Readonly<{
  /** Hours allowed until first contact. */
  hours: number;
  /** Count only the open hours of `schedule` in `timeZone`; otherwise elapsed hours. */
  businessHours: boolean;
  schedule: WeeklySchedule;
  timeZone: string;
}>;

const HOUR_MS = 3_600_000;
const TIME_RE = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Minutes after local midnight of "HH:mm"; null when malformed (24:00 is the day's end). */
export function parseTimeOfDay(text: string): number | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > 24 * 60 ? null : minutes;
}

/** Whether luxon (ICU) knows the zone name. */
export function isValidTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** Problems with a schedule, in words; empty when it is usable. */
export function scheduleProblems(schedule: WeeklySchedule): string[] {
  const problems: string[] = [];
  let open = 0;
  for (const day of WEEKDAYS) {
    const ranges = [...schedule[day]]
      .map((r) => ({ r, s: parseTimeOfDay(r.start), e: parseTimeOfDay(r.end) }))
      .sort((a, b) => (a.s ?? 0) - (b.s ?? 0));
    let lastEnd = -1;
    for (const { r, s, e } of ranges) {
      if (s === null || e === null) {
        problems.push(`${day}: "${r.start}-${r.end}" is not HH:mm-HH:mm`);
        continue;
      }
      if (e <= s) problems.push(`${day}: ${r.start}-${r.end} ends before it starts`);
      if (s < lastEnd) problems.push(`${day}: ${r.start}-${r.end} overlaps another range`);
      lastEnd = Math.max(lastEnd, e);
      open += Math.max(0, e - s);
    }
  }
  if (open === 0) problems.push('the schedule has no open hours');
  return problems;
}

function localInstant(day: DateTime, minutes: number): number {
  // 24:00 is the next day's midnight; fromObject resolves DST gaps forward.
  const base = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: 0, minute: 0 },
    { zone: day.zone },
  );
  if (minutes === 24 * 60) return base.plus({ days: 1 }).toMillis();
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: day.zone },
  ).toMillis();
}

/** The open intervals of one local day as epoch-ms pairs, in order. */
function openIntervals(day: DateTime, schedule: WeeklySchedule): [number, number][] {
  const ranges = schedule[WEEKDAYS[day.weekday - 1]!];
  const out: [number, number][] = [];
  for (const r of ranges) {
    const s = parseTimeOfDay(r.start);
    const e = parseTimeOfDay(r.end);
    if (s === null || e === null || e <= s) continue;
    out.push([localInstant(day, s), localInstant(day, e)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Safety bound: a schedule with any open hour reaches them within a week. */
const MAX_DAYS = 3660;

/**
 * Adds `ms` of open time to `start`: the instant at which that much business time has
 * elapsed. A start outside open hours begins counting at the next opening.
 */
export function addBusinessTime(start: number, ms: number, schedule: WeeklySchedule, timeZone: string): number {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`);
  const problems = scheduleProblems(schedule);
  if (problems.length > 0) throw new RangeError(`Unusable schedule: ${problems.join('; ')}`);
  let remaining = ms;
  let day = DateTime.fromMillis(start, { zone: timeZone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [open, close] of openIntervals(day, schedule)) {
      const from = Math.max(open, start);
      if (from >= close) continue;
      if (remaining <= 0) return from;
      const available = close - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  throw new RangeError('The schedule never opens');
}

/** Business time (ms) that elapses between two instants under a schedule. */
export function businessTimeBetween(from: number, to: number, schedule: WeeklySchedule, timeZone: string): number {
  if (to <= from) return 0;
  let total = 0;
  let day = DateTime.fromMillis(from, { zone: timeZone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    if (day.toMillis() >= to) break;
    for (const [open, close] of openIntervals(day, schedule)) {
      const s = Math.max(open, from);
      const e = Math.min(close, to);
      if (e > s) total += e - s;
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return total;
}

/** When first contact is due for a lead whose SLA clock started at `start`. */
export function slaDueAt(start: number, clock: SlaClock): number {
  const ms = Math.round(clock.hours * HOUR_MS);
  if (!clock.businessHours) return start + ms;
  return addBusinessTime(start, ms, clock.schedule, clock.timeZone);
}

export const SLA_STATUSES = ['on_time', 'due_soon', 'overdue', 'breached', 'met', 'no_attempt'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

/** The statuses a lead still in the queue can have (a closed follow-up leaves the queue). */
export const QUEUE_STATUSES: readonly SlaStatus[] = ['on_time', 'due_soon', 'overdue', 'breached', 'met'];

export const SLA_STATUS_LABELS: Readonly<Record<SlaStatus, string>> = {
  on_time: 'On time',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  breached: 'Breached',
  met: 'Met',
  no_attempt: 'Closed, no attempt',
};

export type SlaState = Readonly<{
  /** When the clock started (MQL time). */
  startAt: number;
  dueAt: number;
  /** First contact attempt, when there was one. */
  firstContactAt: number | null;
  /** Follow-up closed (dispositioned, moved on) without an attempt, when it was. */
  closedAt: number | null;
}>;

/** Share of the allowed time that remains when a lead turns "due soon". */
export const DEFAULT_DUE_SOON_FRACTION = 0.25;

/**
 * The SLA status of a lead at `now` (definitions.ts SLA_MET). Only a logged attempt meets
 * the SLA; "No answer" is an attempt.
 * - met: first attempt at or before the due time;
 * - breached: first attempt after it, or closed without any attempt after it (final);
 * - no_attempt: closed before the due time without any attempt (final; neither met nor missed);
 * - overdue: past due, still waiting for a first attempt (action needed);
 * - due soon: waiting, with less than `dueSoonFraction` of the allowed span left;
 * - on time: waiting, with more left.
 *
 * SLA_STATUS_SQL is the same rule for SQL (the queue filters and counts by it); one test
 * (test/backend/followup/sla-status.test.ts) runs both over every case.
 */
export function slaStatus(state: SlaState, now: number, dueSoonFraction = DEFAULT_DUE_SOON_FRACTION): SlaStatus {
  if (state.firstContactAt !== null) return state.firstContactAt <= state.dueAt ? 'met' : 'breached';
  if (state.closedAt !== null) return state.closedAt <= state.dueAt ? 'no_attempt' : 'breached';
  if (now > state.dueAt) return 'overdue';
  const span = Math.max(0, state.dueAt - state.startAt);
  if (state.dueAt - now <= span * dueSoonFraction) return 'due_soon';
  return 'on_time';
}

/**
 * slaStatus as a SQL expression over a lead_followup row aliased `f` (mql_at, due_at,
 * first_contact_at, closed_at) with named parameters @now and @fraction.
 */
export const SLA_STATUS_SQL = `CASE
  WHEN f.first_contact_at IS NOT NULL THEN CASE WHEN f.first_contact_at <= f.due_at THEN 'met' ELSE 'breached' END
  WHEN f.closed_at IS NOT NULL THEN CASE WHEN f.closed_at <= f.due_at THEN 'no_attempt' ELSE 'breached' END
  WHEN @now > f.due_at THEN 'overdue'
  WHEN f.due_at - @now <= max(0, f.due_at - f.mql_at) * @fraction THEN 'due_soon'
  ELSE 'on_time' END`;
