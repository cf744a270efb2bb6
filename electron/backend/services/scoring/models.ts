/**
 * Scoring models in the workspace: each model has an editable draft and numbered published
 * versions (history kept forever, any version restorable); exactly one model is primary
 * (it drives the lead's segment, grade and the MQL queue). Published definitions are
 * compiled once per version and cached for the life of the connection.
 */
import type Database from 'better-sqlite3';
import type { ModelDetail, ModelSummary, ModelVersionInfo } from '../../../../shared/contract';
import {
  compileModel,
  DEFAULT_MODEL,
  validateModel,
  type CompiledModel,
  type ModelIssue,
  type ScoringModel,
} from '../../../../shared/scoring';
import { AppError } from '../../errors';
import { clearRescorePending, markRescorePending, rescorePendingMark } from './pending';
import { stmt } from '../../db/statements';

/** A published model version ready to score. */
export type PublishedModel = Readonly<{
  id: number;
  name: string;
  version: number;
  isPrimary: boolean;
  compiled: CompiledModel;
}>;

type ModelRow = {
  id: number;
  name: string;
  is_primary: number;
  draft: string | null;
  published_version: number | null;
  created_at: number;
  updated_at: number;
};

const compiledCache = new WeakMap<Database.Database, Map<string, CompiledModel>>();

/** Throws MODEL_INVALID with the issues as details when `input` is not a valid model. */
export function requireValidModel(input: unknown): ScoringModel {
  const r = validateModel(input);
  if (!r.ok) {
    throw new AppError(
      'MODEL_INVALID',
      `The scoring model is not valid: ${r.issues.map((i) => i.message).join('; ')}`,
      {
        issues: r.issues,
      },
    );
  }
  return r.model;
}

function compiledFor(db: Database.Database, id: number, version: number, definition: string): CompiledModel {
  let cache = compiledCache.get(db);
  if (!cache) {
    cache = new Map();
    compiledCache.set(db, cache);
  }
  const key = `${id}:${version}`;
  let c = cache.get(key);
  if (!c) {
    c = compileModel(requireValidModel(JSON.parse(definition)));
    cache.set(key, c);
  }
  return c;
}

/** The compiled form of one published version of a model. */
export function compiledVersion(db: Database.Database, modelId: number, version: number): CompiledModel {
  const row = stmt(db, 'SELECT definition FROM model_versions WHERE model_id = ? AND version = ?').get(
    modelId,
    version,
  ) as { definition: string } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `The model has no version ${version}.`);
  return compiledFor(db, modelId, version, row.definition);
}

/** Every model with a published version, primary first. */
export function publishedModels(db: Database.Database): PublishedModel[] {
  const rows = stmt(
    db,
    `SELECT m.id, m.name, m.is_primary, v.version, v.definition FROM models m
       JOIN model_versions v ON v.model_id = m.id AND v.version = m.published_version
      ORDER BY m.is_primary DESC, m.id`,
  ).all() as { id: number; name: string; is_primary: number; version: number; definition: string }[];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    version: r.version,
    isPrimary: r.is_primary === 1,
    compiled: compiledFor(db, r.id, r.version, r.definition),
  }));
}

function modelRow(db: Database.Database, modelId: number): ModelRow {
  const row = stmt(db, 'SELECT * FROM models WHERE id = ?').get(modelId) as ModelRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No scoring model with id ${modelId}.`);
  return row;
}

function publishedDefinition(db: Database.Database, modelId: number, version: number | null): ScoringModel | null {
  if (version === null) return null;
  const row = stmt(db, 'SELECT definition FROM model_versions WHERE model_id = ? AND version = ?').get(
    modelId,
    version,
  ) as { definition: string } | undefined;
  return row ? (JSON.parse(row.definition) as ScoringModel) : null;
}

function summary(db: Database.Database, r: ModelRow): ModelSummary {
  const counts = stmt(
    db,
    `SELECT (SELECT count(*) FROM model_versions WHERE model_id = ?) AS versions,
            (SELECT count(*) FROM lead_scores WHERE model_id = ?) AS scored`,
  ).get(r.id, r.id) as { versions: number; scored: number };
  const published = publishedDefinition(db, r.id, r.published_version);
  return {
    id: r.id,
    name: r.name,
    description: published?.description ?? null,
    isPrimary: r.is_primary === 1,
    publishedVersion: r.published_version,
    versionCount: counts.versions,
    hasDraft: r.draft !== null,
    scoredLeads: counts.scored,
    updatedAt: r.updated_at,
  };
}

export function listModels(db: Database.Database): ModelSummary[] {
  const rows = db.prepare('SELECT * FROM models ORDER BY is_primary DESC, name COLLATE NOCASE').all() as ModelRow[];
  return rows.map((r) => summary(db, r));
}

export function getModel(db: Database.Database, modelId: number): ModelDetail {
  const r = modelRow(db, modelId);
  const draft = r.draft === null ? null : (JSON.parse(r.draft) as unknown);
  const v = draft === null ? null : validateModel(draft);
  return {
    ...summary(db, r),
    published: publishedDefinition(db, r.id, r.published_version),
    draft,
    draftIssues: v && !v.ok ? v.issues : [],
  };
}

function uniqueName(db: Database.Database, wanted: string): string {
  const taken = new Set(
    (db.prepare('SELECT name FROM models').all() as { name: string }[]).map((r) => r.name.toLowerCase()),
  );
  if (!taken.has(wanted.toLowerCase())) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted} (${i})`.toLowerCase())) return `${wanted} (${i})`;
}

