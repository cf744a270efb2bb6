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

/** Every field name the model's conditions and field engagement rules read, as written. */
function modelFieldNames(model: ScoringModel): Set<string> {
  const names = new Set<string>();
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else names.add(c.field);
  };
  modelConditions(model).forEach(visit);
  for (const r of model.fieldEngagement ?? []) names.add(r.field);
  return names;
}

export function modelLeadFields(model: ScoringModel): Set<keyof Lead> {
  const fields = new Set<keyof Lead>(ALWAYS);
  for (const name of modelFieldNames(model)) {
    const f = leadFieldOf(name);
    if (f) fields.add(f);
  }
  return fields;
}

/** The custom columns the model reads (`custom.<column>`), lower-cased: rules match them case-insensitively. */
export function modelCustomFields(model: ScoringModel): Set<string> {
  const columns = new Set<string>();
  for (const name of modelFieldNames(model)) {
    if (name.startsWith('custom.')) columns.add(name.slice('custom.'.length).toLowerCase());
  }
  return columns;
}
