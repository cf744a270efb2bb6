/**
 * Where an import's rows start: `lead_ids_from` and `activity_ids_from` are the lowest id a
 * lead (an activity) the import created can have. Ids are given out above the highest one in
 * use, so the import records the next id when it starts (and lowers the floor in the rare case
 * a row it creates gets a lower id: rows above it were deleted meanwhile). Undo and a rollback
 * then delete `import_id = ? AND id >= floor`: a range of the primary key, from the import's
 * first row on, where neither table has an index on import_id and both were scanned whole
 * (1M leads: every row read to undo the last import). Two integers per import, nothing per
 * row. Imports made before keep NULL: their undo scans as before.
 */
import type { Migration } from '../migrate';

export const migration0700ImportIdFloors: Migration = {
  version: 700,
  name: 'import-id-floors',
  up: (db) => {
    db.exec(`
      ALTER TABLE imports ADD COLUMN lead_ids_from INTEGER;
      ALTER TABLE imports ADD COLUMN activity_ids_from INTEGER;
    `);
  },
};
