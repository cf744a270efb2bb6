/**
 * The lead grid's column catalog, shared by the backend (which maps each key to SQL and
 * indexes it) and the renderer (which renders, sorts and filters by it). A column's filter
 * operators follow from its kind, so the UI only offers what the backend can answer fast.
 *
 * Custom spreadsheet fields are columns too: key `custom.<field name>`.
 */

import type { CustomFieldType } from './custom-fields';
import { LEAD_FIELDS, type LeadFieldKey } from './domain';

export type LeadColumnKind = 'text' | 'number' | 'date' | 'enum' | 'bool';

export type LeadFilterOp = 'contains' | 'in' | 'range' | 'date-range' | 'blank' | 'not-blank';

export type LeadColumnDef = Readonly<{
  key: string;
  label: string;
  kind: LeadColumnKind;
  /** Shown in a fresh grid. */
  defaultVisible: boolean;
  /** Initial width in pixels. */
  width: number;
}>;

/** Prefix of custom-field column keys: `custom.Budget`. */
export const CUSTOM_PREFIX = 'custom.';

/** A standard field's column: its label and kind as LEAD_FIELDS (shared/domain.ts) has them. */
function standard(key: LeadFieldKey, defaultVisible: boolean, width: number): LeadColumnDef {
  const field = LEAD_FIELDS.find((f) => f.key === key)!;
  return { key, label: field.label, kind: field.kind, defaultVisible, width };
}

export const LEAD_COLUMNS: readonly LeadColumnDef[] = [
  { key: 'name', label: 'Name', kind: 'text', defaultVisible: true, width: 190 },
  // The lead's key; gridMeta names it after the workspace's key ("Prospect ID") and shows it
  // in a fresh grid when leads have one.
  { key: 'lead_key', label: 'Key', kind: 'text', defaultVisible: false, width: 200 },
  standard('email', true, 230),
  standard('company', true, 180),
  standard('title', true, 170),
  { key: 'owner_name', label: 'Owner', kind: 'enum', defaultVisible: true, width: 140 },
  { key: 'stage', label: 'Stage', kind: 'enum', defaultVisible: true, width: 120 },
  { key: 'score_total', label: 'Score', kind: 'number', defaultVisible: true, width: 80 },
  { key: 'score_fit', label: 'Fit', kind: 'number', defaultVisible: true, width: 70 },
  { key: 'score_engagement', label: 'Engagement', kind: 'number', defaultVisible: true, width: 100 },
  { key: 'grade', label: 'Grade', kind: 'enum', defaultVisible: true, width: 70 },
  { key: 'segment', label: 'Segment', kind: 'enum', defaultVisible: true, width: 100 },
  { key: 'is_mql', label: 'MQL', kind: 'bool', defaultVisible: false, width: 70 },
  { key: 'last_activity_at', label: 'Last activity', kind: 'date', defaultVisible: true, width: 140 },
  { key: 'sla_due_at', label: 'SLA due', kind: 'date', defaultVisible: true, width: 140 },
  standard('first_name', false, 130),
  standard('last_name', false, 130),
  standard('phone', false, 140),
  standard('industry', false, 140),
  standard('company_size', false, 110),
  standard('country', false, 120),
  standard('city', false, 120),
  standard('website', false, 170),
  standard('source', false, 130),
  standard('campaign', false, 150),
  { key: 'tags', label: 'Tags', kind: 'enum', defaultVisible: false, width: 150 },
  { key: 'suppressed_reason', label: 'Suppressed', kind: 'text', defaultVisible: false, width: 160 },
  { key: 'created_at', label: 'Created', kind: 'date', defaultVisible: false, width: 140 },
  { key: 'updated_at', label: 'Updated', kind: 'date', defaultVisible: false, width: 140 },
  { key: 'scored_at', label: 'Scored', kind: 'date', defaultVisible: false, width: 140 },
];

/** Columns that cannot be sorted (a JSON list has no single order). */
export const UNSORTABLE_COLUMNS: ReadonlySet<string> = new Set(['tags']);

/** The filter operators a column of this kind offers, first one the default. */
export function filterOpsFor(kind: LeadColumnKind): readonly LeadFilterOp[] {
  switch (kind) {
    case 'text':
      return ['contains', 'in', 'blank', 'not-blank'];
    case 'enum':
      return ['in', 'blank', 'not-blank'];
    case 'number':
      return ['range', 'blank', 'not-blank'];
    case 'date':
      return ['date-range', 'blank', 'not-blank'];
    case 'bool':
      return ['in'];
  }
}

export function isCustomColumn(key: string): boolean {
  return key.startsWith(CUSTOM_PREFIX) && key.length > CUSTOM_PREFIX.length;
}

export function customFieldName(key: string): string {
  return key.slice(CUSTOM_PREFIX.length);
}

/** The grid kind of a custom field of this type (untyped fields are text). */
export function customColumnKind(type: CustomFieldType | undefined): LeadColumnKind {
  switch (type) {
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'bool':
      return 'bool';
    case 'category':
      return 'enum';
    default:
      return 'text';
  }
}

export function findLeadColumn(key: string): LeadColumnDef | undefined {
  const std = LEAD_COLUMNS.find((c) => c.key === key);
  if (std) return std;
  if (isCustomColumn(key)) {
    return { key, label: customFieldName(key), kind: 'text', defaultVisible: false, width: 150 };
  }
  return undefined;
}
