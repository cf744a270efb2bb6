import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { tempDir } from '../helpers';

describe('migration 0060-exchange', () => {
  it('creates the export, round-trip and backup tables; export rows outlive deleted leads', () => {
    const db = openWorkspaceDb(join(tempDir(), 'm.leadbench'), { create: true });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    expect(tables).toEqual(
      expect.arrayContaining(['exports', 'export_rows', 'roundtrip_applies', 'roundtrip_applied', 'backups']),
    );
    db.prepare("INSERT INTO leads (uid, created_at, updated_at) VALUES ('L1', 0, 5)").run();
    const exp = Number(
      db
        .prepare(
          "INSERT INTO exports (export_uid, kind, format, source, columns, status, created_at) VALUES ('EX-1', 'leads', 'csv', '{}', '[]', 'done', 0)",
        )
        .run().lastInsertRowid,
    );
    db.prepare(
      "INSERT INTO export_rows (export_id, lead_uid, lead_id, lead_updated_at, exported_values) VALUES (?, 'L1', 1, 5, '{}')",
    ).run(exp);
    db.prepare("DELETE FROM leads WHERE uid = 'L1'").run();
    expect(db.prepare('SELECT count(*) FROM export_rows').pluck().get()).toBe(1);
    expect(() =>
      db
        .prepare(
          "INSERT INTO exports (export_uid, kind, format, source, columns, status, created_at) VALUES ('EX-2', 'leads', 'pdf', '{}', '[]', 'done', 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare('DELETE FROM exports WHERE id = ?').run(exp);
    expect(db.prepare('SELECT count(*) FROM export_rows').pluck().get()).toBe(0);
    db.close();
  });
});
