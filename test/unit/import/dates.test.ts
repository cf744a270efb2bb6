import { describe, expect, it } from 'vitest';
import { detectDateOrder, parseDate } from '../../../shared/mapping';

const utc = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, m - 1, d, h, mi, s);

describe('parseDate', () => {
  it.each([
    ['2018-02-26', utc(2018, 2, 26)],
    ['2018-02-26 19:58:54', utc(2018, 2, 26, 19, 58, 54)],
    ['2018-02-26T19:58:54Z', utc(2018, 2, 26, 19, 58, 54)],
    ['2018-02-26T19:58:54+02:00', utc(2018, 2, 26, 17, 58, 54)],
    ['2025-12-01T09:30:00.000Z', utc(2025, 12, 1, 9, 30)],
    ['26-02-2018', utc(2018, 2, 26)],
    ['26-02-2018 19:58', utc(2018, 2, 26, 19, 58)],
    ['02/26/2018', utc(2018, 2, 26)],
    ['10/12/2023 10:01:23 AM', utc(2023, 10, 12, 10, 1, 23)],
    ['10/12/2023 12:05 PM', utc(2023, 10, 12, 12, 5)],
    ['Oct 12, 2025 10:01 AM', utc(2025, 10, 12, 10, 1)],
    ['12 Oct 2025', utc(2025, 10, 12)],
    ['September 3 2024 17:00', utc(2024, 9, 3, 17)],
    ['45000', utc(2023, 3, 15)],
    ['1700000000', 1_700_000_000_000],
    ['1700000000123', 1_700_000_000_123],
  ])('%s', (raw, ms) => expect(parseDate(raw)).toBe(ms));

  it('uses the chosen day/month order for ambiguous dates', () => {
    expect(parseDate('03/04/2024', 'mdy')).toBe(utc(2024, 3, 4));
    expect(parseDate('03/04/2024', 'dmy')).toBe(utc(2024, 4, 3));
    expect(parseDate('03-04-2024')).toBe(utc(2024, 4, 3));
    expect(parseDate('13/04/2024', 'mdy')).toBe(utc(2024, 4, 13));
  });

  it('rejects non-dates and impossible dates', () => {
    for (const raw of ['', 'soon', '31-02-2026', '2024-13-01', '25:00', '--', '12/12'])
      expect(parseDate(raw)).toBeNull();
  });

  it('reads the machine form (…T…Z) exactly as Date.parse does', () => {
    // Every millisecond precision, every month end, leap days, and a spread of instants.
    const samples: string[] = [];
    for (let t = Date.UTC(1999, 11, 31, 23, 59, 59, 999); t < Date.UTC(2031, 0, 1); t += 86_400_000 * 7 + 3_723_456) {
      const iso = new Date(t).toISOString();
      samples.push(
        iso,
        iso.replace(/\.\d+Z$/, 'Z'),
        iso.replace(/(\.\d\d)\dZ$/, '$1Z'),
        iso.replace(/(\.\d)\d\dZ$/, '$1Z'),
      );
    }
    for (let y = 2023; y <= 2025; y++) {
      for (let m = 1; m <= 12; m++) samples.push(new Date(Date.UTC(y, m, 0, 12)).toISOString());
    }
    for (const s of samples) expect(parseDate(s), s).toBe(Date.parse(s));
    expect(parseDate('2024-02-29T10:00:00Z')).toBe(Date.UTC(2024, 1, 29, 10));
  });

  it('rejects impossible machine-form dates (Date.parse would roll them over)', () => {
    for (const raw of [
      '2026-02-29T10:00:00Z',
      '2026-04-31T00:00:00.000Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T00:00:00.Z',
    ])
      expect(parseDate(raw), raw).toBeNull();
    expect(parseDate('2026-01-01T00:00:00.1234Z')).toBe(Date.UTC(2026, 0, 1, 0, 0, 0, 123));
    expect(parseDate('0999-06-01T00:00:00Z')).toBe(Date.parse('0999-06-01T00:00:00Z'));
  });
});

describe('detectDateOrder', () => {
  it('decides from parts above 12', () => {
    expect(detectDateOrder(['01-02-2018', '20-10-2017'])).toBe('dmy');
    expect(detectDateOrder(['02/26/2018', '03/01/2018'])).toBe('mdy');
    expect(detectDateOrder(['01/02/2018', '2018-01-01'])).toBeNull();
  });
});