/** A new, unpublished model whose draft is the default model or a copy of another model. */
export function createModel(db: Database.Database, name: string, draft: unknown, now: number): number {
  const finalName = uniqueName(db, name.trim());
  const body =
    typeof draft === 'object' && draft !== null && !Array.isArray(draft) ? { ...draft, name: finalName } : draft;
  const hasPrimary = db.prepare('SELECT 1 FROM models WHERE is_primary = 1').get() !== undefined;
  return Number(
    db
      .prepare(
        'INSERT INTO models (name, is_primary, draft, published_version, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)',
      )
      .run(finalName, hasPrimary ? 0 : 1, JSON.stringify(body), now, now).lastInsertRowid,
  );
}

/** The definition a new model starts from: a copy of `copyOf`'s draft or published version, or the default. */
export function startingDefinition(db: Database.Database, copyOf: number | undefined): unknown {
  if (copyOf === undefined) return DEFAULT_MODEL;
  const detail = getModel(db, copyOf);
  return detail.draft ?? detail.published ?? DEFAULT_MODEL;
}

export function deleteModel(db: Database.Database, modelId: number): void {
  const r = modelRow(db, modelId);
  if (r.is_primary === 1) {
    throw new AppError(
      'VALIDATION',
      `"${r.name}" is the primary model. Make another model primary before deleting it.`,
    );
  }
  db.transaction(() => {
    db.prepare('DELETE FROM score_history WHERE model_id = ?').run(modelId);
    db.prepare('DELETE FROM lead_scores WHERE model_id = ?').run(modelId);
    db.prepare('DELETE FROM model_versions WHERE model_id = ?').run(modelId);
    db.prepare('DELETE FROM models WHERE id = ?').run(modelId);
  })();
}

