/**
 * Undo and rollback delete an import's rows from its first id on (migration 0700: the
 * import records where its leads and activities start), a range of the primary key, not a
 * scan of whole tables. The floor holds every row the import created, also when ids below it
 * are given out again mid-import; imports made before the migration are undone as before.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { migration0700ImportIdFloors } from '../../../electron/backend/db/migrations/0700-import-id-floors';
import { migration0950RepairImportIdFloors } from '../../../electron/backend/db/migrations/0950-repair-import-id-floors';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { importOptionsSchema } from '../../../shared/contract/import';
import { runImport } from '../../../electron/backend/services/import/run';
import { tempBackend, tempDir, workspaceAtSchema } from '../helpers';

const NOW = 1_790_000_000_000;

/** A lead file of `rows` people (`tag` in their emails), with a visit each. */
function peopleCsv(rows: number, tag: string): string {
  const lines = ['Email,First Name,Company,Visited At'];
  for (let i = 0; i < rows; i++) lines.push(`${tag}${i}@firm.example,Ann${i},Firm ${i % 17},2026-03-0${1 + (i % 9)}`);
  const file = join(tempDir(), `${tag}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const OPTIONS = { kind: 'event', asset: 'Spring Webinar' } as const;

const columns = (db: Database.Database) =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('imports') as string[]).filter((c) =>
    c.endsWith('_ids_from'),
  );

describe('migration 0700-import-id-floors', () => {
  it('adds the floors to imports; imports made before keep none', () => {
    const db = new Database(join(tempDir(), 'before.leadbench'));
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 700),
    );
    db.exec(`INSERT INTO imports (file_name, file_path, kind, status, options, mapping, started_at)
             VALUES ('old.csv', '/old.csv', 'leads', 'done', '{}', '{}', 1)`);
    expect(columns(db)).toEqual([]);
    migrate(db, MIGRATIONS);
    expect(migration0700ImportIdFloors.version).toBe(700);
    expect(columns(db)).toEqual(['lead_ids_from', 'activity_ids_from']);
    expect(db.prepare('SELECT lead_ids_from, activity_ids_from FROM imports').get()).toEqual({
      lead_ids_from: null,
      activity_ids_from: null,
    });
    db.close();
  });
});

/**
 * A workspace file as a build between 0740 and 0700's landing left it: every migration up to
 * 0740 but 0700, user_version 740 (so 0700, numbered below, never runs on it).
 */
function workspaceWithout0700(): string {
  const path = join(tempDir(), 'skipped-0700.leadbench');
  const db = workspaceAtSchema(path, (m) => m.version <= 740 && m.version !== 700);
  db.exec(`INSERT INTO imports (file_name, file_path, kind, status, options, mapping, started_at)
           VALUES ('old.csv', '/old.csv', 'leads', 'done', '{}', '{}', 1)`);
  db.close();
  return path;
}

describe('migration 0950-repair-import-id-floors', () => {
  it("adds 0700's columns to a workspace at 0740 that skipped 0700, and its imports undo by range", async () => {
    const path = workspaceWithout0700();
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(740);
    expect(columns(raw)).toEqual([]);
    raw.close();

    const db = openWorkspaceDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(columns(db)).toEqual(['lead_ids_from', 'activity_ids_from']);
    expect(db.prepare('SELECT lead_ids_from, activity_ids_from FROM imports').get()).toEqual({
      lead_ids_from: null,
      activity_ids_from: null,
    });
    db.close();

    const b = tempBackend({ workspacePath: path, now: () => NOW });
    const s = await b.invoke('import-run', { path: peopleCsv(120, 'r'), options: OPTIONS });
    const w = b.context.db();
    expect(w.prepare('SELECT lead_ids_from, activity_ids_from FROM imports WHERE id = ?').get(s.importId)).toEqual({
      lead_ids_from: 1,
      activity_ids_from: 1,
    });
    await b.invoke('import-undo', { importId: s.importId });
    expect(w.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(0);
  });

  it('changes nothing where 0700 ran: a fresh workspace has each column once, and running it again is a no-op', () => {
    const db = openWorkspaceDb(join(tempDir(), 'fresh.leadbench'), { create: true });
    expect(columns(db)).toEqual(['lead_ids_from', 'activity_ids_from']);
    const schema = () => db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'imports'").pluck().get() as string;
    const before = schema();
    migration0950RepairImportIdFloors.up(db);
    migration0950RepairImportIdFloors.up(db);
    expect(schema()).toBe(before);
    expect(columns(db)).toEqual(['lead_ids_from', 'activity_ids_from']);
    db.close();
  });
});

describe('undo by id range', () => {
  it("deletes an import's leads and activities by a range of ids, and only its own", async () => {
    const b = tempBackend({ now: () => NOW });
    const db = b.context.db();
    const first = await b.invoke('import-run', { path: peopleCsv(300, 'a'), options: OPTIONS });
    const second = await b.invoke('import-run', { path: peopleCsv(200, 'b'), options: OPTIONS });
    expect(
      db.prepare('SELECT lead_ids_from, activity_ids_from FROM imports WHERE id = ?').get(second.importId),
    ).toEqual({ lead_ids_from: 301, activity_ids_from: 301 });
    for (const table of ['leads', 'activities']) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN DELETE FROM ${table} WHERE id >= ? AND import_id = ?`).all(1, 1);
      expect(JSON.stringify(plan)).toContain('USING INTEGER PRIMARY KEY (rowid>?)');
    }
    // The first import undone while the second stays: the range from its floor holds both.
    await b.invoke('import-undo', { importId: first.importId });
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(200);
    expect(db.prepare('SELECT count(*) FROM activities').pluck().get()).toBe(200);
    expect(db.prepare('SELECT count(*) FROM leads WHERE import_id = ?').pluck().get(second.importId)).toBe(200);
    await b.invoke('import-undo', { importId: second.importId });
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM activities').pluck().get()).toBe(0);
  });

  it('lowers the floor when ids below it are given out again mid-import, and undo still deletes every row', async () => {
    const b = tempBackend({ now: () => NOW });
    const db = b.context.db();
    await b.invoke('import-run', { path: peopleCsv(100, 'a'), options: OPTIONS });
    let deleted = false;
    // Committed batches (not alone): after the first, the newest leads (the first import's
    // last 40 and all of this one's so far) are deleted, so the next lead gets id 61.
    const summary = await runImport(b.context, peopleCsv(3000, 'b'), importOptionsSchema.parse(OPTIONS), undefined, {
      commitEveryMs: 0,
      afterBatch: () => {
        if (deleted) return;
        deleted = true;
        db.exec('DELETE FROM leads WHERE id > 60');
      },
    });
    expect(deleted).toBe(true);
    const floors = db.prepare('SELECT lead_ids_from, activity_ids_from FROM imports WHERE id = ?');
    expect(floors.get(summary.importId)).toEqual({ lead_ids_from: 61, activity_ids_from: 61 });
    expect(db.prepare('SELECT count(*) FROM leads WHERE import_id = ?').pluck().get(summary.importId)).toBeGreaterThan(
      1000,
    );
    await b.invoke('import-undo', { importId: summary.importId });
    expect(db.prepare('SELECT count(*) FROM leads WHERE import_id = ?').pluck().get(summary.importId)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM activities WHERE import_id = ?').pluck().get(summary.importId)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(60);
  });

  it('undoes an import made before the migration (no floors) by its import_id alone', async () => {
    const b = tempBackend({ now: () => NOW });
    const db = b.context.db();
    const s = await b.invoke('import-run', { path: peopleCsv(150, 'a'), options: OPTIONS });
    db.prepare('UPDATE imports SET lead_ids_from = NULL, activity_ids_from = NULL WHERE id = ?').run(s.importId);
    await b.invoke('import-undo', { importId: s.importId });
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM activities').pluck().get()).toBe(0);
  });
});
