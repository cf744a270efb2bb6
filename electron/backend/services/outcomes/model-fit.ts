/**
 * "When the model doesn't fit the data": the share of leads the primary model leaves at 0
 * points (one definition, shown on the Leads and Scoring screens), whether there are enough
 * closed leads to learn a model instead, and the starter model built from the workspace's
 * own columns ("Start a model from your columns") when there are not.
 */
import type Database from 'better-sqlite3';
import type { ModelFit } from '../../../../shared/contract';
import { IDENTITY_FIELDS, LEAD_FIELDS } from '../../../../shared/domain';
import { MIN_CLOSED, MIN_EACH } from '../../../../shared/learn/learn';
import { DEFAULT_MODEL, fieldLabel, type FitRule, type ScoringModel } from '../../../../shared/scoring';
import { createModel, primaryModelId } from '../scoring/models';
import { keyNamesInUse } from '../leads/lead-keys';
import { CLOSED_OUTCOME_STAGES } from './evaluate';
import { outcomeColumns } from './record';
import { customEntriesSql } from '../leads/custom-store';
import { ARRIVED_CLOSED_SQL } from '../scoring/closed-scores';
import { closedStages } from '../scoring/lead-data';

/** The model "doesn't fit" when it leaves at least this share of the leads at 0 points. */
export const MISFIT_SHARE = 0.95;

const STAGES_SQL = CLOSED_OUTCOME_STAGES.map((s) => `'${s}'`).join(', ');

/**
 * How the primary model's scores sit on the workspace's leads. A lead closed in this
 * workspace keeps the score it closed with (scoring/closed-scores.ts): when that score is of
 * an older model or version it says nothing about the published one, so such a lead is left
 * out (`frozenOlder`); a lead that arrived closed is scored by every publish and counts.
 */
export function modelFit(db: Database.Database): ModelFit {
  const modelId = primaryModelId(db);
  const model =
    modelId === null
      ? null
      : (db.prepare('SELECT name, published_version FROM models WHERE id = ?').get(modelId) as {
          name: string;
          published_version: number | null;
        });
  const modelName = model?.name ?? null;
  // Per lead: is it frozen with another model's or version's score (or none), and is it at
  // 0 points (a lead without a score row, nothing published yet, is at 0 points too).
  const counts = db
    .prepare(
      `SELECT frozen_older, at_zero, count(*) FROM (
         SELECT (l.stage IN (SELECT value FROM json_each(@closed))
                 AND NOT EXISTS (SELECT 1 FROM lead_scores s WHERE s.lead_id = l.id AND s.model_id = @model
                                  AND s.model_version = @version)
                 AND NOT (l.import_id IS NOT NULL AND ${ARRIVED_CLOSED_SQL})) AS frozen_older,
                NOT EXISTS (SELECT 1 FROM lead_scores s WHERE s.lead_id = l.id AND s.model_id = @model AND s.total <> 0) AS at_zero
           FROM leads l)
        GROUP BY 1, 2`,
    )
    .raw(true)
    .all({
      closed: JSON.stringify([...closedStages(db)]),
      model: modelId ?? -1,
      version: model?.published_version ?? -1,
    }) as [number, number, number][];
  let leads = 0;
  let atZero = 0;
  let frozenOlder = 0;
  for (const [older, zero, n] of counts) {
    if (older === 1 && modelId !== null) {
      frozenOlder += n;
      continue;
    }
    leads += n;
    if (zero === 1 || modelId === null) atZero += n;
  }
  const closed = db
    .prepare(`SELECT stage = 'won', count(*) FROM leads WHERE stage IN (${STAGES_SQL}) GROUP BY 1`)
    .raw(true)
    .all() as [number, number][];
  const won = closed.find((r) => r[0] === 1)?.[1] ?? 0;
  const lost = closed.find((r) => r[0] === 0)?.[1] ?? 0;
  const shareAtZero = leads === 0 ? 0 : atZero / leads;
  return {
    modelId,
    modelName,
    leads,
    frozenOlder,
    atZero,
    shareAtZero,
    misfit: leads > 0 && shareAtZero >= MISFIT_SHARE,
    closedLeads: won + lost,
    canLearn: won + lost >= MIN_CLOSED && won >= MIN_EACH && lost >= MIN_EACH,
  };
}

