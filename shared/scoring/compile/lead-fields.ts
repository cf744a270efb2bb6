/** Which lead fields a model reads, so a caller may load only those. */
import type { Lead } from '../../domain';
import type { Condition, ScoringModel } from '../model';

/** Fields every score needs whatever the rules: identity, suppression, stage, inactivity. */
const ALWAYS: readonly (keyof Lead)[] = ['id', 'uid', 'email', 'stage', 'manual_suppression', 'created_at'];

/** The lead column a condition's field is read from (custom.* from `custom`, seniority from the title). */
export function leadFieldOf(field: string): keyof Lead | null {
  if (field.startsWith('custom.')) return 'custom';
  if (field === 'seniority') return 'title';
  if (field === 'email_domain') return null;
  return field as keyof Lead;
}

/** Every condition in the model: applicability, profile rules and suppression rules. */
export function modelConditions(model: ScoringModel): Condition[] {
  return [
    ...(model.appliesTo ? [model.appliesTo] : []),
    ...model.fit.map((r) => r.when),
    ...model.negative.flatMap((r) => (r.on === 'profile' ? [r.when] : [])),
    ...model.suppression.rules.map((r) => r.when),
  ];
}

export function modelLeadFields(model: ScoringModel): Set<keyof Lead> {
  const fields = new Set<keyof Lead>(ALWAYS);
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else {
      const f = leadFieldOf(c.field);
      if (f) fields.add(f);
    }
  };
  modelConditions(model).forEach(visit);
  for (const r of model.fieldEngagement ?? []) {
    const f = leadFieldOf(r.field);
    if (f) fields.add(f);
  }
  return fields;
}
