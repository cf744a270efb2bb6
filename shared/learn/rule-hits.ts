/**
 * Which rules gave a lead points, read from the compiled scorer's compact ledger: one
 * definition of "the leads a rule matches" for Model health (closed leads as they closed),
 * the draft backtest, learning, and the editor's "Leads now" (every lead, now).
 */
import type { ScoringModel } from '../scoring';
import type { CompactEntry } from '../scoring/compile/expand';
import type { RuleInfo } from './health';

/** A model's rules in the order its compact ledger indexes them, with their model paths. */
export type RuleTable = Readonly<{
  rules: readonly RuleInfo[];
  /** Where each rule is in the model JSON (['fit', 2], ['engagement', 0], ['negative', 1]). */
  paths: readonly (readonly (string | number)[])[];
  /** Ledger index of a profile entry (kind 0) -> rule; of an activity entry (kind 1); of a field entry (kind 7). */
  profile: readonly number[];
  activity: readonly number[];
  field: readonly number[];
}>;

/** The rules that give points: fit, engagement, field engagement, negative rules, in model order. */
export function ruleTable(model: ScoringModel): RuleTable {
  const rules: RuleInfo[] = [];
  const paths: (readonly (string | number)[])[] = [];
  const profile: number[] = [];
  const activity: number[] = [];
  const add = (r: RuleInfo, path: readonly (string | number)[]): number => {
    paths.push(path);
    return rules.push(r) - 1;
  };
  const fit = model.fit.map((r, i) => add({ id: r.id, name: r.name, kind: 'fit', points: r.points }, ['fit', i]));
  const engagement = model.engagement.map((r, i) =>
    add({ id: r.id, name: r.name, kind: 'engagement', points: r.points }, ['engagement', i]),
  );
  const field = (model.fieldEngagement ?? []).map((r, i) =>
    add({ id: r.id, name: r.name, kind: 'engagement', points: r.points, unit: r.unit }, ['fieldEngagement', i]),
  );
  profile.push(...fit);
  activity.push(...engagement);
  model.negative.forEach((r, i) => {
    const at = add({ id: r.id, name: r.name, kind: 'negative', points: r.points }, ['negative', i]);
    (r.on === 'profile' ? profile : activity).push(at);
  });
  return { rules, paths, profile, activity, field };
}

/**
 * Calls `hit` with each rule (index into table.rules) the ledger says gave points, and the
 * points of that entry; a rule may come more than once.
 */
export function forEachHit(
  compact: readonly CompactEntry[],
  table: RuleTable,
  hit: (rule: number, points: number) => void,
): void {
  for (const e of compact) {
    const kind = e[0];
    const index = e[1] as number;
    const rule =
      kind === 0
        ? table.profile[index]
        : kind === 1
          ? table.activity[index]
          : kind === 7
            ? table.field[index]
            : undefined;
    if (rule !== undefined) hit(rule, e[2] as number);
  }
}
