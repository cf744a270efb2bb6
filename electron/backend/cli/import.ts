/**
 * `leadbench import FILE --db PATH`: the wizard's engine, headless. Without --mapping it
 * uses the saved mapping for files with the same headers, else the suggested one.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportOptions, ImportSummary, MappingSettings } from '../../../shared/contract';
import { mappingSettingsSchema } from '../../../shared/contract/import';
import { COLUMN_TARGETS, IMPORT_KINDS, parseDay, type ColumnMapping, type ImportKind } from '../../../shared/mapping';
import { AppError } from '../errors';
import { parseOutcomeArgument, parseOutcomeValues, type OutcomeMapping } from '../../../shared/outcomes';
import { withCompanions } from '../services/exchange/backup';
import { findMappingByName } from '../services/import/mappings';
import { openCliWriter, parseCli } from './common';
import type { CliCommandRun, CliIo } from './types';

function loadMappingFile(path: string): MappingSettings | ColumnMapping {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', `Cannot read the mapping file ${path}: ${(err as Error).message}`);
  }
  const settings = mappingSettingsSchema.safeParse(data);
  if (settings.success) return settings.data;
  const targets = new Set<string>(COLUMN_TARGETS);
  if (data && typeof data === 'object' && Object.values(data).every((v) => typeof v === 'string' && targets.has(v))) {
    return data as ColumnMapping;
  }
  throw new AppError(
    'BAD_ARGUMENT',
    `The mapping file ${path} is neither a saved mapping ({ "kind": ..., "mapping": {...} }) nor a header -> target object.`,
  );
}

function printSummary(io: CliIo, s: ImportSummary): void {
  const n = (v: number) => v.toLocaleString('en-US');
  io.out(`Imported    ${s.fileName} (${s.kind}) as import #${s.importId} in ${(s.durationMs / 1000).toFixed(1)} s`);
  io.out(`Rows        ${n(s.rowsTotal)}`);
  io.out(`Inserted    ${n(s.inserted)}`);
  io.out(`Updated     ${n(s.updated)}`);
  io.out(`Unchanged   ${n(s.unchanged)}`);
  io.out(`Skipped     ${n(s.skipped)} (blank rows)`);
  io.out(`Errors      ${n(s.errors)}${s.errors ? ' (see the import history for each row and reason)' : ''}`);
  if (s.kind !== 'leads') io.out(`Activities  ${n(s.activitiesInserted)} new`);
  if (s.leadsCreated && s.kind === 'activities') io.out(`New leads   ${n(s.leadsCreated)}`);
  io.out(`Rescored    ${n(s.rescored)} leads`);
  if (s.outcomes)
    io.out(`Outcomes    ${n(s.outcomes.won)} won, ${n(s.outcomes.lost)} lost, ${n(s.outcomes.open)} still open`);
  io.out(`Dates       ${datesLine(s.dates)}`);
  if (s.dates.range) {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    io.out(`Dated       ${day(s.dates.range.first)} to ${day(s.dates.range.last)}`);
  }
}

/** How the dates were read, and the rows a different order would read differently. */
function datesLine(d: ImportSummary['dates']): string {
  const order = d.order === null ? null : d.order === 'dmy' ? 'day first' : 'month first';
  const how =
    order === null ? 'read as written (no date decided the order)' : `${order} (${d.chosen ? 'chosen' : 'detected'})`;
  if (d.ambiguousRows === 0) return how;
  const other = d.order === 'dmy' ? 'mdy' : 'dmy';
  return `${how}; ${d.ambiguousRows.toLocaleString('en-US')} rows have dates that read both ways (e.g. 05/12/2026): --date-order ${other} reads them the other way`;
}

/** --date-order dmy|mdy: how numeric dates such as 05/12/2026 are read (default: detected from the file). */
function dateOrderOption(text: string | undefined): 'dmy' | 'mdy' | undefined {
  if (text === undefined) return undefined;
  if (text === 'dmy' || text === 'mdy') return text;
  throw new AppError(
    'BAD_ARGUMENT',
    `--date-order ${text}: write dmy (day first, 31/12/2025) or mdy (month first, 12/31/2025).`,
  );
}

type OutcomeOptions = Readonly<{ outcome?: string; lost?: string; date?: string; value?: string }>;

/** The outcome settings from --outcome COLUMN=WON[|WON...], --outcome-lost, --outcome-date and --outcome-value. */
function outcomeOption({ outcome, lost, date, value }: OutcomeOptions): OutcomeMapping | undefined {
  if (outcome === undefined) {
    if (lost !== undefined || date !== undefined || value !== undefined)
      throw new AppError(
        'BAD_ARGUMENT',
        '--outcome-lost, --outcome-date and --outcome-value need --outcome COLUMN=WON_VALUE.',
      );
    return undefined;
  }
  const lostValues = lost === undefined ? undefined : parseOutcomeValues(lost);
  if (lostValues === null)
    throw new AppError(
      'BAD_ARGUMENT',
      '--outcome-lost needs the values that mean lost, separated by | (e.g. Lost|No deal).',
    );
  const parsed = parseOutcomeArgument(outcome);
  if (!parsed)
    throw new AppError(
      'BAD_ARGUMENT',
      `--outcome ${outcome}: write it as COLUMN=WON_VALUE, several won values separated by | (e.g. Converted=1, Status=won|closed won).`,
    );
  return {
    ...parsed,
    ...(lostValues ? { lost: lostValues } : {}),
    ...(date ? { dateColumn: date } : {}),
    ...(value ? { valueColumn: value } : {}),
  };
}

