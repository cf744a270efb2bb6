/**
 * Profile rules: the fit rules and the profile-based negative rules, each with its condition
 * compiled once. Their index in the returned list is the index a stored ledger entry names.
 */
import { compileCondition, type CompiledCondition, type LeadContext } from '../conditions';
import type { Condition, ScoringModel } from '../model';

export type ProfileRule = Readonly<{
  id: string;
  name: string;
  kind: 'fit' | 'negative';
  points: number;
  when: Condition;
  test: CompiledCondition;
}>;

/** Fit rules first, then negative rules on the profile, in model order. */
export function compileProfileRules(model: ScoringModel): ProfileRule[] {
  const rule = (
    r: Readonly<{ id: string; name: string; points: number; when: Condition }>,
    kind: ProfileRule['kind'],
  ) => ({
    id: r.id,
    name: r.name,
    kind,
    points: r.points,
    when: r.when,
    test: compileCondition(r.when),
  });
  return [
    ...model.fit.map((r) => rule(r, 'fit')),
    ...model.negative.flatMap((r) => (r.on === 'profile' ? [rule(r, 'negative')] : [])),
  ];
}

/** Fit points of a lead: the sum of the matching rules' points; `onMatch` records each one. */
export function scoreProfile(
  rules: readonly ProfileRule[],
  ctx: LeadContext,
  onMatch: ((index: number, points: number) => void) | null,
): number {
  let fit = 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (!r.test(ctx)) continue;
    fit += r.points;
    onMatch?.(i, r.points);
  }
  return fit;
}
