/**
 * One spreadsheet row -> what will be stored: a lead draft (fields, custom fields, identity
 * keys) and the activities it carries, or a rejection with the column and the reason.
 * Pure and compiled once per file, because the backend runs it a million times per import
 * and the wizard's preview runs exactly the same code.
 */
import {
  LEAD_FIELDS,
  normalizeEmail,
  withoutInvisible,
  workspaceActivityType,
  type ActivityType,
  type ActivityTypeKey,
  type LeadFieldKey,
} from '../domain';
import { parseActivityType } from './activity-types';
import { parseDate, type DateOrder } from './dates';
import { headerKey } from './headers';
import type { ColumnMapping, ColumnTarget, ImportKind } from './targets';
import { isNoData, looksLikeEmail, parseNumber, parseYesNo, placeholderSet } from './values';

export type EventList = 'column' | 'registered' | 'attended';

export type RowSettings = Readonly<{
  kind: ImportKind;
  /** Treat placeholder values ("Select", "N/A", "-") as blank. */
  blankPlaceholders?: boolean;
  placeholders?: readonly string[] | undefined;
  dateOrder?: DateOrder;
  /** Fixed activity type when the file has no type column (e.g. a page-visit log). */
  activityType?: ActivityType | undefined;
  /**
   * The type column's values mapped to a built-in or workspace type (the wizard's activity
   * types step). A value it does not list gets the built-in type it names, else a workspace
   * type named after it: no row is rejected for its type.
   */
  activityTypeMap?: Readonly<Record<string, ActivityTypeKey>> | undefined;
  /**
   * The workspace's renamed and merged types: a workspace type that was merged lands on the
   * type it went into, a renamed type's new name on the type (services/leads/activity-types.ts).
   */
  activityTypeAliases?: Readonly<Record<string, ActivityTypeKey>> | undefined;
  /** Fixed asset (e.g. the webinar's name) when the file has no asset column. */
  asset?: string | undefined;
  /**
   * Event lists: attendance from the "Attended" yes/no column (or, without one, from a join
   * time being there), or the whole list is one status.
   */
  eventList?: EventList | undefined;
  /** Fallback activity time (epoch ms) for rows without one, e.g. the webinar's date. */
  eventTime?: number | undefined;
  /** Identity from the file row number, under this key name (files without any id). */
  rowKeyName?: string | undefined;
}>;

export type LeadDraft = {
  email: string | null;
  emailNorm: string | null;
  fields: Partial<Record<LeadFieldKey, string | number>>;
  custom: Record<string, string>;
  keys: [string, string][];
  /** The lead's created date from the file (epoch ms), when a column is mapped to it. */
  createdAt: number | null;
};

export type ActivityDraft = {
  type: ActivityTypeKey;
  asset: string;
  occurredAt: number;
  durationSec: number | null;
  detail: string | null;
};

export type RowResult =
  | Readonly<{ ok: true; lead: LeadDraft; activities: ActivityDraft[] }>
  | Readonly<{ ok: false; column: string | null; reason: string }>;

export type RowMapper = (cells: readonly string[], rowNumber: number) => RowResult;

const NUMBER_FIELDS = new Set<string>(LEAD_FIELDS.filter((f) => f.kind === 'number').map((f) => f.key));
const LEAD_FIELD_KEYS = new Set<string>(LEAD_FIELDS.map((f) => f.key));
/** Targets a file may map from one column only. */
const SINGLE = (t: ColumnTarget) => t !== 'custom' && t !== 'ignore' && t !== 'key';

function durationFactor(header: string): number {
  const k = headerKey(header);
  if (/\bmin|minutes?\b/.test(k)) return 60;
  if (/\bhours?\b|\bhrs?\b/.test(k)) return 3600;
  if (/\bms\b|millis/.test(k)) return 0.001;
  return 1;
}

const PLAIN_INTEGER = /^\d{1,9}$/;

function parseDuration(raw: string, factor: number): number | null {
  // Most logs write whole seconds (or minutes): no thousands separators or units to read.
  if (PLAIN_INTEGER.test(raw)) return Number(raw) * factor;
  const hms = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(raw.trim());
  if (hms) {
    return hms[3] !== undefined
      ? Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3])
      : Number(hms[1]) * 60 + Number(hms[2]);
  }
  const n = parseNumber(raw);
  return n === null || n < 0 ? null : n * factor;
}

/**
 * The type a type cell's value gets: the user's choice, else the built-in it names, else a
 * workspace type of its name; then where the workspace's aliases send that type.
 */
export function activityTypeOf(
  raw: string,
  chosen: Readonly<Record<string, ActivityTypeKey>> | undefined,
  aliases?: Readonly<Record<string, ActivityTypeKey>>,
): ActivityTypeKey {
  const value = raw.trim();
  const type = chosen?.[value] ?? parseActivityType(value) ?? workspaceActivityType(value);
  return aliases?.[type] ?? type;
}

