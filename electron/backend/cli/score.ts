/**
 * `leadbench score --db PATH [--model FILE]`: full rescore of a workspace. With --model, the
 * JSON model is validated, checked against the workspace (fields it lacks, unknown keys,
 * values no lead has: refused with every problem named) and published as a new version of
 * the primary model first; each rule's match count is printed.
 */
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { resolve } from 'node:path';
import { validateModel } from '../../../shared/scoring';
import { changedPerModel } from '../../../shared/scoring/changed-per-model';
import type { RescoreOutcome } from '../../../shared/contract';
import type { BackendContext } from '../context';
import { AppError } from '../errors';
import { checkErrors, checkModel, modelCheckLines, ruleMatchLines } from '../services/scoring/model-check';
import { primaryModelId, publishRevocably } from '../services/scoring/models';
import { startFullRescore } from '../services/scoring/rescore-job';
import { openCliWriter, parseCli } from './common';
import type { CliCommandRun, CliIo } from './types';

export const scoreCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, {
      db: { type: 'string' },
      model: { type: 'string' },
      note: { type: 'string' },
      'include-closed': { type: 'boolean' },
    });
    const backend = await openCliWriter(values.db, io);
    try {
      const ctx = backend.context;
      const db = ctx.db();
      if (values.model) {
        const file = resolve(values.model);
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
        } catch (err) {
          throw new AppError(
            'MODEL_INVALID',
            `Cannot read the model ${file}: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        const v = validateModel(json);
        if (!v.ok) {
          io.err(`The model in ${file} is not valid:`);
          for (const i of v.issues) io.err(`  - ${i.message}`);
          return 1;
        }
        const check = checkModel(db, v.model, json, ctx.now());
        for (const line of modelCheckLines(check, file)) io.err(line);
        if (checkErrors(check).length) return 1;
        const primary = primaryModelId(db);
        if (primary === null) throw new AppError('NOT_FOUND', 'The workspace has no primary scoring model.');
        const published = publishRevocably(db, primary, v.model, values.note ?? `Published from ${file}`, ctx.now());
        const outcome = await rescore(ctx, values['include-closed'] ?? false, published.withdraw);
        io.out(`Published "${v.model.name}" as version ${published.version} of the primary model.`);
        if (check.rules.length) {
          io.out('Leads each rule matches now:');
          for (const line of ruleMatchLines(check)) io.out(line);
        }
        return rescored(io, outcome, db);
      }
      return rescored(io, await rescore(ctx, values['include-closed'] ?? false, null), ctx.db());
    } finally {
      backend.close();
    }
  },
};

/** The full rescore; a failure after a publication has withdrawn it (startFullRescore). */
async function rescore(
  ctx: BackendContext,
  includeClosed: boolean,
  withdrawOnFailure: (() => void) | null,
): Promise<RescoreOutcome> {
  const { outcome, error } = await startFullRescore(ctx, {
    includeClosed,
    withdrawOnFailure: withdrawOnFailure ?? undefined,
  }).done;
  if (!error && outcome) return outcome;
  throw new AppError(error?.code ?? 'INTERNAL', error?.message ?? 'The rescore failed.');
}

function rescored(io: CliIo, outcome: RescoreOutcome, db: Database.Database): number {
  const secs = outcome.durationMs / 1000;
  // Changed scores per model, as the Scoring screen says them: the primary's alone would say 0
  // for a model that is not primary whose scores moved.
  const models = db.prepare('SELECT id, name FROM models').all() as { id: number; name: string }[];
  const changed = changedPerModel(outcome, primaryModelId(db), models);
  io.out(
    `Rescored ${outcome.scored} leads in ${secs.toFixed(1)} s (${outcome.frozen} frozen in closed stages; changed scores: ${changed}).`,
  );
  // Leads that arrived closed follow the model; leads closed here keep theirs (closed-scores.ts).
  if (outcome.arrivedClosed > 0)
    io.out(
      `${outcome.arrivedClosed} of them arrived closed (an import's outcome column): they take the model's score as they stood when they closed.`,
    );
  if (outcome.frozen > 0)
    io.out(
      `The ${outcome.frozen} frozen leads were closed in this workspace and keep the score they closed with; --include-closed rescores them too.`,
    );
  return 0;
}
