/**
 * The date findings (shared/date-findings.ts): counted over the columns whose every value is a
 * date, a row once however many of its dates read both ways, the order the majority of the
 * unambiguous dates prove.
 */
import { describe, expect, it } from 'vitest';
import { tallyDates } from '../../shared/date-findings';

function findings(headers: string[], rows: string[][]) {
  const tally = tallyDates(headers);
  rows.forEach((cells, i) => tally.add(cells, i + 2));
  return tally.findings();
}

describe('date findings', () => {
  it('counts a row once, however many of its dates read both ways', () => {
    const f = findings(
      ['Signed up', 'Last seen'],
      [
        ['05/12/2026', '03/04/2026'],
        ['25/12/2025', 'N/A'],
        ['', '07/08/2026 10:00'],
      ],
    );
    expect(f).toEqual({
      detected: 'dmy',
      ambiguousRows: 2,
      examples: [
        { row: 2, column: 'Signed up', value: '05/12/2026' },
        { row: 2, column: 'Last seen', value: '03/04/2026' },
        { row: 4, column: 'Last seen', value: '07/08/2026 10:00' },
      ],
    });
  });

  it('leaves out a column one of whose values is not a date', () => {
    const f = findings(
      ['Code', 'When'],
      [
        ['05/12', '2026-01-15'],
        ['03/04/2026', '2026-01-16'],
        ['lot 7', '2026-01-17'],
      ],
    );
    expect(f).toEqual({ detected: null, ambiguousRows: 0, examples: [] });
  });

  it('takes the order most unambiguous dates prove', () => {
    const f = findings(['Date'], [['12/25/2025'], ['12/31/2025'], ['25/12/2025'], ['01/02/2026']]);
    expect(f.detected).toBe('mdy');
    expect(f.ambiguousRows).toBe(1);
  });
});
