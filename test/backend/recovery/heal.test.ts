/**
 * Healing on open: what a dead process left half-done (written here as a killed process
 * leaves it: rows marked running, journaled files, a stale-scores mark) is finished or
 * rolled back when the workspace is opened, before anything reads it.
 */
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { migration0200JobJournal } from '../../../electron/backend/db/migrations/0200-job-journal';
import { holdsWriter, tryAcquireWriter } from '../../../electron/backend/db/writer-lock';
import { publishVersion } from '../../../electron/backend/services/scoring/models';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { seedPopulation } from '../scoring/seed';
import { tempBackend, tempDir } from '../helpers';

const NOW = Date.UTC(2026, 10, 20, 12);

function scoreRows(db: Database.Database) {
  return db.prepare('SELECT lead_id, model_version, total, grade FROM lead_scores ORDER BY lead_id, model_id').all();
}

describe('migration 0200-job-journal', () => {
  it('adds the job journal and the writer lock to a workspace that has data', () => {
    const db = new Database(join(tempDir(), 'upgrade.leadbench'));
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 200),
    );
    db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('backup.keep', '5')").run();
    migrate(db, MIGRATIONS);
    expect(migration0200JobJournal.version).toBe(200);
    db.prepare("INSERT INTO job_journal (kind, started_at) VALUES ('export', 1)").run();
    expect(db.prepare('SELECT targets, outputs FROM job_journal').get()).toEqual({ targets: '[]', outputs: '[]' });
    expect(() => db.prepare("INSERT INTO job_journal (kind, started_at) VALUES ('other', 1)").run()).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare("INSERT INTO writer_lock (id, token, pid, host, command, since) VALUES (2, 't', 1, 'h', 'c', 0)")
        .run(),
    ).toThrow(/CHECK/);
    expect(db.prepare("SELECT value FROM workspace_meta WHERE key = 'backup.keep'").pluck().get()).toBe('5');
  });
});

describe('healing on open', () => {
  it('closes a dead export, deletes its rows and orphans, and removes its temporary and finished files', async () => {
    const b = tempBackend({ now: () => NOW });
    seedPopulation(b.context.db(), 10);
    const dir = tempDir();
    const done = await b.invoke('export-leads', { source: { kind: 'all' }, format: 'csv', out: join(dir, 'ok.csv') });
    const db = b.context.db();
    // A killed export: its row running, 10 export_rows, a temporary copy and a finished pack.
    const target = join(dir, 'dead.csv');
    const partial = join(dir, '.dead.csv.0badc0de.partial');
    const pack = join(dir, 'pack.csv');
    writeFileSync(partial, 'half');
    writeFileSync(pack, 'a finished pack of the dead export');
    db.exec(`
      INSERT INTO exports (id, export_uid, kind, format, source, columns, round_trip, status, created_at)
        VALUES (99, 'EX-dead', 'leads', 'csv', '{}', '[]', 1, 'running', 1);
      INSERT INTO export_rows (export_id, lead_uid, lead_id, lead_updated_at, exported_values)
        SELECT 99, uid, id, 0, '{}' FROM leads;
      INSERT INTO exports (id, export_uid, kind, format, source, columns, round_trip, status, created_at)
        VALUES (98, 'EX-failed', 'leads', 'csv', '{}', '[]', 1, 'failed', 1);
      INSERT INTO export_rows (export_id, lead_uid, lead_id, lead_updated_at, exported_values)
        SELECT 98, uid, id, 0, '{}' FROM leads;
    `);
    db.prepare("INSERT INTO job_journal (kind, targets, outputs, started_at) VALUES ('export', ?, ?, 1)").run(
      JSON.stringify([target]),
      JSON.stringify([pack]),
    );
    const keptRows = db.prepare('SELECT count(*) FROM export_rows WHERE export_id = ?').pluck().get(done.exportId);
    b.context.openWorkspace(b.path, false);
    const healed = b.context.db();
    expect(healed.prepare('SELECT status, message FROM exports WHERE id = 99').get()).toEqual({
      status: 'failed',
      message: 'Interrupted: Leadbench stopped before the export finished. Nothing of it was kept.',
    });
    expect(healed.prepare('SELECT count(*) FROM export_rows WHERE export_id IN (98, 99)').pluck().get()).toBe(0);
    expect(healed.prepare('SELECT count(*) FROM export_rows WHERE export_id = ?').pluck().get(done.exportId)).toBe(
      keptRows,
    );
    expect(healed.prepare('SELECT count(*) FROM job_journal').pluck().get()).toBe(0);
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(pack)).toBe(false);
    expect(existsSync(join(dir, 'ok.csv'))).toBe(true);
  });

  it('removes a dead backup’s temporary copy and its companions', () => {
    const b = tempBackend({ now: () => NOW });
    const dir = tempDir();
    const target = join(dir, 'copy.leadbench');
    for (const x of ['', '-wal', '-journal']) writeFileSync(`${target}.partial${x}`, 'x');
    b.context
      .db()
      .prepare("INSERT INTO job_journal (kind, targets, started_at) VALUES ('backup', ?, 1)")
      .run(JSON.stringify([target]));
    b.context.openWorkspace(b.path, false);
    for (const x of ['', '-wal', '-journal']) expect(existsSync(`${target}.partial${x}`)).toBe(false);
    expect(b.context.db().prepare('SELECT count(*) FROM job_journal').pluck().get()).toBe(0);
  });

  it('completes the rescore of a model published by a process killed before its rescore committed', async () => {
    const b = tempBackend({ now: () => NOW });
    const db = b.context.db();
    seedPopulation(db, 30);
    await b.invoke('scores-rescore', {});
    await new Promise((r) => setTimeout(r, 50));
    while (b.context.jobs.active().length) await new Promise((r) => setTimeout(r, 20));
    const before = scoreRows(db);
    publishVersion(
      db,
      1,
      { ...DEFAULT_MODEL, fit: DEFAULT_MODEL.fit.map((r) => ({ ...r, points: r.points + 3 })) },
      null,
      NOW,
    );
    expect(scoreRows(db)).toEqual(before);
    b.context.openWorkspace(b.path, false);
    const healed = b.context.db();
    expect(healed.prepare('SELECT DISTINCT model_version FROM lead_scores WHERE model_id = 1').pluck().all()).toEqual([
      2,
    ]);
    expect(scoreRows(healed)).not.toEqual(before);
    expect(healed.prepare("SELECT count(*) FROM workspace_meta WHERE key = 'rescore_pending'").pluck().get()).toBe(0);
  });

  it('leaves a live process’s running import alone: it holds the writer lock', async () => {
    const b = tempBackend({ now: () => NOW });
    const other = new Database(b.path);
    // Another live process (this one's pid, another connection) holds the lock mid-import.
    const hold = tryAcquireWriter(other, 'import-run');
    expect(hold?.first).toBe(true);
    b.context
      .db()
      .prepare(
        "INSERT INTO imports (file_name, file_path, kind, status, started_at) VALUES ('a.csv', '/a.csv', 'leads', 'running', 1)",
      )
      .run();
    b.context.openWorkspace(b.path, false);
    expect(b.context.db().prepare('SELECT status FROM imports').pluck().all()).toEqual(['running']);
    expect(holdsWriter(b.context.db())).toBe(false);
    // Its process gone (the lock released without finishing), the next writer heals.
    hold!.release();
    other.close();
    await b.invoke('mapping-save', { name: 'm', headers: ['Email'], settings: { kind: 'leads' } });
    expect(b.context.db().prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
  });
});