/** Saves the editor's draft as is (it may be invalid) and returns its issues. */
export function saveDraft(
  db: Database.Database,
  modelId: number,
  definition: unknown,
  now: number,
): readonly ModelIssue[] {
  modelRow(db, modelId);
  db.prepare('UPDATE models SET draft = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(definition), now, modelId);
  const v = validateModel(definition);
  return v.ok ? [] : v.issues;
}

export function discardDraft(db: Database.Database, modelId: number, now: number): void {
  modelRow(db, modelId);
  db.prepare('UPDATE models SET draft = NULL, updated_at = ? WHERE id = ?').run(now, modelId);
}

/** The definition to preview or publish: the given one, else the draft, else the published one. */
export function candidateDefinition(db: Database.Database, modelId: number, given: unknown): ScoringModel {
  if (given !== undefined) return requireValidModel(given);
  const r = modelRow(db, modelId);
  if (r.draft !== null) return requireValidModel(JSON.parse(r.draft));
  const published = publishedDefinition(db, modelId, r.published_version);
  if (!published) throw new AppError('MODEL_INVALID', `"${r.name}" has neither a draft nor a published version.`);
  return published;
}

/**
 * Publishes `model` as the next version of the model (the model's name follows the
 * definition's name when that is free) and clears the draft. Returns the new version.
 */
export function publishVersion(
  db: Database.Database,
  modelId: number,
  model: ScoringModel,
  note: string | null,
  now: number,
): number {
  return db.transaction(() => {
    const r = modelRow(db, modelId);
    const next =
      ((
        db.prepare('SELECT max(version) AS v FROM model_versions WHERE model_id = ?').get(modelId) as {
          v: number | null;
        }
      ).v ?? 0) + 1;
    db.prepare(
      'INSERT INTO model_versions (model_id, version, definition, note, published_at) VALUES (?, ?, ?, ?, ?)',
    ).run(modelId, next, JSON.stringify(model), note, now);
    const nameFree =
      model.name !== r.name &&
      db.prepare('SELECT 1 FROM models WHERE name = ? COLLATE NOCASE AND id <> ?').get(model.name, modelId) ===
        undefined;
    db.prepare('UPDATE models SET published_version = ?, draft = NULL, updated_at = ?, name = ? WHERE id = ?').run(
      next,
      now,
      nameFree ? model.name : r.name,
      modelId,
    );
    // Every score is of the previous version until the rescore that follows commits.
    markRescorePending(db);
    return next;
  })();
}

/**
 * Publishes like publishVersion and returns how to take the publication back, for a caller
 * whose rescore must land with it (`leadbench score --model`): a rescore that cannot be
 * written (a full disk) then leaves the model, its draft and the scores as they were, instead
 * of a published version whose scores are all of the one before.
 */
export function publishRevocably(
  db: Database.Database,
  modelId: number,
  model: ScoringModel,
  note: string | null,
  now: number,
): { version: number; withdraw: () => void } {
  const before = modelRow(db, modelId);
  const version = publishVersion(db, modelId, model, note, now);
  const mark = rescorePendingMark(db);
  const withdraw = () =>
    db
      .transaction(() => {
        db.prepare('DELETE FROM model_versions WHERE model_id = ? AND version = ?').run(modelId, version);
        db.prepare('UPDATE models SET published_version = ?, draft = ?, name = ?, updated_at = ? WHERE id = ?').run(
          before.published_version,
          before.draft,
          before.name,
          before.updated_at,
          modelId,
        );
        clearRescorePending(db, mark);
        // A later publication reuses the number: its compiled form must not be this one's.
        compiledCache.get(db)?.delete(`${modelId}:${version}`);
      })
      .immediate();
  return { version, withdraw };
}

export function listVersions(db: Database.Database, modelId: number): ModelVersionInfo[] {
  const r = modelRow(db, modelId);
  const rows = db
    .prepare(
      'SELECT version, note, published_at, definition FROM model_versions WHERE model_id = ? ORDER BY version DESC',
    )
    .all(modelId) as { version: number; note: string | null; published_at: number; definition: string }[];
  return rows.map((v) => ({
    version: v.version,
    note: v.note,
    publishedAt: v.published_at,
    isCurrent: v.version === r.published_version,
    definition: JSON.parse(v.definition) as ScoringModel,
  }));
}

export function versionDefinition(db: Database.Database, modelId: number, version: number): ScoringModel {
  modelRow(db, modelId);
  const def = publishedDefinition(db, modelId, version);
  if (!def) throw new AppError('NOT_FOUND', `The model has no version ${version}.`);
  return def;
}

/**
 * Makes a model primary and copies its stored scores onto the lead rows (no rescore needed:
 * every published model's scores are kept per lead). Leads it does not score get blanks.
 */
export function setPrimary(db: Database.Database, modelId: number): void {
  const r = modelRow(db, modelId);
  if (r.published_version === null) {
    throw new AppError('VALIDATION', `Publish "${r.name}" before making it the primary model.`);
  }
  db.transaction(() => {
    db.prepare('UPDATE models SET is_primary = (id = ?)').run(modelId);
    db.prepare(
      `UPDATE leads SET score_total = s.total, score_fit = s.fit, score_engagement = s.engagement, grade = s.grade,
              segment = s.segment, is_mql = s.is_mql, suppressed_reason = s.suppressed_reason, scored_at = s.scored_at
         FROM lead_scores s WHERE s.model_id = ? AND s.lead_id = leads.id`,
    ).run(modelId);
    db.prepare(
      `UPDATE leads SET score_total = NULL, score_fit = NULL, score_engagement = NULL, grade = NULL, segment = NULL,
              is_mql = 0, suppressed_reason = NULL, scored_at = NULL
        WHERE NOT EXISTS (SELECT 1 FROM lead_scores s WHERE s.model_id = ? AND s.lead_id = leads.id)`,
    ).run(modelId);
  })();
}

/** Segment key -> its label ("hot" -> "Hot") in the primary model as published; empty without one. */
export function primarySegmentLabels(db: Database.Database): Record<string, string> {
  const id = primaryModelId(db);
  const row =
    id === null
      ? undefined
      : (stmt(db, 'SELECT published_version FROM models WHERE id = ?').get(id) as
          { published_version: number | null } | undefined);
  if (id === null || !row || row.published_version === null) return {};
  const model = versionDefinition(db, id, row.published_version);
  return Object.fromEntries(model.segments.bands.map((b) => [b.key, b.label]));
}

/** The id of the primary model, or null when there is none. */
export function primaryModelId(db: Database.Database): number | null {
  const r = stmt(db, 'SELECT id FROM models WHERE is_primary = 1').get() as { id: number } | undefined;
  return r?.id ?? null;
}