/** Problems that make a mapping unusable for this file and kind (empty when fine). */
export function mappingProblems(headers: readonly string[], mapping: ColumnMapping, settings: RowSettings): string[] {
  const problems: string[] = [];
  const known = new Set(headers);
  const byTarget = new Map<ColumnTarget, string[]>();
  for (const [h, t] of Object.entries(mapping)) {
    if (!known.has(h)) {
      if (t !== 'custom' && t !== 'ignore') problems.push(`The mapping uses a column "${h}" that is not in the file.`);
      continue;
    }
    byTarget.set(t, [...(byTarget.get(t) ?? []), h]);
  }
  for (const [t, hs] of byTarget) {
    if (SINGLE(t) && hs.length > 1) problems.push(`Several columns are mapped to ${t}: ${hs.join(', ')}. Keep one.`);
  }
  const has = (t: ColumnTarget) => byTarget.has(t);
  const identity = has('email') || has('key') || settings.rowKeyName !== undefined;
  if (!identity) {
    problems.push(
      'Map an email column or choose an identity key column (e.g. "Prospect ID") so people can be matched.',
    );
  }
  if (settings.kind === 'activities') {
    if (!has('activity.type') && !settings.activityType)
      problems.push('Map the activity type column or choose one type for all rows.');
    if (!has('activity.time') && settings.eventTime === undefined)
      problems.push('Map the activity time column or give a date for all rows.');
  }
  if (settings.kind === 'event') {
    if (!has('activity.time') && !has('event.join_time') && settings.eventTime === undefined) {
      problems.push('Map a registration or join time column, or give the event date.');
    }
    if (settings.eventList === 'column' && !has('event.attended') && !has('event.join_time')) {
      problems.push(
        'Map the "Attended" yes/no column or the join time, or import the list as all registered or all attended.',
      );
    }
  }
  return problems;
}

