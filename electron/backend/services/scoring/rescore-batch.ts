/**
 * One batch of a full rescore, the read-only half: the leads of an id range, their
 * activities, adjustments and stored scores are read, every published model is applied, and
 * what must change comes back as plain data (no writes). The backend thread and the scoring
 * helper threads run this same function over their share of the batches; only the backend
 * thread writes what they return (see full-rescore.ts).
 */
import type Database from 'better-sqlite3';
import type { ScoreAdjustment, ScoreCore } from '../../../../shared/scoring';
import type { Activity, Lead } from '../../../../shared/domain';
import {
  activitiesInRangeFlat,
  activityCursor,
  adjustmentsInRange,
  closedStages,
  leadColumnsFor,
  leadsInRange,
} from './lead-data';
import { publishedModels, type PublishedModel } from './models';
import { activitiesBefore, closedPlan, measuredAt } from './closed-scores';
import { stmt } from '../../db/statements';
import { LEAD_SCORE_COLUMNS } from '../../../../shared/domain';

/** What a full rescore scores with: fixed when it starts, identical in every thread. */
export type ScoringSetup = Readonly<{
  models: readonly PublishedModel[];
  primary: PublishedModel | null;
  closed: ReadonlySet<string>;
  columns: string;
  now: number;
  includeClosed: boolean;
}>;

export function scoringSetup(db: Database.Database, now: number, includeClosed: boolean): ScoringSetup {
  const models = publishedModels(db);
  return {
    models,
    primary: models.find((m) => m.isPrimary) ?? null,
    closed: closedStages(db),
    columns: leadColumnsFor(models.flatMap((m) => [...m.compiled.leadFields])),
    now,
    includeClosed,
  };
}

/** Model id and version of every model a setup scores with, to check two threads agree. */
export function setupSignature(setup: ScoringSetup): string {
  return setup.models.map((m) => `${m.id}:${m.version}${m.isPrimary ? '*' : ''}`).join(',');
}

/**
 * A lead_scores row as staged, then two things worked out here so the swap needs no join
 * (and the backend thread holds nothing per lead in memory) to find them: 1 when what the
 * user sees changed (total, grade, segment or MQL: a score history entry), and for the
 * primary model which lead-row columns change (see leadColumnMask; 0 for other models).
 */
export type StagedRow = [...ScoreRowValues, changed: 0 | 1, leadMask: number];

/** A lead_scores row from lead_id to ledger (see scoreRowValues). */
export type ScoreRowValues = [
  leadId: number,
  modelId: number,
  version: number,
  fit: number,
  engagement: number,
  total: number,
  grade: string,
  segment: string,
  isMql: number,
  suppressedReason: string | null,
  ledger: string,
];

/** The lead_scores columns the lead row mirrors, in LEAD_SCORE_COLUMNS order. */
const MIRRORED = ['total', 'fit', 'engagement', 'grade', 'segment', 'is_mql', 'suppressed_reason'] as const;

/** The staged lead_scores column each lead-row column takes its value from. */
export const LEAD_COLUMN_SOURCES = [...MIRRORED, 'scored_at'] as const;

/**
 * The conflict clause of every write of lead_scores rows (the staged save's and the
 * incremental rescore's): an upsert, not INSERT OR REPLACE, which deletes and re-inserts the
 * row (about five times a plain insert's cost); the upsert rewrites it in place.
 */
export const LEAD_SCORES_UPSERT = `ON CONFLICT (lead_id, model_id) DO UPDATE SET model_version = excluded.model_version,
  fit = excluded.fit, engagement = excluded.engagement, total = excluded.total, grade = excluded.grade,
  segment = excluded.segment, is_mql = excluded.is_mql, suppressed_reason = excluded.suppressed_reason,
  ledger = excluded.ledger, scored_at = excluded.scored_at`;

/**
 * Which lead-row columns a new primary result changes against the stored row (all when
 * there is none): an UPDATE rewrites the index entries of every column it sets, so the save
 * leaves out unchanged columns that have an index of their own (save-staged.ts). scored_at
 * always changes. Bit c of the mask is column c of LEAD_SCORE_COLUMNS.
 */