/**
 * Fields the starter model leaves out: the identity fields, and job titles (free text: a
 * rule would match one title; learning uses the seniority read from it instead).
 */
const NOT_STARTER_FIELDS = new Set([...IDENTITY_FIELDS, 'title']);
/** Leads sampled for the most common values (enough to find a column's common values). */
const SAMPLE = 20_000;
const VALUES_PER_FIELD = 3;
const MAX_FIELDS = 12;

type Candidate = { field: string; filled: number; values: [string, number][] };

/**
 * Fit rules prefilled from the workspace's columns: for each column that sorts leads into
 * groups (a few common values, not one per lead), its most common values as "<column> is
 * <value>" rules with 0 points, for the user to set. Standard fields first, then the file's
 * columns, the most filled-in first.
 */
export function starterFitRules(db: Database.Database): FitRule[] {
  const sampled = db.prepare('SELECT count(*) FROM (SELECT 1 FROM leads LIMIT ?)').pluck().get(SAMPLE) as number;
  if (sampled === 0) return [];
  const skip = new Set([...outcomeColumns(db), ...keyNamesInUse(db)]);
  const candidates: Candidate[] = [];
  const consider = (field: string, rows: [string, number][]) => {
    const filled = rows.reduce((s, r) => s + r[1], 0);
    // A value per lead (ids, names) or a single value says nothing about which leads fit.
    if (rows.length < 2 || filled < 0.2 * sampled || rows.length > 0.5 * filled) return;
    const top = rows.slice(0, VALUES_PER_FIELD).filter((r) => r[1] >= Math.max(2, 0.02 * filled));
    if (top.length > 0) candidates.push({ field, filled, values: top });
  };
  for (const f of LEAD_FIELDS) {
    if (NOT_STARTER_FIELDS.has(f.key)) continue;
    consider(
      f.key,
      db
        .prepare(
          `SELECT CAST(${f.key} AS TEXT) v, count(*) n FROM (SELECT ${f.key} FROM leads LIMIT ?)
            WHERE trim(coalesce(${f.key}, '')) <> '' GROUP BY v ORDER BY n DESC, v`,
        )
        .raw(true)
        .all(SAMPLE) as [string, number][],
    );
  }
  const custom = new Map<string, [string, number][]>();
  for (const [k, v, n] of db
    .prepare(
      `SELECT f.name, CAST(j.value AS TEXT) v, count(*) n FROM (SELECT custom FROM leads LIMIT ?) l, ${customEntriesSql('l')}
        WHERE j.type NOT IN ('null', 'object', 'array') AND trim(CAST(j.value AS TEXT)) <> ''
        GROUP BY f.name, v ORDER BY f.name, n DESC, v`,
    )
    .raw(true)
    .iterate(SAMPLE) as IterableIterator<[string, string, number]>) {
    if (skip.has(k)) continue;
    const list = custom.get(k) ?? [];
    list.push([v, n]);
    custom.set(k, list);
  }
  const standard = candidates.length;
  for (const [k, rows] of custom) consider(`custom.${k}`, rows);
  const chosen = [
    ...candidates.slice(0, standard),
    ...candidates.slice(standard).sort((a, b) => b.filled - a.filled),
  ].slice(0, MAX_FIELDS);
  return chosen.flatMap((c, i) =>
    c.values.map(([value], j) => ({
      id: `column-${i + 1}-${j + 1}`,
      name: `${fieldLabel(c.field)} is ${value}`,
      when: { field: c.field, op: 'equals' as const, value },
      points: 0,
    })),
  );
}

/** The starter model: the default model's engagement, grades and segments, fit rules from the columns. */
export function starterModel(db: Database.Database): ScoringModel {
  const fit = starterFitRules(db);
  return {
    ...DEFAULT_MODEL,
    name: 'From your columns',
    description:
      `Fit rules for the most common values of ${new Set(fit.map((r) => (r.when as { field: string }).field)).size} of your columns, ` +
      'all at 0 points: give points to the values that make a lead a good fit, delete the rest, then preview and publish.',
    fit,
  };
}

/** Saves the starter model as a new draft; returns its id and how many fit rules it holds. */
export function createStarterDraft(db: Database.Database, now: number): { modelId: number; rules: number } {
  const model = starterModel(db);
  return { modelId: createModel(db, model.name, model, now), rules: model.fit.length };
}
