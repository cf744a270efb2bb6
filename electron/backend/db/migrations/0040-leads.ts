/**
 * The leads workspace: everything the grid needs to answer a page of 100 rows out of a
 * million in a few milliseconds, plus saved views, notes and the undo store of bulk actions.
 *
 * - One index per sortable column, spelled exactly like the SQL of
 *   services/leads/lead-query-sql.ts (text with COLLATE NOCASE, codes BINARY). A sort walks
 *   its index and stops after one page; a filter on an indexed column counts in the index.
 * - leads.owner_name mirrors owners.name (kept by triggers) so "sort by owner" is an index
 *   walk instead of a join-and-sort of a million rows.
 * - lead_tags mirrors the JSON tags array (triggers) so "tag in (...)" is an index lookup.
 * - (segment|grade, score|fit|engagement): a chip or grade cell sorted by a score, the
 *   most common view, would otherwise walk the score index past every lead of other
 *   segments (segments and grades are bands of the same scores, so matches bunch up).
 * - leads_search: contentless FTS5 trigram index over name, email and company (triggers),
 *   so substring search and its count do not scan the table.
 * - (Migration 0310 drops the indexes on score columns again: the score store serves them.)
 * - bulk_batches / bulk_before / bulk_deleted: what a bulk action changed or deleted, so
 *   it can be undone (deleted leads are kept with all their dependent rows).
 */
import type { Migration } from '../migrate';

const NOCASE = [
  'first_name',
  'email',
  'company',
  'title',
  'phone',
  'industry',
  'country',
  'city',
  'website',
  'source',
  'campaign',
  'owner_name',
  'suppressed_reason',
];
const PLAIN = [
  'stage',
  'grade',
  'segment',
  'score_total',
  'score_fit',
  'score_engagement',
  'company_size',
  'is_mql',
  'last_activity_at',
  'created_at',
  'updated_at',
  'scored_at',
  'owner_id',
];

const NAME = "trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))";

export const migration0040Leads: Migration = {
  version: 40,
  name: 'leads',
  up: (db) => {
    db.exec(`
      ALTER TABLE leads ADD COLUMN owner_name TEXT;
      UPDATE leads SET owner_name = (SELECT name FROM owners WHERE owners.id = leads.owner_id) WHERE owner_id IS NOT NULL;

      CREATE TRIGGER leads_owner_name_insert AFTER INSERT ON leads WHEN NEW.owner_id IS NOT NULL BEGIN
        UPDATE leads SET owner_name = (SELECT name FROM owners WHERE id = NEW.owner_id) WHERE id = NEW.id;
      END;
      CREATE TRIGGER leads_owner_name_update AFTER UPDATE OF owner_id ON leads BEGIN
        UPDATE leads SET owner_name = (SELECT name FROM owners WHERE id = NEW.owner_id) WHERE id = NEW.id;
      END;
      CREATE TRIGGER owners_name_to_leads AFTER UPDATE OF name ON owners BEGIN
        UPDATE leads SET owner_name = NEW.name WHERE owner_id = NEW.id;
      END;
      CREATE TRIGGER owners_delete_to_leads AFTER DELETE ON owners BEGIN
        UPDATE leads SET owner_name = NULL WHERE owner_id = OLD.id;
      END;

      CREATE TABLE lead_tags (
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (lead_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX lead_tags_by_tag ON lead_tags(tag, lead_id);
      INSERT OR IGNORE INTO lead_tags (lead_id, tag)
        SELECT leads.id, j.value FROM leads, json_each(leads.tags) j
        WHERE leads.tags <> '[]' AND json_valid(leads.tags) AND j.type = 'text';
      CREATE TRIGGER leads_tags_insert AFTER INSERT ON leads WHEN NEW.tags <> '[]' AND json_valid(NEW.tags) BEGIN
        INSERT OR IGNORE INTO lead_tags (lead_id, tag) SELECT NEW.id, value FROM json_each(NEW.tags) WHERE type = 'text';
      END;
      CREATE TRIGGER leads_tags_update AFTER UPDATE OF tags ON leads BEGIN
        DELETE FROM lead_tags WHERE lead_id = NEW.id;
        INSERT OR IGNORE INTO lead_tags (lead_id, tag)
          SELECT NEW.id, value FROM json_each(CASE WHEN json_valid(NEW.tags) THEN NEW.tags ELSE '[]' END) WHERE type = 'text';
      END;

      CREATE VIRTUAL TABLE leads_search USING fts5(
        name, email, company,
        content = '', contentless_delete = 1, tokenize = 'trigram'
      );
      INSERT INTO leads_search (rowid, name, email, company)
        SELECT id, ${NAME}, coalesce(email, ''), coalesce(company, '') FROM leads;
      CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
        INSERT INTO leads_search (rowid, name, email, company)
          VALUES (NEW.id, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')),
                  coalesce(NEW.email, ''), coalesce(NEW.company, ''));
      END;
      CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, email, company ON leads BEGIN
        DELETE FROM leads_search WHERE rowid = OLD.id;
        INSERT INTO leads_search (rowid, name, email, company)
          VALUES (NEW.id, trim(coalesce(NEW.first_name, '') || ' ' || coalesce(NEW.last_name, '')),
                  coalesce(NEW.email, ''), coalesce(NEW.company, ''));
      END;
      CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
        DELETE FROM leads_search WHERE rowid = OLD.id;
      END;

      CREATE INDEX leads_g_name ON leads(last_name COLLATE NOCASE, first_name COLLATE NOCASE);
      ${NOCASE.map((c) => `CREATE INDEX leads_g_${c} ON leads(${c} COLLATE NOCASE);`).join('\n')}
      ${PLAIN.map((c) => `CREATE INDEX leads_g_${c} ON leads(${c});`).join('\n')}
      CREATE INDEX leads_g_segment_score ON leads(segment, score_total);
      CREATE INDEX leads_g_grade_score ON leads(grade, score_total);
      CREATE INDEX leads_g_segment_score_fit ON leads(segment, score_fit);
      CREATE INDEX leads_g_grade_score_fit ON leads(grade, score_fit);
      CREATE INDEX leads_g_segment_score_engagement ON leads(segment, score_engagement);
      CREATE INDEX leads_g_grade_score_engagement ON leads(grade, score_engagement);

      CREATE TABLE saved_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        query TEXT NOT NULL,
        columns TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE lead_notes (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT 'me',
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX lead_notes_by_lead ON lead_notes(lead_id, created_at);

      CREATE TABLE bulk_batches (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        affected INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        undone_at INTEGER
      ) STRICT;

      CREATE TABLE bulk_before (
        batch_id INTEGER NOT NULL REFERENCES bulk_batches(id) ON DELETE CASCADE,
        lead_id INTEGER NOT NULL,
        before TEXT NOT NULL,
        PRIMARY KEY (batch_id, lead_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE bulk_deleted (
        batch_id INTEGER NOT NULL REFERENCES bulk_batches(id) ON DELETE CASCADE,
        tbl TEXT NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX bulk_deleted_by_batch ON bulk_deleted(batch_id, tbl);
    `);
  },
};