function leadColumnMask(o: StoredRow | undefined, r: ScoreCore): number {
  if (!o) return (1 << LEAD_SCORE_COLUMNS.length) - 1;
  const now = [r.total, r.fit, r.engagement, r.grade, r.segment, r.isMql ? 1 : 0, r.suppressedReason] as const;
  let mask = 1 << (LEAD_SCORE_COLUMNS.length - 1);
  for (let c = 0; c < MIRRORED.length; c++) if (o[MIRRORED[c]!] !== now[c]) mask |= 1 << c;
  return mask;
}

/**
 * A stored score that the new model version gives again exactly (numbers, flags and ledger):
 * only its model_version is written; the row keeps its scored_at and the lead row is not
 * touched (see sameResult).
 */
export type VersionRow = [leadId: number, modelId: number, version: number];

export type BatchResult = {
  /** Leads in the batch. */
  leads: number;
  scored: number;
  /** Of `scored`, leads that arrived closed (closed-scores.ts). */
  arrivedClosed: number;
  frozen: number;
  /** Scores that differ from the stored ones. */
  staged: StagedRow[];
  /** Stored scores that only move to the model's new version. */
  versions: VersionRow[];
  /** [lead, model] scores to delete: the model no longer applies, or is no longer published. */
  drops: [number, number][];
};

export type StoredRow = {
  lead_id: number;
  model_id: number;
  model_version: number;
  fit: number;
  engagement: number;
  total: number;
  grade: string;
  segment: string;
  is_mql: number;
  suppressed_reason: string | null;
  /** Null when the row is of another model version (see storedByLead). */
  ledger: string | null;
};

type OldScore = Pick<StoredRow, 'total' | 'grade' | 'segment' | 'is_mql'>;

/** Whether a stored score differs from a new result in what the user sees. */
export function scoreChanged(old: OldScore | undefined, r: ScoreCore): boolean {
  return (
    !old ||
    old.total !== r.total ||
    old.grade !== r.grade ||
    old.segment !== r.segment ||
    old.is_mql !== (r.isMql ? 1 : 0)
  );
}

/** A lead_scores row's values, from lead_id to ledger, for a result (scored_at is the caller's). */
export function scoreRowValues(
  leadId: number,
  model: Pick<PublishedModel, 'id' | 'version'>,
  r: ScoreCore,
  ledger: string,
): ScoreRowValues {
  const mql = r.isMql ? 1 : 0;
  return [
    leadId,
    model.id,
    model.version,
    r.fit,
    r.engagement,
    r.total,
    r.grade,
    r.segment,
    mql,
    r.suppressedReason,
    ledger,
  ];
}

/** Whether a stored row already holds exactly this result (numbers, flags and ledger) under this version. */
export function sameStored(o: StoredRow, version: number, r: ScoreCore, ledger: string): boolean {
  return o.model_version === version && sameNumbers(o, r) && o.ledger === ledger;
}

/**
 * Whether a stored row of another version of the model holds exactly this result: then only
 * its model_version changes. Like an identical row of the same version (sameStored), it
 * keeps its scored_at, so the lead row mirroring it is not written and gets no history
 * entry: after a publish, only the leads the change moved are rewritten (the rest of a full
 * rescore's save was every open lead's row and its entry in the grid's score index,
 * for scored_at alone). `storedLedger` is the stored row's ledger (storedByLead leaves it
 * out of rows of another version), asked for only when the numbers agree.
 */
export function sameResult(o: StoredRow, r: ScoreCore, ledger: string, storedLedger: () => string | null): boolean {
  return sameNumbers(o, r) && (o.ledger ?? storedLedger()) === ledger;
}

function sameNumbers(o: StoredRow, r: ScoreCore): boolean {
  return (
    o.total === r.total &&
    o.fit === r.fit &&
    o.engagement === r.engagement &&
    o.grade === r.grade &&
    o.segment === r.segment &&
    o.is_mql === (r.isMql ? 1 : 0) &&
    o.suppressed_reason === r.suppressedReason
  );
}

