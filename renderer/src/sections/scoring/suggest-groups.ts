/**
 * The suggestion's rules grouped by what they score (a field, or activities), the groups
 * with the most points first: a learned model from a wide file has dozens of rules, and the
 * question a reader asks first is which fields matter most.
 */
import type { LearnReport } from '../../../../shared/contract';
import { fieldLabel } from '../../../../shared/scoring';

export type RuleReason = LearnReport['reasons'][number];

export type RuleGroup = Readonly<{
  label: string;
  /** The most points one rule of the group gives (a per-unit rule: at its cap), in absolute value. */
  most: number;
  reasons: readonly RuleReason[];
}>;

/** What a learned rule scores: its field's label, or "Activities" for an engagement rule on activity. */
function subjectOf(model: LearnReport['model'], ruleId: string): string {
  const fit = model.fit.find((r) => r.id === ruleId);
  if (fit && 'field' in fit.when) return fieldLabel(fit.when.field);
  const field = model.fieldEngagement?.find((r) => r.id === ruleId);
  if (field) return fieldLabel(field.field);
  return 'Activities';
}

/** The reasons grouped by subject, in the model's order within a group; groups by most points, then by name. */
export function groupReasons(report: Pick<LearnReport, 'model' | 'reasons'>): RuleGroup[] {
  const groups = new Map<string, { most: number; reasons: RuleReason[] }>();
  for (const reason of report.reasons) {
    const label = subjectOf(report.model, reason.ruleId);
    const g = groups.get(label) ?? { most: 0, reasons: [] };
    g.most = Math.max(g.most, Math.abs(reason.points));
    g.reasons.push(reason);
    groups.set(label, g);
  }
  return [...groups.entries()]
    .map(([label, g]) => ({ label, ...g }))
    .sort((a, b) => b.most - a.most || a.label.localeCompare(b.label));
}
