/**
 * `leadbench activity-types --db PATH`: the workspace's activity types with their activity
 * counts; `rename TYPE NAME` gives a workspace type a new name (rules on it keep working);
 * `merge TYPE --into OTHER` moves its activities to OTHER, points the rules on it there and
 * rescores. TYPE: its key ("ws:SMS Sent") or its name, in any case.
 */
import type { ActivityTypeInfo, ActivityTypeMerge } from '../../../shared/contract';
import { AppError } from '../errors';
import { findActivityType } from '../services/leads/activity-types';
import { activeRescore } from '../services/scoring/rescore-job';
import { openCliBackend, openCliWriter, parseCli } from './common';
import type { CliCommandRun, CliIo } from './types';

const USAGE =
  'leadbench activity-types --db PATH [--json] | rename TYPE NAME --db PATH | merge TYPE --into TYPE --db PATH';

function printTypes(io: CliIo, types: readonly ActivityTypeInfo[]): void {
  const width = Math.max(...types.map((t) => t.label.length), 4);
  const count = Math.max(...types.map((t) => t.activities.toLocaleString('en-US').length), 10);
  io.out(`${'Type'.padEnd(width)}  ${'Activities'.padStart(count)}  Key`);
  for (const t of types) {
    const key = t.builtIn ? `${t.type} (built-in)` : t.type;
    io.out(`${t.label.padEnd(width)}  ${t.activities.toLocaleString('en-US').padStart(count)}  ${key}`);
  }
}

function printMerge(io: CliIo, m: ActivityTypeMerge): void {
  io.out(
    `Merged '${m.from.label}' into '${m.into.label}': ${m.moved} activities moved` +
      (m.duplicates ? `, ${m.duplicates} dropped as duplicates of ones the lead already had` : '') +
      '.',
  );
  for (const model of m.models) {
    const rules = [...new Set([...model.draftRules, ...model.publishedRules].map((r) => r.name))];
    const where = model.publishedVersion !== null ? ` (published as version ${model.publishedVersion})` : ' (draft)';
    io.out(`  Model "${model.name}"${where}: rules now counting '${m.into.label}': ${rules.join(', ')}`);
  }
}

export const activityTypesCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values, positionals } = parseCli(argv, {
      db: { type: 'string' },
      into: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [action, ...rest] = positionals;
    if (action === undefined) {
      const backend = openCliBackend(values.db);
      try {
        const types = await backend.invoke('activity-types', {});
        if (values.json) io.out(JSON.stringify(types, null, 2));
        else printTypes(io, types);
        return 0;
      } finally {
        backend.close();
      }
    }
    if (action !== 'rename' && action !== 'merge') throw new AppError('BAD_ARGUMENT', `Usage: ${USAGE}`);
    const backend = await openCliWriter(values.db, io);
    try {
      const db = backend.context.db();
      if (action === 'rename') {
        if (rest.length !== 2)
          throw new AppError('BAD_ARGUMENT', 'Usage: leadbench activity-types rename TYPE NAME --db PATH');
        const type = findActivityType(db, rest[0]!);
        const renamed = await backend.invoke('activity-type-rename', { type: type.type, label: rest[1]! });
        if (values.json) io.out(JSON.stringify(renamed, null, 2));
        else
          io.out(
            `Renamed '${type.label}' to '${renamed.label}' (${renamed.activities} activities; rules on it unchanged).`,
          );
        return 0;
      }
      if (rest.length !== 1 || !values.into) {
        throw new AppError('BAD_ARGUMENT', 'Usage: leadbench activity-types merge TYPE --into TYPE --db PATH');
      }
      const from = findActivityType(db, rest[0]!);
      const into = findActivityType(db, values.into);
      const merged = await backend.invoke('activity-type-merge', { from: from.type, into: into.type });
      const run = activeRescore(db);
      if (run) {
        const { error } = await run.done;
        if (error) throw new AppError(error.code, error.message);
      }
      if (values.json) io.out(JSON.stringify(merged, null, 2));
      else {
        printMerge(io, merged);
        if (run) io.out('Rescored every lead.');
      }
      return 0;
    } finally {
      backend.close();
    }
  },
};