/** A lead_scores row as storedByLead reads it (raw), in StoredRow's key order. */
type StoredTuple = [
  number,
  number,
  number,
  number,
  number,
  number,
  string,
  string,
  number,
  string | null,
  string | null,
];

/**
 * The SQL test "this row is of a model version being scored", and its parameters: one
 * (model_id, model_version) pair per model, compared as integers. (A string key looked up in
 * a json_each list cost about as much as reading the rest of the row.)
 */
function currentVersionTest(setup: ScoringSetup): { sql: string; params: number[] } {
  if (setup.models.length === 0) return { sql: '0', params: [] };
  return {
    sql: setup.models.map(() => '(model_id = ? AND model_version = ?)').join(' OR '),
    params: setup.models.flatMap((m) => [m.id, m.version]),
  };
}

/**
 * The stored scores of the leads with ids in [fromId, toId] except `skip`, by lead. A row
 * of a model version other than the one being scored comes without its ledger (null): it
 * cannot be kept as it is (sameStored) whatever the ledger says, and after a publish that is
 * nearly every row, so their ledgers, the bulk of the table, are not read at all. Read as
 * raw rows and turned into objects here: the driver's keyed objects cost twice the read.
 */
function storedByLead(
  db: Database.Database,
  setup: ScoringSetup,
  fromId: number,
  toId: number,
  skip: readonly number[],
): Map<number, StoredRow[]> {
  const current = currentVersionTest(setup);
  const columns = `lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason,
                   iif(${current.sql}, ledger, NULL) AS ledger`;
  const range = `SELECT ${columns} FROM lead_scores WHERE lead_id BETWEEN ? AND ?`;
  const rows = (
    skip.length === 0
      ? stmt(db, range)
          .raw(true)
          .all(...current.params, fromId, toId)
      : stmt(db, `${range} AND lead_id NOT IN (SELECT value FROM json_each(?))`)
          .raw(true)
          .all(...current.params, fromId, toId, JSON.stringify(skip))
  ) as StoredTuple[];
  const out = new Map<number, StoredRow[]>();
  for (const r of rows) {
    const row: StoredRow = {
      lead_id: r[0],
      model_id: r[1],
      model_version: r[2],
      fit: r[3],
      engagement: r[4],
      total: r[5],
      grade: r[6],
      segment: r[7],
      is_mql: r[8],
      suppressed_reason: r[9],
      ledger: r[10],
    };
    const list = out.get(row.lead_id);
    if (list) list.push(row);
    else out.set(row.lead_id, [row]);
  }
  return out;
}

/** Scores the leads with ids in [fromId, toId] under every model of the setup; reads only. */
export function scoreBatch(db: Database.Database, setup: ScoringSetup, fromId: number, toId: number): BatchResult {
  const leads = leadsInRange(db, fromId, toId, setup.columns);
  const result: BatchResult = {
    leads: leads.length,
    scored: 0,
    arrivedClosed: 0,
    frozen: 0,
    staged: [],
    versions: [],
    drops: [],
  };
  if (leads.length === 0) return result;
  // Leads closed in this workspace keep the score they closed with: nothing of theirs is
  // read. Leads that arrived closed are scored as they stood when they closed (closed-scores.ts).
  const plan = closedPlan(db, leads, setup.closed, setup.includeClosed);
  const frozen = [...plan.frozen];
  const activitiesOf = activityCursor(activitiesInRangeFlat(db, fromId, toId, frozen));
  const adjustments = adjustmentsInRange(db, fromId, toId);
  const stored = storedByLead(db, setup, fromId, toId, frozen);
  const ledgerOf = stmt(db, 'SELECT ledger FROM lead_scores WHERE lead_id = ? AND model_id = ?').pluck();
  const storedLedger = (leadId: number, modelId: number): string | null =>
    (ledgerOf.get(leadId, modelId) as string | undefined) ?? null;
  for (const lead of leads) {
    if (plan.frozen.has(lead.id)) {
      result.frozen++;
      continue;
    }
    result.scored++;
    const closedAt = plan.arrived.get(lead.id);
    const acts = activitiesOf(lead.id);
    if (closedAt !== undefined) result.arrivedClosed++;
    scoreLeadInto(
      setup,
      lead,
      closedAt === undefined ? acts : activitiesBefore(acts, closedAt),
      adjustments.get(lead.id),
      stored.get(lead.id),
      result,
      storedLedger,
      closedAt === undefined ? setup.now : measuredAt(closedAt, setup.now),
    );
  }
  return result;
}

