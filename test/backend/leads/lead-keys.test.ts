/**
 * The compact key store (migration 0640, services/leads/lead-keys.ts): an existing
 * workspace's keys are converted unchanged and take less room; lookups, adds, drops and the
 * cascade on a deleted lead work on the new layout.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { findLeadId } from '../../../electron/backend/services/leads/lead-key';
import {
  keyNamesInUse,
  keyValueSql,
  leadKeyStore,
  smallestKeyByLead,
} from '../../../electron/backend/services/leads/lead-keys';
import { tempDir } from '../helpers';

const ROW_KEY = 'Row of hillstrom_email_campaign.csv';
const LEADS = 3000;

/** A workspace file at the schema before 0640 with LEADS leads, each keyed by row, a few by CRM id too. */
function workspaceWithOldKeys(): Database.Database {
  const db = new Database(join(tempDir(), 'keys.leadbench'));
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version < 640),
  );
  const lead = db.prepare('INSERT INTO leads (id, uid, created_at, updated_at) VALUES (?, ?, 0, 0)');
  const key = db.prepare('INSERT INTO lead_keys (lead_id, key_name, key_value) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= LEADS; id++) {
      lead.run(id, `u${id}`);
      key.run(id, ROW_KEY, String(id + 1));
      if (id % 1000 === 0) key.run(id, 'CRM id', `c-${id}`);
    }
  })();
  return db;
}

/** Every key as (name, value, lead), in one order. */
function triples(db: Database.Database, sql: string): string[] {
  return (db.prepare(sql).raw(true).all() as [string, string, number][]).map((t) => t.join('|')).sort();
}

const keyBytes = (db: Database.Database): number =>
  db
    .prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'lead_key%' OR name LIKE 'sqlite_autoindex_lead_key%'")
    .pluck()
    .get() as number;

describe('migration 0640-compact-lead-keys', () => {
  it("converts a workspace's keys unchanged: each name stored once, in less than half the room", () => {
    const db = workspaceWithOldKeys();
    const before = triples(db, 'SELECT key_name, key_value, lead_id FROM lead_keys');
    const bytesBefore = keyBytes(db);
    migrate(db, MIGRATIONS);
    expect(
      triples(db, 'SELECT n.name, k.key_value, k.lead_id FROM lead_keys k JOIN lead_key_names n ON n.id = k.key_id'),
    ).toEqual(before);
    expect(db.prepare('SELECT name FROM lead_key_names ORDER BY name').pluck().all()).toEqual(['CRM id', ROW_KEY]);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'lead_keys'").pluck().get()).toMatch(/WITHOUT ROWID/);
    expect(keyBytes(db)).toBeLessThan(bytesBefore / 2);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    db.close();
  });

  it('finds, adds and drops keys by name; a key already held is not taken; a deleted lead takes its keys along', () => {
    const db = workspaceWithOldKeys();
    migrate(db, MIGRATIONS);
    const keys = leadKeyStore(db);
    expect(keys.find(ROW_KEY, '43')).toBe(42);
    expect(keys.find('CRM id', 'c-2000')).toBe(2000);
    expect(keys.find('CRM id', '43')).toBeUndefined();
    expect(keys.find('No such key', '43')).toBeUndefined();

    expect(keys.add(7, ROW_KEY, '43')).toBe(false);
    expect(keys.find(ROW_KEY, '43')).toBe(42);
    expect(keys.add(7, 'Email id', 'e-7')).toBe(true);
    expect(keys.find('Email id', 'e-7')).toBe(7);
    expect(keyNamesInUse(db).sort()).toEqual(['CRM id', 'Email id', ROW_KEY]);

    keys.drop(7, 'Email id', 'e-7');
    expect(keys.find('Email id', 'e-7')).toBeUndefined();
    expect(keyNamesInUse(db).sort()).toEqual(['CRM id', ROW_KEY]);
    // Dropping a key the lead does not hold changes nothing.
    keys.drop(7, ROW_KEY, '43');
    expect(keys.find(ROW_KEY, '43')).toBe(42);

    expect(findLeadId(db, 'c-3000')).toBe(3000);
    expect(smallestKeyByLead(db).get(1000)).toBe('1001');
    expect(
      db
        .prepare(`SELECT ${keyValueSql('?')}`)
        .pluck()
        .get('CRM id', 1000),
    ).toBe('c-1000');
    expect(
      db
        .prepare(`SELECT ${keyValueSql('?')}`)
        .pluck()
        .get('CRM id', 999),
    ).toBeNull();

    db.prepare('DELETE FROM leads WHERE id = 1000').run();
    expect(keys.find('CRM id', 'c-1000')).toBeUndefined();
    expect(keys.find(ROW_KEY, '1001')).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM lead_keys').pluck().get()).toBe(LEADS + 3 - 2);
    db.close();
  });

  it("reads a lead's key by its id through the by-lead index, and a key by (name, value) through the primary key", () => {
    const db = workspaceWithOldKeys();
    migrate(db, MIGRATIONS);
    const plan = (sql: string, ...args: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(`SELECT ${keyValueSql('?')}`, 'CRM id', 1000)).toMatch(/lead_keys_by_lead \(lead_id=\?/);
    expect(plan('SELECT lead_id FROM lead_keys WHERE key_id = ? AND key_value = ?', 1, 'x')).toMatch(
      /PRIMARY KEY \(key_id=\? AND key_value=\?\)/,
    );
    db.close();
  });
});
