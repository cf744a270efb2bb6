import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATION_LEDGER, migrate, schemaVersion, type Migration } from '../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../electron/backend/db/migrations';
import { LEADBENCH_APPLICATION_ID, openWorkspaceDb } from '../../electron/backend/db/open';
import type { AppError } from '../../electron/backend/errors';
import { REPO_ROOT, tempDir, workspaceAtSchema } from './helpers';

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

/** Migrations that count their runs; `bad` versions fail after creating a table. */
function counted(versions: number[], bad: number[] = []) {
  const runs = new Map<number, number>();
  const list: Migration[] = versions.map((version) => ({
    version,
    name: `m${version}`,
    up: (d: Database.Database) => {
      runs.set(version, (runs.get(version) ?? 0) + 1);
      d.exec(`CREATE TABLE t${version} (x)`);
      if (bad.includes(version)) throw new Error(`migration ${version} fails`);
    },
  }));
  return { list, runs };
}

const ledger = (db: Database.Database) =>
  db.prepare(`SELECT version, applied_at IS NOT NULL AS timed FROM ${MIGRATION_LEDGER} ORDER BY version`).all();
const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('the migration ledger', () => {
  it('runs a migration numbered below one already applied (it landed later), and nothing else again', () => {
    const db = new Database(join(tempDir(), 'late.sqlite'));
    const before = counted([10, 30]);
    expect(migrate(db, before.list)).toEqual({ from: 0, to: 30, applied: [10, 30] });
    const after = counted([10, 20, 30, 40]);
    expect(migrate(db, after.list)).toEqual({ from: 30, to: 40, applied: [20, 40] });
    expect([...after.runs]).toEqual([
      [20, 1],
      [40, 1],
    ]);
    expect(migrate(db, after.list)).toEqual({ from: 40, to: 40, applied: [] });
    expect(after.runs.size).toBe(2);
    expect(ledger(db).map((r) => (r as { version: number }).version)).toEqual([10, 20, 30, 40]);
    expect(schemaVersion(db)).toBe(40);
    db.close();
  });

  it('a real workspace past 0800 that lacks it (opened between two landings) gets it on open', () => {
    const path = join(tempDir(), 'without-0800.leadbench');
    const old = workspaceAtSchema(path, (m) => m.version !== 800, { ledger: true });
    old.exec("INSERT INTO leads (uid, email_norm, created_at, updated_at) VALUES ('a', 'a@x.example', 0, 0)");
    expect(schemaVersion(old)).toBe(MIGRATIONS.at(-1)!.version);
    expect(tables(old)).not.toContain('lead_total');
    old.close();

    const db = openWorkspaceDb(path);
    expect(db.prepare('SELECT n FROM lead_total').pluck().get()).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM ${MIGRATION_LEDGER}`).pluck().get()).toBe(MIGRATIONS.length);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('a workspace from before the ledger: every migration up to its user_version counts as applied', () => {
    const db = new Database(join(tempDir(), 'pre-ledger.sqlite'));
    db.pragma('user_version = 30');
    const m = counted([10, 20, 30, 40]);
    expect(migrate(db, m.list)).toEqual({ from: 30, to: 40, applied: [40] });
    expect([...m.runs.keys()]).toEqual([40]);
    expect(ledger(db)).toEqual([
      { version: 10, timed: 0 },
      { version: 20, timed: 0 },
      { version: 30, timed: 0 },
      { version: 40, timed: 1 },
    ]);
    db.close();
  });

  it('a pre-ledger workspace with nothing pending gets its ledger, and nothing runs', () => {
    const path = join(tempDir(), 'current.leadbench');
    workspaceAtSchema(path, () => true).close();
    const raw = new Database(path);
    expect(tables(raw)).not.toContain(MIGRATION_LEDGER);
    raw.close();
    const db = openWorkspaceDb(path);
    expect(db.prepare(`SELECT count(*) FROM ${MIGRATION_LEDGER} WHERE applied_at IS NULL`).pluck().get()).toBe(
      MIGRATIONS.length,
    );
    db.close();
  });

  it('a failing migration leaves the ledger, user_version and the schema as they were', () => {
    const db = new Database(join(tempDir(), 'fails.sqlite'));
    migrate(db, counted([10, 30]).list);
    const before = { ledger: ledger(db), tables: tables(db) };
    const m = counted([10, 20, 30, 40], [40]);
    expect(() => migrate(db, m.list)).toThrow(/migration 40 fails/);
    expect(m.runs.get(20)).toBe(1); // it ran, and was rolled back with 40
    expect({ ledger: ledger(db), tables: tables(db) }).toEqual(before);
    expect(schemaVersion(db)).toBe(30);

    const pre = new Database(join(tempDir(), 'fails-pre-ledger.sqlite'));
    pre.pragma('user_version = 10');
    expect(() => migrate(pre, counted([10, 20], [20]).list)).toThrow();
    expect(tables(pre)).toEqual([]); // no ledger either
    expect(schemaVersion(pre)).toBe(10);
    pre.close();
    db.close();
  });

  it('a process killed in the middle of a migration leaves the ledger and the schema as they were', () => {
    const dir = tempDir();
    const path = join(dir, 'killed.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db, counted([10]).list);
    db.close();
    const script = join(dir, 'kill.mts');
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
       import { migrate } from ${JSON.stringify(join(REPO_ROOT, 'electron/backend/db/migrate.ts'))};
       const Database = createRequire(${JSON.stringify(join(REPO_ROOT, 'package.json'))})('better-sqlite3');
       const db = new Database(${JSON.stringify(path)});
       migrate(db, [
         { version: 10, name: 'a', up: () => {} },
         { version: 15, name: 'b', up: (d) => d.exec('CREATE TABLE t15 (x)') },
         { version: 20, name: 'c', up: (d) => { d.exec('CREATE TABLE t20 (x)'); process.kill(process.pid, 'SIGKILL'); } },
       ]);`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const after = new Database(path);
    expect(ledger(after)).toEqual([{ version: 10, timed: 1 }]);
    expect(tables(after)).toEqual([MIGRATION_LEDGER, 't10']);
    expect(schemaVersion(after)).toBe(10);
    after.close();
  });

  it('two connections opening one workspace at once: the second runs only what the first did not', () => {
    const path = join(tempDir(), 'two.sqlite');
    const first = new Database(path);
    const second = new Database(path);
    second.pragma('foreign_keys = ON'); // so that migrate asks rebuildsReferencedTable before it begins
    const m = counted([10, 20]);
    // The first connection migrates after the second has read its ledger, before it takes the lock.
    const racing: Migration[] = [
      m.list[0]!,
      {
        ...m.list[1]!,
        rebuildsReferencedTable: () => {
          if (!m.runs.has(20)) migrate(first, m.list);
          return false;
        },
      },
    ];
    expect(migrate(second, racing)).toEqual({ from: 20, to: 20, applied: [] });
    expect([...m.runs]).toEqual([
      [10, 1],
      [20, 1],
    ]);
    expect(ledger(second).length).toBe(2);
    first.close();
    second.close();
  });

  it('refuses a workspace whose ledger holds a migration this app does not know, changing nothing', () => {
    const path = join(tempDir(), 'newer-ledger.leadbench');
    openWorkspaceDb(path, { create: true }).close();
    const raw = new Database(path);
    raw
      .prepare(`INSERT INTO ${MIGRATION_LEDGER} (version, name, applied_at) VALUES (975, 'from a newer app', 1)`)
      .run();
    raw.close();
    const before = readFileSync(path);
    expect(() => openWorkspaceDb(path)).toThrow(
      expect.objectContaining({
        code: 'WORKSPACE_TOO_NEW',
        message: expect.stringContaining('migration 975') as unknown,
      }) as unknown as AppError,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
