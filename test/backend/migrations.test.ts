import Database from 'better-sqlite3';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../electron/backend/db/migrations';
import { LEADBENCH_APPLICATION_ID, openWorkspaceDb } from '../../electron/backend/db/open';
import type { AppError } from '../../electron/backend/errors';
import { tempDir, workspaceAtSchema } from './helpers';

describe('migrations', () => {
  it('are numbered in multiples of 10 and strictly increasing', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.version % 10).toBe(0);
      if (i > 0) expect(m.version).toBeGreaterThan(MIGRATIONS[i - 1]!.version);
    });
  });

  it('0010-core creates the core tables on a real file', () => {
    const path = join(tempDir(), 'core.leadbench');
    const db = openWorkspaceDb(path, { create: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining(['leads', 'activities', 'imports', 'models', 'lead_scores', 'lead_keys']),
    );
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.prepare("INSERT INTO leads (uid, email_norm, created_at, updated_at) VALUES ('a', 'x@y.z', 0, 0)").run();
    expect(() =>
      db.prepare("INSERT INTO leads (uid, email_norm, created_at, updated_at) VALUES ('b', 'x@y.z', 0, 0)").run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });

  it('runs pending migrations in one transaction: a failing one leaves the file unchanged', () => {
    const path = join(tempDir(), 'atomic.sqlite');
    const db = new Database(path);
    const broken = [
      { version: 10, name: 'ok', up: (d: Database.Database) => d.exec('CREATE TABLE t (x)') },
      { version: 20, name: 'bad', up: (d: Database.Database) => d.exec('CREATE TABLE t (x)') },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a workspace written by a newer version, changing nothing', () => {
    const path = join(tempDir(), 'future.leadbench');
    openWorkspaceDb(path, { create: true }).close();
    const raw = new Database(path);
    raw.pragma('user_version = 9990');
    raw.close();
    const before = readFileSync(path);
    expect(() => openWorkspaceDb(path)).toThrow(
      expect.objectContaining({ code: 'WORKSPACE_TOO_NEW' }) as unknown as AppError,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a Leadbench workspace, changing nothing', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.leadbench');
    writeFileSync(text, 'just some text, definitely not sqlite');
    expect(() => openWorkspaceDb(text)).toThrow(/not a Leadbench workspace/);
    expect(readFileSync(text, 'utf8')).toBe('just some text, definitely not sqlite');

    const other = join(dir, 'other.sqlite');
    const o = new Database(other);
    o.exec('CREATE TABLE customers (id INTEGER)');
    o.close();
    const before = readFileSync(other);
    expect(() => openWorkspaceDb(other)).toThrow(/not a Leadbench workspace/);
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it('gives back the pages its migrations free: a new workspace holds no free pages', () => {
    const db = openWorkspaceDb(join(tempDir(), 'fresh.leadbench'), { create: true });
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    db.close();
  });

  it('gives back the pages a migration frees on an existing workspace (0310 drops the score indexes)', () => {
    const path = join(tempDir(), 'older.leadbench');
    const old = workspaceAtSchema(path, (m) => m.version < 310);
    old.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
              INSERT INTO leads (uid, email, created_at, updated_at, score_total, score_fit, score_engagement,
                                 grade, segment, is_mql, scored_at)
              SELECT 'u' || i, 'p' || i || '@x.example', i, i, i % 97, i % 89, i % 83,
                     char(65 + i % 4) || (1 + i % 4), 'warm', i % 2, i FROM n`);
    old.close();
    const db = openWorkspaceDb(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    db.close();
  });

  it('marks its files with the Leadbench application id', () => {
    const db = openWorkspaceDb(join(tempDir(), 'id.leadbench'), { create: true });
    expect(db.pragma('application_id', { simple: true })).toBe(LEADBENCH_APPLICATION_ID);
    db.close();
  });
});
