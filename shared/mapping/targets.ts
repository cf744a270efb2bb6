/**
 * Where a spreadsheet column can go. A mapping is data (header -> target) so it can be
 * saved, shown in the wizard, passed on the command line and re-applied to the next file
 * with the same headers. Columns a mapping does not mention are kept as custom fields.
 */
import { LEAD_FIELDS, type LeadFieldKey } from '../domain';

export const IMPORT_KINDS = ['leads', 'activities', 'event'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const ACTIVITY_TARGETS = ['activity.type', 'activity.asset', 'activity.time', 'activity.duration'] as const;
export const EVENT_TARGETS = ['event.attended', 'event.join_time'] as const;

export const COLUMN_TARGETS = [
  'ignore',
  'custom',
  'key',
  ...LEAD_FIELDS.map((f) => f.key),
  'created_date',
  ...ACTIVITY_TARGETS,
  ...EVENT_TARGETS,
] as const;

export type ColumnTarget =
  | 'ignore'
  | 'custom'
  | 'key'
  | LeadFieldKey
  /** When the lead was created, by the file (new leads only): reports' period filters read it. */
  | 'created_date'
  | (typeof ACTIVITY_TARGETS)[number]
  | (typeof EVENT_TARGETS)[number];

/** header (as normalized by normalizeHeaders) -> target. Missing headers mean 'custom'. */
export type ColumnMapping = Readonly<Record<string, ColumnTarget>>;

export const TARGET_LABELS: Readonly<Record<ColumnTarget, string>> = {
  ignore: 'Ignore',
  custom: 'Keep as custom field',
  key: 'Identity key (external ID)',
  ...(Object.fromEntries(LEAD_FIELDS.map((f) => [f.key, f.label])) as Record<LeadFieldKey, string>),
  created_date: 'Lead created date',
  'activity.type': 'Activity type',
  'activity.asset': 'Activity asset / URL',
  'activity.time': 'Activity time',
  'activity.duration': 'Activity duration',
  'event.attended': 'Attended (yes/no)',
  'event.join_time': 'Join / attendance time',
};

/** Targets that make sense for a kind of import, in the order the wizard lists them. */
export function targetsForKind(kind: ImportKind): readonly ColumnTarget[] {
  const lead: ColumnTarget[] = ['custom', 'ignore', 'key', ...LEAD_FIELDS.map((f) => f.key), 'created_date'];
  if (kind === 'leads') return lead;
  if (kind === 'activities') return [...lead, ...ACTIVITY_TARGETS];
  return [...lead, 'activity.asset', 'activity.time', 'activity.duration', ...EVENT_TARGETS];
}

/** True for targets that only mean something in activity/event imports. */
export function isActivityTarget(t: ColumnTarget): boolean {
  return t.startsWith('activity.') || t.startsWith('event.');
}
