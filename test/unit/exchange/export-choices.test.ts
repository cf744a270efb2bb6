/** The export dialog's choices and the request they make (renderer/src/exchange/export-choices.ts). */
import { describe, expect, it } from 'vitest';
import type { ExportSourceInput } from '../../../shared/contract';
import {
  effectiveFormat,
  exportCall,
  exportSource,
  initialChoices,
  saveDialogFor,
  type ExportChoices,
} from '../../../renderer/src/exchange/export-choices';

const GIVEN: ExportSourceInput = { kind: 'selection', selection: { kind: 'ids', ids: [4, 9] } };
const at = { out: '/tmp/out.xlsx', jobId: 'export-1', columns: ['name', 'email'], segments: ['Hot', 'Warm'] };
const choices = (over: Partial<ExportChoices>): ExportChoices => ({ ...initialChoices(false), ...over });

describe('the export choices', () => {
  it('start on what the caller passed in, else all leads, as an XLSX round-trip sheet', () => {
    expect(initialChoices(true)).toMatchObject({ scope: 'given', format: 'xlsx', target: 'leadbench' });
    expect(initialChoices(false).scope).toBe('all');
  });

  it('write owner packs in one workbook as XLSX whatever format was picked', () => {
    expect(effectiveFormat(choices({ scope: 'packs', layout: 'workbook', format: 'csv' }))).toBe('xlsx');
    expect(effectiveFormat(choices({ scope: 'packs', layout: 'files', format: 'csv' }))).toBe('csv');
    expect(effectiveFormat(choices({ scope: 'all', format: 'csv' }))).toBe('csv');
  });

  it('name the leads: the first segment until one is picked, all leads until a view is picked', () => {
    expect(exportSource(choices({ scope: 'given' }), GIVEN, [])).toBe(GIVEN);
    expect(exportSource(choices({ scope: 'segment' }), undefined, ['Hot', 'Warm'])).toEqual({
      kind: 'segment',
      segment: 'Hot',
    });
    expect(exportSource(choices({ scope: 'segment', segment: 'Warm' }), undefined, [])).toEqual({
      kind: 'segment',
      segment: 'Warm',
    });
    expect(exportSource(choices({ scope: 'view' }), undefined, [])).toEqual({ kind: 'all' });
    expect(exportSource(choices({ scope: 'view', viewId: 3 }), undefined, [])).toEqual({ kind: 'view', viewId: 3 });
    expect(exportSource(choices({ scope: 'queue', ownerId: 2 }), undefined, [])).toEqual({ kind: 'queue', ownerId: 2 });
  });

  it('ask for a file named for the day in the format written, or a folder for one file per owner', () => {
    expect(saveDialogFor(choices({ format: 'csv' }), '2026-12-07')).toEqual({
      title: 'Export to',
      defaultPath: 'leads-2026-12-07.csv',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(
      saveDialogFor(choices({ scope: 'packs', layout: 'workbook', format: 'csv' }), '2026-12-07').defaultPath,
    ).toBe('leads-2026-12-07.xlsx');
    expect(saveDialogFor(choices({ scope: 'packs', layout: 'files' }), '2026-12-07')).toEqual({
      title: 'Folder for the owner packs',
      defaultPath: 'owner-packs-2026-12-07',
      filters: [],
    });
  });

  it('make an export-leads request, in a CRM format when one is chosen, with CSV options only for CSV', () => {
    expect(exportCall(choices({ scope: 'segment', target: 'hubspot' }), at)).toEqual({
      name: 'export-leads',
      args: {
        source: { kind: 'segment', segment: 'Hot' },
        preset: 'hubspot',
        out: '/tmp/out.xlsx',
        format: 'xlsx',
        jobId: 'export-1',
        columns: ['name', 'email'],
      },
    });
    const csv = exportCall(choices({ format: 'csv', bom: false, delimiter: ';' }), { ...at, columns: [] });
    expect(csv).toEqual({
      name: 'export-leads',
      args: {
        source: { kind: 'all' },
        out: '/tmp/out.xlsx',
        format: 'csv',
        jobId: 'export-1',
        csv: { bom: false, delimiter: ';' },
      },
    });
  });

  it('make an owner-packs request for packs, never with a CRM preset', () => {
    expect(exportCall(choices({ scope: 'packs', layout: 'files', format: 'csv', target: 'salesforce' }), at)).toEqual({
      name: 'export-owner-packs',
      args: {
        layout: 'files',
        includeUnassigned: false,
        out: '/tmp/out.xlsx',
        format: 'csv',
        jobId: 'export-1',
        columns: ['name', 'email'],
        csv: { bom: true, delimiter: ',' },
      },
    });
  });
});
