/**
 * Instants (epoch ms) as the wall-clock time a spreadsheet shows, and back. Spreadsheets
 * have no time zones: an XLSX date is a serial day number of local wall-clock time, a CSV
 * date is text. An export fixes one IANA zone (the user's, by default) and records it, so a
 * returned sheet's dates are read in the same zone.
 *
 * A million rows with several date columns each: the zone offset is cached per UTC hour, so
 * luxon runs about once per hour of data, not once per cell. An hour in which the offset
 * changes (a DST transition, not always on a UTC hour boundary) is computed exactly.
 */
import { DateTime, IANAZone } from 'luxon';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Days from 1899-12-30 (the 1900 date system's day 0) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

export type ZonedClock = Readonly<{
  zone: string;
  /** Wall-clock milliseconds (epoch ms of the same wall time in UTC). */
  toWall: (ms: number) => number;
  /** The instant of a wall-clock time (the earlier one in a DST overlap). */
  fromWall: (wallMs: number) => number;
  /** XLSX serial day number of an instant. */
  toSerial: (ms: number) => number;
  fromSerial: (serial: number) => number;
  /** "2026-11-22 14:05" (or "2026-11-22" for dates). */
  format: (ms: number, withTime: boolean) => string;
}>;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The zone of this machine, falling back to UTC. */
export function systemZone(): string {
  const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return z && isValidZone(z) ? z : 'UTC';
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function zonedClock(zone: string): ZonedClock {
  const z = isValidZone(zone) ? zone : 'UTC';
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const hour = Math.floor(ms / HOUR);
    let off = offsets.get(hour);
    if (off === undefined) {
      const start = DateTime.fromMillis(hour * HOUR, { zone: z }).offset;
      const end = DateTime.fromMillis(hour * HOUR + HOUR - 1, { zone: z }).offset;
      off = start === end ? start * 60_000 : Number.NaN;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(hour, off);
    }
    return Number.isNaN(off) ? DateTime.fromMillis(ms, { zone: z }).offset * 60_000 : off;
  };
  const toWall = (ms: number): number => ms + offsetAt(ms);
  const fromWall = (wall: number): number => {
    // The offset at (wall - offset) is right except across a transition; try both candidates.
    const guess = wall - offsetAt(wall);
    const second = wall - offsetAt(guess);
    if (toWall(guess) === wall && toWall(second) === wall) return Math.min(guess, second);
    if (toWall(second) === wall) return second;
    if (toWall(guess) === wall) return guess;
    // A wall time in a DST gap does not exist: read it with the offset before the gap.
    return Math.min(guess, second);
  };
  return {
    zone: z,
    toWall,
    fromWall,
    toSerial: (ms) => toWall(ms) / DAY + EXCEL_EPOCH_DAYS,
    fromSerial: (serial) => fromWall(Math.round((serial - EXCEL_EPOCH_DAYS) * DAY)),
    format: (ms, withTime) => {
      const d = new Date(toWall(ms));
      const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
      return withTime ? `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}` : date;
    },
  };
}
