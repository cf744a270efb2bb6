/**
 * `leadbench export`: a saved view, a segment, the follow-up queue or every lead to CSV or
 * XLSX, headless, through the same export job as the app; or per-owner packs.
 */
import { extname } from 'node:path';
import type { ExportResult, ExportSourceInput } from '../../../shared/contract/exchange';
import { AppError } from '../errors';
import { openCliWriter, parseCli } from './common';
import type { CliCommandRun, CliIo } from './types';

function source(values: {
  view?: string | undefined;
  segment?: string | undefined;
  queue?: boolean | undefined;
  all?: boolean | undefined;
}): ExportSourceInput {
  const given = [values.view !== undefined, values.segment !== undefined, values.queue, values.all].filter(Boolean);
  if (given.length !== 1) {
    throw new AppError('BAD_ARGUMENT', 'Choose exactly one of --view NAME, --segment NAME, --queue or --all.');
  }
  if (values.view !== undefined) return { kind: 'view', name: values.view };
  if (values.segment !== undefined) return { kind: 'segment', segment: values.segment };
  if (values.queue) return { kind: 'queue' };
  return { kind: 'all' };
}

function printResult(io: CliIo, r: ExportResult): void {
  for (const f of r.files) {
    io.out(
      `Wrote       ${f.path}${f.sheet && r.files.length > 1 ? ` (${f.sheet})` : ''}: ${f.rows.toLocaleString('en-US')} rows, ${(f.bytes / 1024).toFixed(0)} KiB`,
    );
  }
  io.out(
    `Export      ${r.exportUid}${r.roundTrip ? ' (round trip: send it back with roundtrip-inspect in the app)' : ''}`,
  );
  io.out(`Rows        ${r.rows.toLocaleString('en-US')} in ${(r.tookMs / 1000).toFixed(1)} s`);
}

export const exportCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, {
      db: { type: 'string' },
      view: { type: 'string' },
      segment: { type: 'string' },
      queue: { type: 'boolean' },
      all: { type: 'boolean' },
      out: { type: 'string' },
      format: { type: 'string' },
      columns: { type: 'string' },
      preset: { type: 'string' },
      'no-roundtrip': { type: 'boolean' },
      semicolon: { type: 'boolean' },
      'no-bom': { type: 'boolean' },
      tz: { type: 'string' },
      packs: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.out) throw new AppError('BAD_ARGUMENT', 'Missing --out FILE.');
    const ext = extname(values.out).slice(1).toLowerCase();
    const format = values.format ?? (ext === 'xlsx' || ext === 'csv' ? ext : values.packs ? 'xlsx' : undefined);
    if (format !== 'csv' && format !== 'xlsx') {
      throw new AppError('BAD_ARGUMENT', '--format must be csv or xlsx (or give --out a .csv/.xlsx name).');
    }
    if (values.preset && !['hubspot', 'salesforce', 'pipedrive'].includes(values.preset)) {
      throw new AppError('BAD_ARGUMENT', '--preset must be hubspot, salesforce or pipedrive.');
    }
    if (values.packs && values.packs !== 'files' && values.packs !== 'workbook') {
      throw new AppError('BAD_ARGUMENT', '--packs must be files (OUT is a folder) or workbook (OUT is an .xlsx file).');
    }
    const columns = values.columns
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const csv = { bom: !values['no-bom'], delimiter: values.semicolon ? (';' as const) : (',' as const) };
    const backend = await openCliWriter(values.db, io);
    try {
      const src =
        values.packs && !values.view && !values.segment && !values.queue && !values.all ? undefined : source(values);
      const r = values.packs
        ? await backend.invoke('export-owner-packs', {
            ...(src ? { source: src } : {}),
            layout: values.packs as 'files' | 'workbook',
            format,
            out: values.out,
            csv,
            ...(columns ? { columns } : {}),
            ...(values.tz ? { timeZone: values.tz } : {}),
          })
        : await backend.invoke('export-leads', {
            source: src!,
            format,
            out: values.out,
            csv,
            ...(columns ? { columns } : {}),
            ...(values.preset ? { preset: values.preset as 'hubspot' | 'salesforce' | 'pipedrive' } : {}),
            ...(values['no-roundtrip'] ? { roundTrip: false } : {}),
            ...(values.tz ? { timeZone: values.tz } : {}),
          });
      if (values.json) io.out(JSON.stringify(r, null, 2));
      else printResult(io, r);
      return 0;
    } finally {
      backend.close();
    }
  },
};