/** Compiles the per-row transform for a file's headers, mapping and settings. */
export function compileRowMapper(headers: readonly string[], mapping: ColumnMapping, settings: RowSettings): RowMapper {
  const placeholders = settings.blankPlaceholders ? placeholderSet(settings.placeholders) : null;
  const order = settings.dateOrder ?? 'auto';
  const kind = settings.kind;

  const fieldCols: [number, LeadFieldKey][] = [];
  const customCols: [number, string][] = [];
  const keyCols: [number, string][] = [];
  let emailCol = -1;
  let typeCol = -1;
  let assetCol = -1;
  let timeCol = -1;
  let durationCol = -1;
  let attendedCol = -1;
  let joinCol = -1;
  let createdCol = -1;
  headers.forEach((h, i) => {
    const t: ColumnTarget = mapping[h] ?? 'custom';
    if (t === 'ignore') return;
    if (t === 'custom') customCols.push([i, h]);
    else if (t === 'key') keyCols.push([i, h]);
    else if (t === 'email') emailCol = i;
    else if (t === 'created_date') createdCol = i;
    else if (LEAD_FIELD_KEYS.has(t)) fieldCols.push([i, t as LeadFieldKey]);
    else if (kind === 'leads') customCols.push([i, h]);
    else if (t === 'activity.type') typeCol = i;
    else if (t === 'activity.asset') assetCol = i;
    else if (t === 'activity.time') timeCol = i;
    else if (t === 'activity.duration') durationCol = i;
    else if (t === 'event.attended') attendedCol = i;
    else if (t === 'event.join_time') joinCol = i;
  });
  const durFactor = durationCol >= 0 ? durationFactor(headers[durationCol] ?? '') : 1;
  const eventList: EventList = settings.eventList ?? (attendedCol >= 0 || joinCol >= 0 ? 'column' : 'registered');
  const typeCache = new Map<string, ActivityTypeKey>();

  const cell = (cells: readonly string[], i: number): string => {
    if (i < 0) return '';
    const v = (cells[i] ?? '').trim();
    if (v !== '' && placeholders?.has(v.toLowerCase())) return '';
    return v;
  };
  const fail = (col: number, reason: string): RowResult => ({
    ok: false,
    column: col >= 0 ? (headers[col] ?? null) : null,
    reason,
  });

  // "--", "N/A" or a blank in a time or duration is no data (a registrant who did not attend
  // has no join time), not a bad date.
  const timeOf = (cells: readonly string[], col: number): number | null | 'bad' => {
    const raw = cell(cells, col);
    if (isNoData(raw)) return null;
    const t = parseDate(raw, order);
    return t === null ? 'bad' : t;
  };

  return (cells, rowNumber) => {
    // Invisible characters pasted along with an address are dropped, not stored.
    const email = withoutInvisible(cell(cells, emailCol));
    if (email !== '' && !looksLikeEmail(email)) return fail(emailCol, `"${email}" is not an email address.`);
    const lead: LeadDraft = {
      email: email === '' ? null : email,
      emailNorm: normalizeEmail(email),
      fields: {},
      custom: {},
      keys: [],
      createdAt: null,
    };
    for (const [i, name] of keyCols) {
      const v = cell(cells, i);
      if (v !== '') lead.keys.push([name, v]);
    }
    if (settings.rowKeyName !== undefined) lead.keys.push([settings.rowKeyName, String(rowNumber)]);
    if (lead.emailNorm === null && lead.keys.length === 0) {
      const col = emailCol >= 0 ? emailCol : (keyCols[0]?.[0] ?? -1);
      return fail(col, 'No email and no identity key: the row cannot be matched to a person.');
    }
    const created = timeOf(cells, createdCol);
    if (created === 'bad') return fail(createdCol, `"${cell(cells, createdCol)}" is not a date.`);
    lead.createdAt = created;
    for (const [i, f] of fieldCols) {
      const v = cell(cells, i);
      if (v === '') continue;
      if (NUMBER_FIELDS.has(f)) {
        const n = parseNumber(v);
        if (n === null) return fail(i, `"${v}" is not a number.`);
        lead.fields[f] = n;
      } else {
        lead.fields[f] = v;
      }
    }

    // Activity rows keep their unmapped cells on the activity (detail), lead rows on the lead.
    let extra: Record<string, string> | null = null;
    for (const [i, name] of customCols) {
      const v = cell(cells, i);
      if (v === '') continue;
      if (kind === 'activities') (extra ??= {})[name] = v;
      else lead.custom[name] = v;
    }
    if (kind === 'leads') return { ok: true, lead, activities: [] };

    const asset = assetCol >= 0 ? cell(cells, assetCol) : (settings.asset ?? '');
    let durationSec: number | null = null;
    if (durationCol >= 0) {
      const raw = cell(cells, durationCol);
      if (!isNoData(raw)) {
        durationSec = parseDuration(raw, durFactor);
        if (durationSec === null) return fail(durationCol, `"${raw}" is not a duration.`);
      }
    }
    if (kind === 'activities') {
      let type: ActivityTypeKey | null = settings.activityType ?? null;
      if (typeCol >= 0) {
        const raw = cell(cells, typeCol);
        if (raw === '' && !settings.activityType) return fail(typeCol, 'The activity type is blank.');
        if (raw !== '') {
          let known = typeCache.get(raw);
          if (known === undefined) {
            known = activityTypeOf(raw, settings.activityTypeMap, settings.activityTypeAliases);
            typeCache.set(raw, known);
          }
          type = known;
        }
      }
      if (!type) return fail(typeCol, 'The activity type is blank.');
      const t = timeOf(cells, timeCol);
      if (t === 'bad') return fail(timeCol, `"${cell(cells, timeCol)}" is not a date.`);
      const occurredAt = t ?? settings.eventTime ?? null;
      if (occurredAt === null) return fail(timeCol, 'The activity time is blank.');
      return {
        ok: true,
        lead,
        activities: [{ type, asset, occurredAt, durationSec, detail: extra ? JSON.stringify(extra) : null }],
      };
    }

    // Event list: every row is registered; attended from the column (else a join time) or the list's status.
    const reg = timeOf(cells, timeCol);
    if (reg === 'bad') return fail(timeCol, `"${cell(cells, timeCol)}" is not a date.`);
    const join = timeOf(cells, joinCol);
    if (join === 'bad') return fail(joinCol, `"${cell(cells, joinCol)}" is not a date.`);
    let attended = eventList === 'attended';
    if (eventList === 'column' && attendedCol >= 0) {
      const raw = cell(cells, attendedCol);
      const yn = isNoData(raw) ? false : parseYesNo(raw);
      if (yn === null) return fail(attendedCol, `"${raw}" is not yes or no.`);
      attended = yn;
    } else if (eventList === 'column') {
      attended = join !== null;
    }
    const regAt = reg ?? settings.eventTime ?? join ?? null;
    if (regAt === null) return fail(timeCol >= 0 ? timeCol : joinCol, 'The registration time is blank.');
    const activities: ActivityDraft[] = [
      { type: 'webinar_registered', asset, occurredAt: regAt, durationSec: null, detail: null },
    ];
    if (attended) {
      activities.push({ type: 'webinar_attended', asset, occurredAt: join ?? regAt, durationSec, detail: null });
    }
    return { ok: true, lead, activities };
  };
}