/** --date-all DATE: when every row happened (files without a date column: a campaign list, a webinar). */
function dateAllOption(text: string): number {
  const at = parseDay(text);
  if (at === null)
    throw new AppError('BAD_ARGUMENT', `--date-all ${text}: write the date as YYYY-MM-DD (e.g. 2026-01-15).`);
  return at;
}

export const importCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values, positionals } = parseCli(argv, {
      db: { type: 'string' },
      kind: { type: 'string' },
      mapping: { type: 'string' },
      key: { type: 'string', multiple: true },
      'row-key': { type: 'boolean' },
      'show-by': { type: 'string' },
      update: { type: 'string' },
      'blank-placeholders': { type: 'boolean' },
      'keep-placeholders': { type: 'boolean' },
      sheet: { type: 'string' },
      'header-row': { type: 'string' },
      encoding: { type: 'string' },
      outcome: { type: 'string' },
      'outcome-lost': { type: 'string' },
      'outcome-date': { type: 'string' },
      'outcome-value': { type: 'string' },
      'date-all': { type: 'string' },
      'date-order': { type: 'string' },
      json: { type: 'boolean' },
    });
    const outcome = outcomeOption({
      outcome: values.outcome,
      lost: values['outcome-lost'],
      date: values['outcome-date'],
      value: values['outcome-value'],
    });
    const file = positionals[0];
    if (!file) throw new AppError('BAD_ARGUMENT', 'Missing FILE: the spreadsheet to import.');
    if (values.kind && !(IMPORT_KINDS as readonly string[]).includes(values.kind)) {
      throw new AppError('BAD_ARGUMENT', `--kind must be one of ${IMPORT_KINDS.join(', ')}.`);
    }
    if (values.update && values.update !== 'fill' && values.update !== 'overwrite') {
      throw new AppError('BAD_ARGUMENT', '--update must be fill or overwrite.');
    }
    // --blank-placeholders is the default now; still accepted so existing scripts keep working.
    if (values['keep-placeholders'] && values['blank-placeholders']) {
      throw new AppError(
        'BAD_ARGUMENT',
        '--keep-placeholders and --blank-placeholders contradict each other: choose one.',
      );
    }
    const path = resolve(file);
    // A workspace this command creates is removed again when the import is refused.
    const created = values.db !== undefined && !existsSync(resolve(values.db)) ? resolve(values.db) : null;
    let imported = false;
    const backend = await openCliWriter(values.db, io, true);
    try {
      const read = {
        ...(values.sheet ? { sheet: values.sheet } : {}),
        ...(values['header-row'] ? { headerRow: Number(values['header-row']) } : {}),
        ...(values.encoding ? { encoding: values.encoding as ImportOptions['encoding'] } : {}),
      };
      const inspected = await backend.invoke('import-inspect', {
        path,
        ...read,
        ...(values.kind ? { kind: values.kind as ImportKind } : {}),
      });

      let settings: MappingSettings = { kind: (values.kind as ImportKind | undefined) ?? inspected.kind };
      let mapping: Record<string, ColumnMapping[string]> = { ...inspected.mapping };
      const source = values.mapping;
      if (source) {
        const loaded = source.toLowerCase().endsWith('.json')
          ? loadMappingFile(resolve(source))
          : findMappingByName(backend.context.db(), source)?.settings;
        if (!loaded) throw new AppError('BAD_ARGUMENT', `There is no saved mapping named "${source}".`);
        if (
          'kind' in loaded &&
          typeof loaded.kind === 'string' &&
          (IMPORT_KINDS as readonly string[]).includes(loaded.kind)
        ) {
          const s = loaded as MappingSettings;
          settings = { ...s, kind: (values.kind as ImportKind | undefined) ?? s.kind };
          mapping = { ...(s.mapping ?? mapping) };
        } else {
          mapping = { ...(loaded as ColumnMapping) };
        }
      } else if (inspected.savedMapping) {
        settings = { ...inspected.savedMapping.settings, kind: settings.kind };
        mapping = { ...(inspected.savedMapping.settings.mapping ?? mapping) };
        io.out(`Using the saved mapping "${inspected.savedMapping.name}" (same headers).`);
      }
      if (values.key?.length) {
        for (const [h, t] of Object.entries(mapping)) if (t === 'key') mapping[h] = 'custom';
        for (const k of values.key) {
          if (!inspected.headers.includes(k)) {
            throw new AppError(
              'BAD_ARGUMENT',
              `--key ${k}: the file has no such column. Columns: ${inspected.headers.join(', ')}.`,
            );
          }
          mapping[k] = 'key';
        }
      }
      const options: ImportOptions = {
        ...read,
        ...settings,
        mapping,
        ...(values['row-key'] ? { rowKey: true } : {}),
        ...(values['show-by'] ? { showLeadsBy: values['show-by'] } : {}),
        ...(values.update ? { update: values.update as 'fill' | 'overwrite' } : {}),
        ...(values['keep-placeholders'] ? { blankPlaceholders: false } : {}),
        ...(outcome ? { outcome } : {}),
        ...(values['date-all'] ? { eventTime: dateAllOption(values['date-all']) } : {}),
        ...(values['date-order'] ? { dateOrder: dateOrderOption(values['date-order']) } : {}),
      };
      const summary = await backend.invoke('import-run', { path, options });
      imported = true;
      if (values.json) io.out(JSON.stringify(summary, null, 2));
      else printSummary(io, summary);
      return 0;
    } finally {
      backend.close();
      if (created && !imported) for (const f of withCompanions(created)) rmSync(f, { force: true });
    }
  },
};
