/**
 * Activity recency as learnable features: "a <type> in the last N days", for a few nested
 * windows. Nested windows (7 ⊂ 30 ⊂ 90 days) bin "days since the last <type>": a lead whose
 * last download was 20 days ago has the 30- and 90-day features, and the weights add up to
 * that bin's effect.
 *
 * The model format already holds this exactly: an engagement rule that counts only the first
 * matching activity, in a decay group whose window is N days ("only activities of the last N
 * days count"), gives its points when at least one activity of the type falls in the window,
 * measured at the time of scoring. So the learned weights become ordinary engagement rules
 * that the compiled model scores exactly as they were fitted.
 */
import type { ActivityTypeKey } from '../domain';
import type { DecaySettings, EngagementRule } from '../scoring/model';
import { ruleIds, type RuleIds } from './rule-ids';

export const RECENCY_WINDOWS_DAYS: readonly number[] = [7, 30, 90];

const DAY_MS = 86_400_000;

/** Whether the last activity (ms; -Infinity or NaN when none) falls in the last `days` days before `now`. */
export function activeWithin(lastAt: number, now: number, days: number): boolean {
  return lastAt >= now - days * DAY_MS;
}

/** The decay group whose window is `days` days. */
export function recencyGroup(days: number): string {
  return `last-${days}-days`;
}

/** The engagement rule that gives `points` when the lead has a `type` activity in the last `days` days. */
export function recencyRule(
  type: ActivityTypeKey,
  label: string,
  days: number,
  points: number,
  ids: RuleIds = ruleIds(),
): EngagementRule {
  return {
    id: ids(type, 'last', days, 'days'),
    name: `${label} in the last ${days} days`,
    match: { types: [type] },
    points,
    frequency: 'first',
    countRepeats: true,
    group: recencyGroup(days),
  };
}

/** The decay groups the rules' windows need (only those some rule uses: the model format refuses unused groups). */
export function recencyGroups(rules: readonly EngagementRule[]): Record<string, DecaySettings> {
  const out: Record<string, DecaySettings> = {};
  for (const days of RECENCY_WINDOWS_DAYS) {
    const group = recencyGroup(days);
    if (rules.some((r) => r.group === group)) out[group] = { windowDays: days, halfLifeDays: null };
  }
  return out;
}