/**
 * Scores one lead under every model of the setup against its stored scores (`old`;
 * none for a lead the import is writing: services/import/score-in-pass.ts) at time `at`
 * (the setup's `now`; for a lead that arrived closed, its close time): the results
 * that differ from them are added to `into.staged`, those that only move to the model's new
 * version to `into.versions` (sameResult; `storedLedger` reads a stored row's ledger), the
 * scores to delete to `into.drops`.
 */
export function scoreLeadInto(
  setup: ScoringSetup,
  lead: Lead,
  acts: readonly Activity[],
  adj: readonly ScoreAdjustment[] | undefined,
  old: readonly StoredRow[] | undefined,
  into: Pick<BatchResult, 'staged' | 'versions' | 'drops'>,
  storedLedger?: (leadId: number, modelId: number) => string | null,
  at: number = setup.now,
): void {
  const { models, primary } = setup;
  for (const m of models) {
    const o = old?.find((x) => x.model_id === m.id);
    if (!m.compiled.applies(lead, at)) {
      if (o) into.drops.push([lead.id, m.id]);
      continue;
    }
    const r = m.compiled.scoreCore(lead, acts, at, adj ? { adjustments: adj } : undefined);
    const ledger = JSON.stringify(r.compact);
    if (o && sameStored(o, m.version, r, ledger)) continue;
    if (o && storedLedger && sameResult(o, r, ledger, () => storedLedger(lead.id, m.id))) {
      into.versions.push([lead.id, m.id, m.version]);
      continue;
    }
    into.staged.push([
      ...scoreRowValues(lead.id, m, r, ledger),
      scoreChanged(o, r) ? 1 : 0,
      m === primary ? leadColumnMask(o, r) : 0,
    ]);
  }
  // Scores of models that are no longer published.
  if (old) for (const o of old) if (!models.some((m) => m.id === o.model_id)) into.drops.push([lead.id, o.model_id]);
}

/**
 * Leads per batch of a whole-workspace pass. Small on purpose: a batch's rows and objects
 * then die young in V8's nursery instead of being promoted and piling up as old garbage
 * (2,000-lead batches cost ~100 MB more peak memory on a 100k-lead rescore, at no gain in
 * speed), and a batch scored on the backend thread is the longest it serves nothing while
 * scoring: 10,000 leads with 100,000 activities at load ~10, longest stall 430-578 ms with
 * 250-lead batches (the first ones, before the scoring code is optimized), 204-270 ms with
 * 100, the whole rescore no slower.
 */
export const BATCH_LEADS = 100;

/** The last lead id batch `index` covers (see batchStarts). */
export function batchEnd(starts: readonly number[], index: number): number {
  return index + 1 < starts.length ? starts[index + 1]! - 1 : Number.MAX_SAFE_INTEGER;
}

/**
 * The first lead id of every batch of `size` leads, in id order: the batches a full rescore
 * hands out. Batch i covers ids from starts[i] up to starts[i + 1] - 1 (the last one, to the end).
 */
export function batchStarts(db: Database.Database, size: number): number[] {
  // Every lead id in key order (the table's own B-tree, no sort) and every size-th kept: a
  // row_number() window over the same ids took several times as long, all in one call.
  const ids = stmt(db, 'SELECT id FROM leads ORDER BY id').pluck().all() as number[];
  const starts: number[] = [];
  for (let i = 0; i < ids.length; i += size) starts.push(ids[i]!);
  return starts;
}
