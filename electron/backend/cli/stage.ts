/**
 * `leadbench stage --db PATH --to STAGE (LEAD... | --file FILE --key COLUMN)`: moves leads to
 * a stage (won, lost, sql...) for scripts: each LEAD is a key value, an email, a uid or a
 * lead number; with --file, every row's COLUMN names one lead. The change goes through the
 * same service as the app's bulk action (history recorded, follow-up opened or closed).
 */
import { basename, resolve } from 'node:path';
import { TEXT_ENCODINGS, type TextEncoding } from '../../../shared/contract/import';
import { AppError } from '../errors';
import { unconfirmedEncodingMessage } from '../services/import/encoding';
import { readSheets } from '../services/exchange/sheet-reader';
import { knownStage } from '../services/followup/stages';
import { findLead } from '../services/outcomes/find-leads';
import { openCliWriter, parseCli } from './common';
import type { CliCommandRun } from './types';

/**
 * The references in COLUMN of the file's first sheet, with their row numbers. A CSV that is
 * not UTF-8 is read only in the encoding named (--encoding), as imports do.
 */
function referencesInFile(
  path: string,
  column: string,
  encoding: TextEncoding | undefined,
): { row: number; ref: string }[] {
  const read = readSheets(path, encoding);
  if (read.encoding !== null && read.encodingSample !== null) {
    throw new AppError(
      'VALIDATION',
      unconfirmedEncodingMessage(
        basename(path),
        read.encoding,
        read.encodingSample,
        `leadbench stage --encoding ${read.encoding}`,
        'Nothing was changed.',
      ),
    );
  }
  const table = read.tables[0];
  const header = (table?.rows[0] ?? []).map((c) => String(c ?? '').trim());
  const at = header.indexOf(column);
  if (at < 0)
    throw new AppError(
      'BAD_ARGUMENT',
      `${path} has no column "${column}". Columns: ${header.filter(Boolean).join(', ')}.`,
    );
  return (table?.rows ?? [])
    .slice(1)
    .map((r, i) => ({ row: i + 2, ref: String(r[at] ?? '').trim() }))
    .filter((r) => r.ref !== '');
}

export const stageCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values, positionals } = parseCli(argv, {
      db: { type: 'string' },
      to: { type: 'string' },
      file: { type: 'string' },
      key: { type: 'string' },
      reason: { type: 'string' },
      encoding: { type: 'string' },
      json: { type: 'boolean' },
    });
    const encoding = values.encoding as TextEncoding | undefined;
    if (encoding !== undefined && !TEXT_ENCODINGS.includes(encoding))
      throw new AppError('BAD_ARGUMENT', `--encoding must be one of ${TEXT_ENCODINGS.join(', ')}.`);
    if (!values.to) throw new AppError('BAD_ARGUMENT', 'Missing --to STAGE (e.g. won, lost, sql).');
    if (values.file && !values.key)
      throw new AppError('BAD_ARGUMENT', '--file needs --key COLUMN: the column naming each lead.');
    if (values.file && positionals.length)
      throw new AppError('BAD_ARGUMENT', 'Name leads either as arguments or with --file, not both.');
    if (!values.file && positionals.length === 0)
      throw new AppError(
        'BAD_ARGUMENT',
        'Name the leads: LEAD... (key, email, uid or number) or --file FILE --key COLUMN.',
      );
    const refs = values.file
      ? referencesInFile(resolve(values.file), values.key!, encoding)
      : positionals.map((ref, i) => ({ row: i + 1, ref }));
    const backend = await openCliWriter(values.db, io);
    try {
      const db = backend.context.db();
      if (!knownStage(db, values.to)) {
        const stages = db.prepare('SELECT key FROM stage_config ORDER BY position').pluck().all() as string[];
        throw new AppError('BAD_ARGUMENT', `Unknown stage "${values.to}". Stages: ${stages.join(', ')}.`);
      }
      const ids: number[] = [];
      const missing: string[] = [];
      for (const r of refs) {
        const id = findLead(db, r.ref);
        if (id === null) missing.push(values.file ? `row ${r.row} (${r.ref})` : r.ref);
        else ids.push(id);
      }
      if (ids.length === 0) {
        io.err(`No lead found for ${missing.slice(0, 20).join(', ')}.`);
        return 1;
      }
      const result = await backend.invoke('stage-change', {
        leadIds: [...new Set(ids)],
        toStage: values.to,
        ...(values.reason ? { reason: values.reason } : {}),
      });
      if (values.json) io.out(JSON.stringify({ ...result, notFound: missing }, null, 2));
      else {
        io.out(`Moved ${result.changed} leads to ${values.to} (${result.skipped} already there).`);
        if (missing.length)
          io.err(
            `No lead found for ${missing.length}: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''}`,
          );
      }
      return 0;
    } finally {
      backend.close();
    }
  },
};
