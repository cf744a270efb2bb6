import { describe, expect, it } from 'vitest';
import { EXPORT_PRESETS, exportPreset } from '../../../shared/exchange/presets';
import {
  choiceKey,
  normalizeSheetText,
  parseSheetDateText,
  parseSheetNumber,
} from '../../../shared/exchange/sheet-values';
import { BASE_EXPORT_COLUMNS, exportColumn, REP_COLUMN_KEYS } from '../../../shared/exchange/columns';
import { LEAD_COLUMNS } from '../../../shared/lead-columns';

describe('reading values back from a returned sheet', () => {
  it('normalizes text: guard quote, line ends, blanks', () => {
    expect(normalizeSheetText("'=SUM(1)")).toBe('=SUM(1)');
    expect(normalizeSheetText(' a\r\nb ')).toBe('a\nb');
    expect(normalizeSheetText('   ')).toBeNull();
    expect(normalizeSheetText(42)).toBe('42');
    expect(normalizeSheetText(null)).toBeNull();
  });

  it('reads numbers with either separator', () => {
    expect(parseSheetNumber('1,500', false)).toBe(1500);
    expect(parseSheetNumber('1.500', true)).toBe(1500);
    expect(parseSheetNumber('12,5', true)).toBe(12.5);
    expect(parseSheetNumber('12,5', false)).toBe(12.5);
    expect(parseSheetNumber('1 200', false)).toBe(1200);
    expect(parseSheetNumber('12.5', false)).toBe(12.5);
    expect(parseSheetNumber('abc', false)).toBeNull();
    expect(parseSheetNumber('', false)).toBeNull();
  });

  it('reads dates as people type them', () => {
    const at = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi);
    expect(parseSheetDateText('2026-11-23 14:05', 'mdy')).toBe(at(2026, 11, 23, 14, 5));
    expect(parseSheetDateText('2026-11-23T14:05:00', 'mdy')).toBe(at(2026, 11, 23, 14, 5));
    expect(parseSheetDateText('2026-11-23', 'mdy')).toBe(at(2026, 11, 23));
    expect(parseSheetDateText('23.11.2026 09:30', 'mdy')).toBe(at(2026, 11, 23, 9, 30));
    expect(parseSheetDateText('11/23/2026 2:05 PM', 'mdy')).toBe(at(2026, 11, 23, 14, 5));
    expect(parseSheetDateText('03/04/2026', 'mdy')).toBe(at(2026, 3, 4));
    expect(parseSheetDateText('03/04/2026', 'dmy')).toBe(at(2026, 4, 3));
    expect(parseSheetDateText('23/11/26', 'mdy')).toBe(at(2026, 11, 23));
    expect(parseSheetDateText('2026-02-30', 'mdy')).toBeNull();
    expect(parseSheetDateText('tomorrow', 'mdy')).toBeNull();
  });

  it('matches typed choices loosely', () => {
    expect(choiceKey('Left voicemail')).toBe(choiceKey('left_voicemail'));
    expect(choiceKey('Qualified (SQL)')).toBe('qualified sql');
  });
});

describe('export columns and presets', () => {
  it('every base column key is unique and the rep columns are editable', () => {
    const keys = BASE_EXPORT_COLUMNS.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of REP_COLUMN_KEYS) expect(exportColumn(k)?.editable).toBe(true);
    expect(exportColumn('custom.Budget')).toMatchObject({ label: 'Budget', editable: true });
    expect(exportColumn('nope')).toBeUndefined();
  });

  it('every lead grid column exports, so a saved view exports with exactly its columns', () => {
    for (const c of LEAD_COLUMNS) expect(exportColumn(c.key), c.key).toBeDefined();
  });

  it('presets carry the targets’ documented column names and translate stages', () => {
    expect(EXPORT_PRESETS.map((p) => p.id)).toEqual(['hubspot', 'salesforce', 'pipedrive']);
    const row: Record<string, string | number | null> = {
      first_name: 'Ann',
      last_name: 'Archer',
      email: 'ann@acme.example',
      company: 'Acme',
      stage: 'sql',
      segment: 'Hot',
      city: 'Austin',
      country: 'US',
      company_size: 250,
    };
    const get = (k: string) => row[k] ?? null;
    const values = (id: string) => Object.fromEntries(exportPreset(id)!.columns.map((c) => [c.header, c.value(get)]));
    expect(values('hubspot')).toMatchObject({
      'First Name': 'Ann',
      'Lifecycle Stage': 'salesqualifiedlead',
      'Lead Status': 'IN_PROGRESS',
      'Number of Employees': 250,
    });
    expect(values('salesforce')).toMatchObject({ LastName: 'Archer', Status: 'Working - Contacted', Rating: 'Hot' });
    expect(values('pipedrive')).toMatchObject({
      'Lead - Title': 'Acme',
      'Person - Name': 'Ann Archer',
      'Organization - Address': 'Austin, US',
    });
  });
});
