/**
 * The workspace's custom field types (table custom_fields, migration 0120) and typing a
 * field's stored values: its type is inferred from every lead's value unless the user chose
 * one, then every value is rewritten typed (shared/custom-fields.ts says how values are stored).
 */
import type Database from 'better-sqlite3';
import {
  inferType,
  newTally,
  tallyValue,
  typedValue,
  valueText,
  type CustomFieldType,
  type CustomValue,
  type TypeTally,
} from '../../../../shared/custom-fields';
import type { DateOrder } from '../../../../shared/mapping';
import { cachedUntilChange } from './grid';
import { customEncoder, decodeCustom, type CustomEncoder, type CustomSlots } from './custom-store';

/** Field name -> type, for every typed field (cached until the workspace changes). */
export function customFieldTypes(db: Database.Database): ReadonlyMap<string, CustomFieldType> {
  return cachedUntilChange(db, 'custom-field-types', () => {
    const rows = db.prepare('SELECT name, type FROM custom_fields').all() as { name: string; type: CustomFieldType }[];
    return new Map(rows.map((r) => [r.name, r.type]));
  });
}

/** Leads read per page while typing (their custom values only). */
const PAGE = 5000;

/** Calls `each` for every lead with custom fields, page by page in id order. */
function forEachCustom(
  db: Database.Database,
  slots: CustomSlots,
  each: (id: number, custom: Record<string, CustomValue>) => void,
): void {
  const page = db.prepare("SELECT id, custom FROM leads WHERE id > ? AND custom <> '{}' ORDER BY id LIMIT ?");
  let last = 0;
  for (;;) {
    const rows = page.all(last, PAGE) as { id: number; custom: string }[];
    if (rows.length === 0) return;
    for (const r of rows) {
      const custom = decodeCustom(slots, r.custom);
      if (Object.keys(custom).length > 0) each(r.id, { ...custom });
    }
    last = rows[rows.length - 1]!.id;
  }
}

/**
 * Gives `names` a type and stores their values typed: fields without a type get the one all
 * their values fit; `chosen` types (the user's, in the import's mapping step) win. Fields
 * whose type does not change are not rewritten. Returns the type of each field of `names`.
 * Run it inside a transaction.
 */
export function typeCustomFields(
  db: Database.Database,
  names: Iterable<string>,
  options: Readonly<{
    chosen?: Readonly<Record<string, CustomFieldType>>;
    dateOrder?: DateOrder;
    now: number;
    /** How values are stored: custom-store.ts's layout unless a migration before 0740 says otherwise. */
    encoder?: CustomEncoder;
  }>,
): Record<string, CustomFieldType> {
  const known = new Map(
    (db.prepare('SELECT name, type FROM custom_fields').all() as { name: string; type: CustomFieldType }[]).map((r) => [
      r.name,
      r.type,
    ]),
  );
  const result: Record<string, CustomFieldType> = {};
  const retype = new Map<string, CustomFieldType | null>();
  for (const name of names) {
    const chosen = options.chosen?.[name];
    const current = known.get(name);
    if (chosen && chosen !== current) retype.set(name, chosen);
    else if (current) result[name] = current;
    else retype.set(name, null);
  }
  if (retype.size === 0) return result;
  const encoder = options.encoder ?? customEncoder(db);
  const slots = encoder.slots();

  const tallies = new Map<string, TypeTally>();
  for (const [name, chosen] of retype) if (chosen === null) tallies.set(name, newTally());
  if (tallies.size > 0) {
    forEachCustom(db, slots, (_id, custom) => {
      for (const [name, tally] of tallies) {
        const v = custom[name];
        if (v !== undefined) tallyValue(tally, valueText(v, known.get(name)));
      }
    });
  }
  const types = new Map<string, CustomFieldType>();
  const register = db.prepare(
    'INSERT INTO custom_fields (name, type, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET type = excluded.type, updated_at = excluded.updated_at',
  );
  for (const [name, chosen] of retype) {
    const type = chosen ?? inferType(tallies.get(name)!);
    types.set(name, type);
    result[name] = type;
    register.run(name, type, options.now);
  }

  const update = db.prepare('UPDATE leads SET custom = ? WHERE id = ?');
  const pending: [string, number][] = [];
  forEachCustom(db, slots, (id, custom) => {
    let changed = false;
    for (const [name, type] of types) {
      const v = custom[name];
      if (v === undefined) continue;
      const typed = typedValue(type, valueText(v, known.get(name)), options.dateOrder);
      if (typed === v) continue;
      if (typed === null) delete custom[name];
      else custom[name] = typed;
      changed = true;
    }
    if (changed) pending.push([encoder.encode(custom), id]);
  });
  for (const [json, id] of pending) update.run(json, id);
  return result;
}

/** Every custom field name stored on some lead (a full pass: for migrations and repairs). */
export function storedCustomFieldNames(db: Database.Database, slots: CustomSlots): string[] {
  const names = new Set<string>();
  forEachCustom(db, slots, (_id, custom) => {
    for (const k of Object.keys(custom)) names.add(k);
  });
  return [...names];
}
