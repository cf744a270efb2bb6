/**
 * Custom fields without per-row names (services/leads/custom-store.ts): each field name is
 * stored once in custom_field_slots, and every lead's `custom` becomes a JSON array of its
 * values by slot. Slots are given in the order leads first show the fields (a file's column
 * order). The copies of `custom` kept for undo (an import's journal of updated leads, a bulk
 * delete's snapshot) are rewritten too, and each custom field's expression index is built
 * again on its new path.
 */
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';
import { customEncoder, decodeCustom } from '../../services/leads/custom-store';

const PAGE = 5000;
const NO_SLOTS = { names: [], slotOf: new Map<string, number>() };

/** Rewrites the text `select` reads (id, text; after an id, a page) with `update`, page by page in id order. */
function rewrite(
  db: Database.Database,
  select: string,
  update: string,
  convert: (text: string) => string | null,
): void {
  const page = db.prepare(select);
  const write = db.prepare(update);
  let last = 0;
  for (;;) {
    const rows = page.all(last, PAGE) as { id: number; text: string }[];
    if (rows.length === 0) return;
    for (const r of rows) {
      const next = convert(r.text);
      if (next !== null && next !== r.text) write.run(next, r.id);
    }
    last = rows[rows.length - 1]!.id;
  }
}

export const migration0740CustomFieldSlots: Migration = {
  version: 740,
  name: 'custom-field-slots',
  up: (db) => {
    db.exec(`
      CREATE TABLE custom_field_slots (
        slot INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      ) STRICT;
    `);
    const cfIndexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'leads\\_cf\\_%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    for (const name of cfIndexes) db.exec(`DROP INDEX "${name}"`);

    const encoder = customEncoder(db);
    const objectToArray = (text: string) => encoder.encode(decodeCustom(NO_SLOTS, text));
    rewrite(
      db,
      "SELECT id, custom AS text FROM leads WHERE id > ? AND custom <> '{}' ORDER BY id LIMIT ?",
      'UPDATE leads SET custom = ? WHERE id = ?',
      objectToArray,
    );
    // An import's undo restores an updated lead's columns from its snapshot as they are.
    rewrite(
      db,
      "SELECT rowid AS id, before AS text FROM import_journal WHERE rowid > ? AND action = 'update' ORDER BY rowid LIMIT ?",
      'UPDATE import_journal SET before = ? WHERE rowid = ?',
      (text) => {
        const snapshot = JSON.parse(text) as Record<string, unknown>;
        if (typeof snapshot.custom !== 'string') return null;
        return JSON.stringify({ ...snapshot, custom: objectToArray(snapshot.custom) });
      },
    );
    // A bulk delete's undo inserts the leads' columns back from their snapshot.
    rewrite(
      db,
      "SELECT rowid AS id, data AS text FROM bulk_deleted WHERE rowid > ? AND tbl = 'leads' ORDER BY rowid LIMIT ?",
      'UPDATE bulk_deleted SET data = json_set(data, \'$."custom"\', ?) WHERE rowid = ?',
      (text) => {
        const custom = (JSON.parse(text) as Record<string, unknown>).custom;
        return typeof custom === 'string' ? objectToArray(custom) : null;
      },
    );

    const slotOf = encoder.slots().slotOf;
    for (const name of cfIndexes) {
      const field = Buffer.from(name.slice('leads_cf_'.length), 'hex').toString('utf8');
      const slot = slotOf.get(field);
      if (slot !== undefined)
        db.exec(`CREATE INDEX "${name}" ON leads(json_extract(custom, '$[${slot}]') COLLATE NOCASE)`);
    }
  },
};
