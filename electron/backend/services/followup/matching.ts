/**
 * Which routing rule or SLA policy applies to a lead: first enabled match by position.
 * Grades and segments are lists (empty = any); field conditions test standard lead
 * columns or custom spreadsheet columns, case-insensitively.
 */
import type { FieldCondition } from '../../../../shared/followup/types';
import { LEAD_FIELDS } from '../../../../shared/domain';
import type { CustomValues } from '../../../../shared/custom-fields';
import { decodeCustom, type CustomSlots } from '../leads/custom-store';

/** The lead columns matching looks at, custom values decoded (matchLead). */
export type MatchLead = Readonly<Record<string, unknown>> & {
  grade: string | null;
  segment: string | null;
  custom: CustomValues;
};

/**
 * A leads row (SELECT *) as matching reads it; `slots` (custom-store.ts customSlots) decode
 * its custom values. A caller matching many leads reads the slots once, before its loop: a
 * read through customSlots after any write (the loop's own) queries custom_field_slots again.
 * Slots are append-only, so a list read before the loop decodes every row the loop reads, as
 * long as the loop itself gives no field a slot (stage changes and routing write no custom
 * values).
 */
export function matchLead<T extends { custom: string; grade?: unknown; segment?: unknown }>(
  slots: CustomSlots,
  row: T,
): Omit<T, 'custom'> & MatchLead {
  return {
    ...row,
    grade: (row.grade as string | null) ?? null,
    segment: (row.segment as string | null) ?? null,
    custom: decodeCustom(slots, row.custom),
  };
}

const STANDARD = new Set<string>(LEAD_FIELDS.map((f) => f.key));

function fieldValue(lead: MatchLead, field: string): string | null {
  if (STANDARD.has(field) || field === 'grade' || field === 'segment' || field === 'stage' || field === 'score_total') {
    const v = lead[field];
    return v === null || v === undefined ? null : String(v);
  }
  const hit = Object.entries(lead.custom).find(([k]) => k.toLowerCase() === field.toLowerCase());
  return hit && String(hit[1]) !== '' ? String(hit[1]) : null;
}

export function conditionHolds(lead: MatchLead, c: FieldCondition): boolean {
  const raw = fieldValue(lead, c.field);
  const v = raw?.trim().toLowerCase() ?? null;
  const want = c.value.trim().toLowerCase();
  switch (c.op) {
    case 'empty':
      return v === null || v === '';
    case 'not_empty':
      return v !== null && v !== '';
    case 'eq':
      return v === want;
    case 'neq':
      return v !== want;
    case 'contains':
      return v !== null && v.includes(want);
    case 'in':
      return (
        v !== null &&
        want
          .split(',')
          .map((s) => s.trim())
          .includes(v)
      );
    case 'gte':
    case 'lte': {
      const a = Number(raw);
      const b = Number(c.value);
      if (raw === null || !Number.isFinite(a) || !Number.isFinite(b)) return false;
      return c.op === 'gte' ? a >= b : a <= b;
    }
  }
}

export type Matchable = Readonly<{
  enabled: boolean;
  grades: readonly string[];
  segments: readonly string[];
  conditions?: readonly FieldCondition[];
}>;

export function matches(lead: MatchLead, m: Matchable): boolean {
  if (!m.enabled) return false;
  if (m.grades.length > 0 && (lead.grade === null || !m.grades.includes(lead.grade))) return false;
  if (m.segments.length > 0 && (lead.segment === null || !m.segments.includes(lead.segment))) return false;
  return (m.conditions ?? []).every((c) => conditionHolds(lead, c));
}
