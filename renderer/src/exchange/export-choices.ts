/**
 * The export dialog's choices as plain data, and what they mean: the format actually written
 * (a workbook of owner packs is always XLSX), the leads they name, the save dialog to ask
 * with, and the backend request they make. Pure, so the rules are tested on their own
 * (test/unit/exchange/export-choices.test.ts); ExportDialog.tsx only shows them.
 */
import type { ExportSourceInput, HandlerArgs } from '../../../shared/contract';

export type ExportScope = 'given' | 'all' | 'segment' | 'view' | 'queue' | 'packs';
export type ExportTarget = 'leadbench' | 'hubspot' | 'salesforce' | 'pipedrive';

export type ExportChoices = Readonly<{
  scope: ExportScope;
  segment: string;
  viewId: number | null;
  ownerId: number | null;
  layout: 'workbook' | 'files';
  format: 'csv' | 'xlsx';
  bom: boolean;
  delimiter: ',' | ';';
  target: ExportTarget;
}>;

/** The dialog's first choices: what the caller passed in (the grid's view or selection), else all leads, as XLSX. */
export function initialChoices(given: boolean): ExportChoices {
  return {
    scope: given ? 'given' : 'all',
    segment: '',
    viewId: null,
    ownerId: null,
    layout: 'workbook',
    format: 'xlsx',
    bom: true,
    delimiter: ',',
    target: 'leadbench',
  };
}

/** The format written: owner packs in one workbook are XLSX whatever was chosen. */
export function effectiveFormat(ch: ExportChoices): 'csv' | 'xlsx' {
  return ch.scope === 'packs' && ch.layout === 'workbook' ? 'xlsx' : ch.format;
}

/** Owner packs as one file per owner: the save dialog asks for a folder. */
function packFiles(ch: ExportChoices): boolean {
  return ch.scope === 'packs' && ch.layout === 'files';
}

/** The leads the choices name (a saved view not chosen yet, or an unknown scope: all leads). */
export function exportSource(
  ch: ExportChoices,
  given: ExportSourceInput | undefined,
  segments: readonly string[],
): ExportSourceInput {
  switch (ch.scope) {
    case 'given':
      return given ?? { kind: 'all' };
    case 'segment':
      return { kind: 'segment', segment: ch.segment || (segments[0] ?? 'hot') };
    case 'view':
      return ch.viewId ? { kind: 'view', viewId: ch.viewId } : { kind: 'all' };
    case 'queue':
      return { kind: 'queue', ownerId: ch.ownerId };
    default:
      return { kind: 'all' };
  }
}

/** What the save dialog asks for: a file named for today in the format written, or a folder for packs. */
export function saveDialogFor(
  ch: ExportChoices,
  today: string,
): Readonly<{ title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }> {
  const ext = effectiveFormat(ch);
  if (packFiles(ch)) return { title: 'Folder for the owner packs', defaultPath: `owner-packs-${today}`, filters: [] };
  return {
    title: 'Export to',
    defaultPath: `leads-${today}.${ext}`,
    filters: [{ name: ext.toUpperCase(), extensions: [ext] }],
  };
}

export type ExportCall =
  | Readonly<{ name: 'export-owner-packs'; args: HandlerArgs<'export-owner-packs'> }>
  | Readonly<{ name: 'export-leads'; args: HandlerArgs<'export-leads'> }>;

/** The backend request the choices make: owner packs, or leads (in a CRM's format when one is chosen). */
export function exportCall(
  ch: ExportChoices,
  at: Readonly<{
    out: string;
    jobId: string;
    columns: readonly string[];
    given?: ExportSourceInput | undefined;
    segments: readonly string[];
  }>,
): ExportCall {
  const format = effectiveFormat(ch);
  const common = {
    out: at.out,
    format,
    jobId: at.jobId,
    ...(at.columns.length ? { columns: [...at.columns] } : {}),
    ...(format === 'csv' ? { csv: { bom: ch.bom, delimiter: ch.delimiter } } : {}),
  };
  if (ch.scope === 'packs') {
    return { name: 'export-owner-packs', args: { layout: ch.layout, includeUnassigned: false, ...common } };
  }
  return {
    name: 'export-leads',
    args: {
      source: exportSource(ch, at.given, at.segments),
      ...(ch.target !== 'leadbench' ? { preset: ch.target } : {}),
      ...common,
    },
  };
}
