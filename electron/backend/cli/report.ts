/**
 * `leadbench report KIND --db PATH [--from DATE] [--to DATE] [--period-by created|imported]
 * [--source S] [--csv FILE]`: one of the follow-up reports as a text table (or JSON, or
 * written to CSV), by the same definitions as the app (shared/followup/definitions.ts).
 */
import { DATE_BASES, type DateBasis } from '../../../shared/followup/definitions';
import { REPORT_KINDS, REPORT_LABELS, type ReportFilter, type ReportKind } from '../../../shared/followup/reports';
import { AppError } from '../errors';
import type { CliCommandRun } from './types';
import { openCliBackend, parseCli } from './common';
import { resolve } from 'node:path';

function date(label: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new AppError('BAD_ARGUMENT', `${label} must be a date like 2026-01-31.`);
  return ms;
}

export const reportCommand: CliCommandRun = {
  run: async (argv, io) => {
    if (argv[0] === 'model') return (await import('./report-model')).reportModel(argv, io);
    const { values, positionals } = parseCli(argv, {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'period-by': { type: 'string' },
      source: { type: 'string' },
      campaign: { type: 'string' },
      csv: { type: 'string' },
      json: { type: 'boolean' },
    });
    const kind = positionals[0] as ReportKind | undefined;
    if (!kind || !REPORT_KINDS.includes(kind)) {
      throw new AppError('BAD_ARGUMENT', `Name the report: ${REPORT_KINDS.join(', ')} or model.`);
    }
    const basis = values['period-by'];
    if (basis !== undefined && !DATE_BASES.includes(basis as DateBasis)) {
      throw new AppError('BAD_ARGUMENT', `--period-by must be ${DATE_BASES.join(' or ')}.`);
    }
    const filter: ReportFilter = {
      dateBasis: basis as DateBasis | undefined,
      from: date('--from', values.from),
      to: date('--to', values.to),
      source: values.source,
      campaign: values.campaign,
    };
    const clean = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    const backend = openCliBackend(values.db);
    try {
      if (values.csv) {
        const r = await backend.invoke('report-export', { report: kind, filter: clean, path: resolve(values.csv) });
        io.out(`Wrote ${r.rows} rows to ${r.path}`);
        return 0;
      }
      const { data, table } = await backend.invoke(`report-${kind}`, { filter: clean });
      if (values.json) {
        io.out(JSON.stringify(data, null, 2));
        return 0;
      }
      io.out(REPORT_LABELS[kind]);
      const cells = [table.columns, ...table.rows].map((r) => r.map((c) => (c === null ? '-' : String(c))));
      const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
      for (const r of cells) {
        io.out(
          r
            .map((c, i) => (table.numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
            .join('  ')
            .trimEnd(),
        );
      }
      return 0;
    } finally {
      backend.close();
    }
  },
};
