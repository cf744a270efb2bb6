/**
 * How a lead's custom fields are stored (migration 0740): the one module that encodes and
 * decodes `leads.custom`. Each field name is stored once, in `custom_field_slots`, with a
 * position (its slot); a lead's `custom` is a JSON array whose element i is its value of the
 * field in slot i (null when it has none; trailing nulls left out), or '{}' (the column's
 * default) when it has no custom value at all. As a JSON object every row repeated every
 * field name: X Education's 33 long column names were 882 of a row's bytes.
 *
 * Slots are append-only and never reused, so a stored array, an undo snapshot and the
 * expression index of a custom field (`json_extract(custom, '$[i]')`) stay valid when fields
 * are added. The rest of the backend reads and writes plain name -> value records
 * (CustomValues) through `decodeCustom` / `customEncoder`, and SQL reads a field's value
 * through `customFieldPath` or its names through `customEntriesSql`.
 */
import type Database from 'better-sqlite3';
import type { CustomValue, CustomValues } from '../../../../shared/custom-fields';
import { cachedUntilChange } from './grid-cache';

/** The workspace's custom field slots: a field's name by slot and its slot by name. */
export type CustomSlots = Readonly<{ names: readonly string[]; slotOf: ReadonlyMap<string, number> }>;

/** What `custom` holds for a lead without custom values (the column's default). */
export const NO_CUSTOM_TEXT = '{}';

function loadSlots(db: Database.Database): CustomSlots {
  const rows = db.prepare('SELECT slot, name FROM custom_field_slots ORDER BY slot').raw(true).all() as [
    number,
    string,
  ][];
  const names: string[] = [];
  for (const [slot, name] of rows) names[slot] = name;
  return { names, slotOf: new Map(rows.map(([slot, name]) => [name, slot])) };
}

/** The slots as committed or written by this connection (cached until the workspace changes). */
export function customSlots(db: Database.Database): CustomSlots {
  return cachedUntilChange(db, 'custom-field-slots', () => loadSlots(db));
}

function plainValue(v: unknown): CustomValue | null {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return v == null ? null : JSON.stringify(v);
}

/**
 * A stored `custom` as name -> value. Text that is not JSON (a hand-edited cell) reads as no
 * custom fields; a JSON object (a cell written by hand in the old layout) reads as itself.
 */
export function decodeCustom(slots: CustomSlots, text: string | null | undefined): CustomValues {
  if (!text || text === NO_CUSTOM_TEXT) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  const out: Record<string, CustomValue> = {};
  if (Array.isArray(parsed)) {
    for (let i = 0; i < parsed.length; i++) {
      const v = plainValue(parsed[i]);
      const name = slots.names[i];
      if (v !== null && name !== undefined) out[name] = v;
    }
  } else if (parsed && typeof parsed === 'object') {
    for (const [k, val] of Object.entries(parsed)) {
      const v = plainValue(val);
      if (v !== null) out[k] = v;
    }
  }
  return out;
}

/** A record's values in slot order, trailing nulls left out; '{}' when it has none. */
function encodeWith(slotOf: ReadonlyMap<string, number>, values: Readonly<Record<string, CustomValue | null>>): string {
  const row: (CustomValue | null)[] = [];
  for (const name in values) {
    const v = values[name];
    if (v === null || v === undefined) continue;
    const slot = slotOf.get(name)!;
    while (row.length < slot) row.push(null);
    row[slot] = v;
  }
  return row.length === 0 ? NO_CUSTOM_TEXT : JSON.stringify(row);
}

export type CustomEncoder = Readonly<{
  /** The stored text of these values; gives a slot to each field that has none yet. */
  encode: (values: Readonly<Record<string, CustomValue | null>>) => string;
  /** The slots as they are now (with those this encoder added). */
  slots: () => CustomSlots;
}>;

/**
 * An encoder for writes: call it inside the write transaction that stores its text (a new
 * field's slot is written with the rows that use it, and rolled back with them). A field it
 * has not seen is looked up again first: another write between two of an import's
 * transactions may have given it (or another field) the next slot.
 */
export function customEncoder(db: Database.Database): CustomEncoder {
  let slots = loadSlots(db);
  const add = db.prepare('INSERT INTO custom_field_slots (slot, name) VALUES (?, ?)');
  return {
    encode(values) {
      for (const name in values) {
        if (values[name] === null || values[name] === undefined || slots.slotOf.has(name)) continue;
        slots = loadSlots(db);
        if (!slots.slotOf.has(name)) {
          add.run(slots.names.length, name);
          slots = loadSlots(db);
        }
      }
      return encodeWith(slots.slotOf, values);
    },
    slots: () => slots,
  };
}

/**
 * The JSON path literal of a custom field's value, exactly as its expression index spells
 * it (`'$[3]'`), or null when no lead has ever had the field (its value is NULL everywhere).
 */
export function customFieldPath(slotOf: ReadonlyMap<string, number>, field: string): string | null {
  const slot = slotOf.get(field);
  return slot === undefined ? null : `'$[${slot}]'`;
}

/**
 * SQL expression of a custom field's value in `table`'s row (NULL for a field no lead has
 * had); the expression index of the field (grid.ts ensureGridIndexes) is on the same text.
 */
export function customFieldSql(slotOf: ReadonlyMap<string, number>, field: string, table = 'leads'): string {
  const path = customFieldPath(slotOf, field);
  return path === null ? 'NULL' : `json_extract(${table}.custom, ${path})`;
}

/**
 * FROM terms listing each custom value of the leads aliased `alias` as `f.name` (field name)
 * and `j.value` / `j.type` (json_each's): every non-null element of the stored array joined
 * with its slot's name.
 */
export function customEntriesSql(alias: string): string {
  return `json_each(CASE WHEN json_valid(${alias}.custom) THEN ${alias}.custom ELSE '[]' END) j
    JOIN custom_field_slots f ON f.slot = j.key AND j.type <> 'null'`;
}

/**
 * The layout before migration 0740 (a JSON object per lead), for the migrations that run
 * before it (0120 types the values stored then).
 */
export function objectLayoutEncoder(): CustomEncoder {
  const slots: CustomSlots = { names: [], slotOf: new Map() };
  return {
    encode: (values) => {
      const kept = Object.entries(values).filter(([, v]) => v !== null && v !== undefined);
      return kept.length === 0 ? NO_CUSTOM_TEXT : JSON.stringify(Object.fromEntries(kept));
    },
    slots: () => slots,
  };
}
