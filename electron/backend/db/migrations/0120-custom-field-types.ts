/**
 * Typed custom fields: custom_fields records each spreadsheet column's type (number, date,
 * yes/no, category, text), and the values already stored are typed: a workspace imported
 * before this version had every custom value as text, so "Total Time Spent on Website"
 * sorted 998 above 2272. Each field's type is inferred from all its values, as an import
 * now does (services/leads/custom-fields.ts); placeholders ("Select") stop being values.
 */
import type { Migration } from '../migrate';
import { storedCustomFieldNames, typeCustomFields } from '../../services/leads/custom-fields';
import { objectLayoutEncoder } from '../../services/leads/custom-store';

export const migration0120CustomFieldTypes: Migration = {
  version: 120,
  name: 'custom-field-types',
  up: (db) => {
    db.exec(`
      CREATE TABLE custom_fields (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('number', 'date', 'bool', 'category', 'text')),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
    // Values were stored as JSON objects until migration 0740.
    const encoder = objectLayoutEncoder();
    typeCustomFields(db, storedCustomFieldNames(db, encoder.slots()), { now: Date.now(), encoder });
  },
};
