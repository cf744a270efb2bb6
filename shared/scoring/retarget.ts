/**
 * Pointing a model's activity rules at another activity type: what merging workspace type A
 * into B does to the rules that count A. After the merge A's activities are B's, so a rule
 * left on A would silently score nothing; pointed at B it keeps counting those activities
 * (and B's own, which the merge says are the same thing).
 */
import type { ActivityTypeKey } from '../domain';

/** A rule whose `types` changed: its section, id and name. */
export type RetargetedRule = Readonly<{ section: 'engagement' | 'negative'; id: string; name: string }>;

type RuleLike = { id?: unknown; name?: unknown; match?: { types?: unknown } };

/**
 * The definition with `from` replaced by `to` in every activity rule's types (listed once).
 * Works on a draft as saved, valid or not: only well-formed type lists are touched.
 */
export function retargetActivityType<T>(
  definition: T,
  from: ActivityTypeKey,
  to: ActivityTypeKey,
): { definition: T; rules: RetargetedRule[] } {
  const rules: RetargetedRule[] = [];
  if (definition === null || typeof definition !== 'object') return { definition, rules };
  const out: Record<string, unknown> = { ...(definition as Record<string, unknown>) };
  for (const section of ['engagement', 'negative'] as const) {
    const list = out[section];
    if (!Array.isArray(list)) continue;
    out[section] = list.map((rule: unknown) => {
      const r = rule as RuleLike | null;
      const types = r?.match?.types;
      if (!Array.isArray(types) || !types.includes(from)) return rule;
      rules.push({ section, id: String(r!.id ?? ''), name: String(r!.name ?? '') });
      const next = [...new Set(types.map((t: unknown) => (t === from ? to : t)))];
      return { ...r, match: { ...r!.match, types: next } };
    });
  }
  return { definition: out as T, rules };
}
