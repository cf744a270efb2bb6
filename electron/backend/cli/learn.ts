/**
 * `leadbench learn --db PATH [--exclude FIELD,...] [--keep FIELD,...] [--holdout SHARE] [--out FILE] [--json]`:
 * suggests a scoring model from the closed leads (won / lost), with every rule's reason, the
 * fields left out, and the suggestion's AUC on held-out leads beside the current model's.
 * --out writes the suggestion as model JSON (`score --model FILE` publishes it).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../errors';
import { checkErrors, modelCheckLines } from '../services/scoring/model-check';
import { openCliBackend, parseCli } from './common';
import type { CliCommandRun } from './types';

const list = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

export const learnCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, {
      db: { type: 'string' },
      exclude: { type: 'string' },
      keep: { type: 'string' },
      holdout: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    });
    const holdout = values.holdout === undefined ? undefined : Number(values.holdout);
    if (holdout !== undefined && !(holdout >= 0.1 && holdout <= 0.9))
      throw new AppError('BAD_ARGUMENT', '--holdout must be a share between 0.1 and 0.9 (e.g. 0.3).');
    const backend = openCliBackend(values.db);
    try {
      const r = await backend.invoke('model-learn', {
        ...(values.exclude ? { exclude: list(values.exclude) } : {}),
        ...(values.keep ? { keep: list(values.keep) } : {}),
        ...(holdout !== undefined ? { holdout } : {}),
      });
      // The suggestion is checked like any model file before it is written or shown.
      const check = await backend.invoke('model-check', { definition: r.model });
      for (const line of modelCheckLines(check, 'the suggestion')) io.err(line);
      if (checkErrors(check).length) return 1;
      if (values.out) {
        const path = resolve(values.out);
        writeFileSync(path, `${JSON.stringify(r.model, null, 2)}\n`, 'utf8');
      }
      if (values.json) {
        io.out(JSON.stringify(r, null, 2));
        return 0;
      }
      for (const line of r.summary) io.out(line);
      io.out('');
      io.out('Suggested rules:');
      for (const reason of r.reasons) io.out(`  ${reason.text}`);
      const notUsed = r.fields.filter((f) => f.status !== 'used');
      if (notUsed.length) {
        io.out('');
        io.out('Fields not used:');
        for (const f of notUsed) io.out(`  ${f.label}: ${f.reason}`);
      }
      if (r.currentRules.length) {
        io.out('');
        io.out(`Current model's rules:`);
        for (const rule of r.currentRules) io.out(`  ${rule.text}`);
      }
      if (values.out) io.out(`\nWrote the suggested model to ${resolve(values.out)}.`);
      return 0;
    } finally {
      backend.close();
    }
  },
};
