/**
 * `leadbench report model --db PATH [--model ID | --model-file FILE] [--from DATE] [--to DATE] [--json]`:
 * model health over the closed leads (AUC with its interval, conversion by grade, segment
 * and score decile, a verdict per rule), from the same handler as Reports > Model.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLOSED_GRADES } from '../../../shared/followup/definitions';
import type { GroupRow } from '../../../shared/learn/health';
import { AppError } from '../errors';
import { openCliBackend, parseCli } from './common';
import type { CliIo } from './types';

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

function date(label: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new AppError('BAD_ARGUMENT', `${label} must be a date like 2026-01-31.`);
  return ms;
}

function table(io: CliIo, title: string, head: string[], rows: string[][]): void {
  io.out('');
  io.out(title);
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  for (const r of all) io.out(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

const groupRows = (rows: readonly GroupRow[], label: (k: string) => string = (k) => k): string[][] =>
  rows.map((g) => [
    label(g.key),
    g.leads.toLocaleString('en-US'),
    g.won.toLocaleString('en-US'),
    pct(g.rate),
    `${pct(g.low)}–${pct(g.high)}`,
    `${g.lift.toFixed(2)}x`,
  ]);

export async function reportModel(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCli(argv.slice(1), {
    db: { type: 'string' },
    model: { type: 'string' },
    'model-file': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.model && values['model-file'])
    throw new AppError('BAD_ARGUMENT', 'Give either --model ID or --model-file FILE, not both.');
  const modelId = values.model === undefined ? undefined : Number(values.model);
  if (modelId !== undefined && !(Number.isInteger(modelId) && modelId > 0))
    throw new AppError('BAD_ARGUMENT', '--model takes a model id (see `leadbench info`).');
  let definition: unknown;
  if (values['model-file']) {
    const file = resolve(values['model-file']);
    try {
      definition = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new AppError('MODEL_INVALID', `Cannot read the model ${file}: ${(err as Error).message}`);
    }
  }
  const backend = openCliBackend(values.db);
  try {
    const r = await backend.invoke('report-model', {
      ...(modelId !== undefined ? { modelId } : {}),
      ...(definition !== undefined ? { definition } : {}),
      ...(values.from ? { from: date('--from', values.from) } : {}),
      ...(values.to ? { to: date('--to', values.to) } : {}),
    });
    if (values.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const h = r.health;
    io.out(
      `Model health: "${r.modelName}"${r.version === null ? ' (file)' : ` v${r.version}`}, ${h.closed.toLocaleString('en-US')} closed leads (${h.won.toLocaleString('en-US')} won, ${pct(h.overallRate)})`,
    );
    io.out(
      h.auc.auc === null
        ? 'ROC AUC: not measurable'
        : `ROC AUC ${h.auc.auc.toFixed(3)} (95% interval ${h.auc.low!.toFixed(3)}–${h.auc.high!.toFixed(3)}; ${h.auc.won} won, ${h.auc.lost} lost)`,
    );
    for (const n of h.notes) io.out(`Note: ${n}`);
    // What these counts count, in the same words as Reports > Model (one definition).
    io.out(CLOSED_GRADES.caption);
    const head = ['', 'Leads', 'Won', 'Converted', '95% interval', 'Lift'];
    table(io, 'By grade', ['Grade', ...head.slice(1)], groupRows(h.byGrade));
    table(
      io,
      'By segment',
      ['Segment', ...head.slice(1)],
      groupRows(h.bySegment, (k) => r.segmentLabels[k] ?? k),
    );
    table(io, 'By score decile', ['Scores', ...head.slice(1)], groupRows(h.deciles));
    table(
      io,
      'Rules',
      ['Rule', 'Points', 'Matched', 'With', 'Without', 'Verdict'],
      h.rules.map((x) => [
        x.name,
        String(x.points),
        x.matched.toLocaleString('en-US'),
        pct(x.rateWith),
        pct(x.rateWithout),
        x.verdict + (x.suggestedPoints !== null && x.verdict !== 'fine' ? ` (suggest ${x.suggestedPoints})` : ''),
      ]),
    );
    return 0;
  } finally {
    backend.close();
  }
}
