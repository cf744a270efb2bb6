import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { DEFAULT_MODEL, validateModel } from '../../../shared/scoring';
import { tempDir } from '../helpers';

describe('migration 0030-scoring', () => {
  it('creates adjustments, history, the activity index, and seeds the default model as primary v1', () => {
    const path = join(tempDir(), 'scoring.leadbench');
    const db = openWorkspaceDb(path, { create: true });
    const names = (type: string) =>
      (db.prepare('SELECT name FROM sqlite_schema WHERE type = ?').all(type) as { name: string }[]).map((r) => r.name);
    expect(names('table')).toEqual(expect.arrayContaining(['score_adjustments', 'score_history']));
    expect(names('index')).toEqual(
      expect.arrayContaining(['activities_by_lead_time', 'score_history_by_lead', 'score_adjustments_by_lead']),
    );
    const models = db.prepare('SELECT id, name, is_primary, published_version, draft FROM models').all();
    expect(models).toEqual([{ id: 1, name: 'Default', is_primary: 1, published_version: 1, draft: null }]);
    const v = db.prepare('SELECT version, definition, note FROM model_versions').get() as {
      version: number;
      definition: string;
      note: string;
    };
    expect(v.version).toBe(1);
    expect(JSON.parse(v.definition)).toEqual(DEFAULT_MODEL);
    expect(validateModel(JSON.parse(v.definition)).ok).toBe(true);
    db.close();
    // Reopening runs nothing again: still one model.
    const again = openWorkspaceDb(path);
    expect((again.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n).toBe(1);
    again.close();
  });

  it('deleting a lead deletes its adjustments and history', () => {
    const db = openWorkspaceDb(join(tempDir(), 'cascade.leadbench'), { create: true });
    const id = db.prepare("INSERT INTO leads (uid, created_at, updated_at) VALUES ('x', 0, 0)").run().lastInsertRowid;
    db.prepare("INSERT INTO score_adjustments (lead_id, points, reason, created_at) VALUES (?, 5, 'r', 0)").run(id);
    db.prepare(
      "INSERT INTO score_history (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at) VALUES (?, 1, 1, 5, 0, 5, 'D4', 'cold', 0, 0)",
    ).run(id);
    db.prepare('DELETE FROM leads WHERE id = ?').run(id);
    expect(
      db.prepare('SELECT (SELECT count(*) FROM score_adjustments) + (SELECT count(*) FROM score_history) AS n').get(),
    ).toEqual({ n: 0 });
    db.close();
  });
});
