/**
 * Column mapping for imports, pure so the wizard previews exactly what the backend stores:
 * header synonyms, activity type synonyms, dates, placeholder values, header signatures and
 * the compiled row transform.
 */
export { normalizeHeaders, headerKey, headerSignature } from './headers';
export { suggestMapping, type MappingSuggestion } from './suggest';
export { parseActivityType } from './activity-types';
export {
  parseDate,
  parseDay,
  bothReadings,
  detectDateOrder,
  provenDateOrder,
  readsBothWays,
  DATE_ORDERS,
  DAY_MONTH_ORDER_LABELS,
  type DateOrder,
  type DayMonthOrder,
} from './dates';
export { DEFAULT_PLACEHOLDERS, placeholderSet, parseNumber, parseYesNo, looksLikeEmail } from './values';
export {
  IMPORT_KINDS,
  COLUMN_TARGETS,
  TARGET_LABELS,
  targetsForKind,
  isActivityTarget,
  type ImportKind,
  type ColumnTarget,
  type ColumnMapping,
} from './targets';
export {
  compileRowMapper,
  activityTypeOf,
  mappingProblems,
  type RowSettings,
  type RowMapper,
  type RowResult,
  type LeadDraft,
  type ActivityDraft,
  type EventList,
} from './transform';
