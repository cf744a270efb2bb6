import { describe, expect, it } from 'vitest';
import { pct, reportTable, toCsv, type FunnelReport, type SlaReport } from '../../../shared/followup/reports';

describe('report tables and CSV', () => {
  it('rounds percentages to one decimal and has none for an empty base', () => {
    expect(pct(1, 3)).toBe(33.3);
    expect(pct(2, 3)).toBe(66.7);
    expect(pct(0, 0)).toBeNull();
  });

  it('flattens the funnel into the table the screen and the CSV share', () => {
    const funnel: FunnelReport = {
      steps: [
        { key: 'names', label: 'All leads', count: 100, conversionPct: 100, ofNamesPct: 100 },
        { key: 'mql', label: 'Reached MQL (ever)', count: 40, conversionPct: 40, ofNamesPct: 40 },
      ],
    };
    const table = reportTable('funnel', funnel);
    expect(table.columns).toEqual(['Step', 'Leads', 'Conversion from previous %', 'Of all leads %']);
    expect(toCsv(table)).toBe(
      'Step,Leads,Conversion from previous %,Of all leads %\r\nAll leads,100,100,100\r\nReached MQL (ever),40,40,40\r\n',
    );
  });

  it('puts overall, per-owner and per-grade SLA rows in one table', () => {
    const row = (label: string) => ({
      key: label,
      label,
      total: 2,
      met: 1,
      breached: 1,
      overdue: 0,
      waiting: 0,
      closedNoAttempt: 0,
      compliancePct: 50,
      medianMinutesToFirstContact: null,
    });
    const sla: SlaReport = { overall: row('All owners'), byOwner: [row('Ann')], byGrade: [row('A1')] };
    const table = reportTable('sla', sla);
    expect(table.rows.map((r) => [r[0], r[1], r[9]])).toEqual([
      ['All', 'All owners', null],
      ['Owner', 'Ann', null],
      ['Grade', 'A1', null],
    ]);
    // The median column holds no figure in any row and is still a number column: screens
    // right-align its placeholders, the XLSX export types it as numbers.
    expect(table.numeric).toEqual([false, false, true, true, true, true, true, true, true, true]);
  });

  it('quotes separators, quotes and line breaks, leaves blanks for nulls and defuses formulas', () => {
    const csv = toCsv({
      columns: ['a', 'b', 'c', 'd'],
      numeric: [false, false, false, false],
      rows: [['x, y', 'say "hi"', null, '=HYPERLINK("http://x")']],
    });
    expect(csv).toBe('a,b,c,d\r\n"x, y","say ""hi""",,"\'=HYPERLINK(""http://x"")"\r\n');
    expect(toCsv({ columns: ['n'], numeric: [true], rows: [[-5]] })).toBe('n\r\n-5\r\n');
    expect(toCsv({ columns: ['t'], numeric: [false], rows: [['line 1\nline 2']] })).toBe('t\r\n"line 1\nline 2"\r\n');
  });
});
