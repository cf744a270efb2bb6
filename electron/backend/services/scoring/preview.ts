/**
 * Draft preview: score the whole workspace with a candidate model, without writing, and
 * compare with the stored scores of that model (of the primary model while it has never been
 * published, see previewBaseline): a from -> to matrix of segments and of
 * grades, MQL counts, and example leads that change. Streams like the full rescore (same
 * batches, same compiled scoring, shared with the scoring helper threads the same way), so
 * it costs about the same, minus the writing.
 */
import type Database from 'better-sqlite3';
import { LEAD_LABEL_COLUMNS, leadLabel } from '../../../../shared/lead-label';
import type { ModelPreview, PreviewCell, PreviewExample } from '../../../../shared/contract';
import { compileModel, type CompiledModel, type Grade, type ScoringModel } from '../../../../shared/scoring';
import type { Job } from '../../jobs';
import {
  activitiesInRangeFlat,
  activityCursor,
  adjustmentsInRange,
  closedStages,
  leadColumnsFor,
  leadsInRange,
} from './lead-data';
import { BATCH_LEADS, batchStarts } from './rescore-batch';
import { activitiesBefore, closedPlan, measuredAt } from './closed-scores';
import type { ScoringHelpers } from './score-helpers';
import { runSharedBatches } from './shared-batches';
import { stmt } from '../../db/statements';

const NO_LEDGER = { ledger: false } as const;

type Stored = { lead_id: number; total: number; grade: string; segment: string; is_mql: number };

// Matrix cell keys: from and to joined by a separator no segment key or grade contains.
const SEP = '\u0000';
const NONE = '\u0001';

/** Matrix cells, most leads first; ties by key, so the order never depends on batch order. */
function cells<T extends string>(counts: Map<string, number>): PreviewCell<T>[] {
  return [...counts.entries()]
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([k, count]) => {
      const [from, to] = k.split(SEP).map((x) => (x === NONE ? null : x)) as [T | null, T | null];
      return { from, to, count };
    });
}

function bump(m: Map<string, number>, from: string | null, to: string | null): void {
  const k = `${from ?? NONE}${SEP}${to ?? NONE}`;
  m.set(k, (m.get(k) ?? 0) + 1);
}

type Candidate = PreviewExample & { delta: number };

/** Biggest changes first (a segment change outranks any total change), then by lead id. */
const byDelta = (a: Candidate, b: Candidate): number => b.delta - a.delta || a.leadId - b.leadId;

/** What a preview scores with: fixed when it starts, identical in every thread. */
export type PreviewSetup = Readonly<{
  modelId: number;
  /** Whose stored scores the preview compares with (see ModelPreview.comparedWith). */
  baseline: ModelPreview['comparedWith'];
  compiled: CompiledModel;
  closed: ReadonlySet<string>;
  columns: string;
  now: number;
  exampleLimit: number;
}>;

/**
 * A draft of a model never published has no scores of its own: comparing with those would show
 * every lead moving from "Not scored". What the leads show today are the primary model's scores.
 */
function previewBaseline(db: Database.Database, modelId: number): ModelPreview['comparedWith'] {
  const published = stmt(
    db,
    `SELECT id, name FROM models WHERE published_version IS NOT NULL AND (id = ? OR is_primary = 1)
      ORDER BY id = ? DESC LIMIT 1`,
  ).get(modelId, modelId) as { id: number; name: string } | undefined;
  return published ? { modelId: published.id, name: published.name } : null;
}

export function previewSetup(
  db: Database.Database,
  modelId: number,
  model: ScoringModel,
  now: number,
  exampleLimit: number,
): PreviewSetup {
  const compiled = compileModel(model);
  return {
    modelId,
    baseline: previewBaseline(db, modelId),
    compiled,
    closed: closedStages(db),
    columns: leadColumnsFor([...compiled.leadFields, ...LEAD_LABEL_COLUMNS, 'company']),
    now,
    exampleLimit,
  };
}

/** The preview of one batch: counts, matrix cells and the batch's biggest changes. */
export type PreviewBatch = {
  leads: number;
  considered: number;
  frozen: number;
  changed: number;
  mqlBefore: number;
  mqlAfter: number;
  segmentCounts: Map<string, number>;
  gradeCounts: Map<string, number>;
  /** The batch's top `exampleLimit` changes (byDelta): the overall top is among them. */
  candidates: Candidate[];
};

/** Previews the leads with ids in [fromId, toId]; reads only. */
export function previewBatch(db: Database.Database, setup: PreviewSetup, fromId: number, toId: number): PreviewBatch {
  const { compiled, closed, now } = setup;
  const leads = leadsInRange(db, fromId, toId, setup.columns);
  const out: PreviewBatch = {
    leads: leads.length,
    considered: 0,
    frozen: 0,
    changed: 0,
    mqlBefore: 0,
    mqlAfter: 0,
    segmentCounts: new Map(),
    gradeCounts: new Map(),
    candidates: [],
  };
  if (leads.length === 0) return out;
  // Leads closed in this workspace keep their score: their activities are not read. Leads
  // that arrived closed move with the model, scored at their close time (closed-scores.ts).
  const plan = closedPlan(db, leads, closed, false);
  const frozen = [...plan.frozen];
  const activitiesOf = activityCursor(activitiesInRangeFlat(db, fromId, toId, frozen));
  const adjustments = adjustmentsInRange(db, fromId, toId);
  const stored = new Map<number, Stored>();
  for (const s of stmt(
    db,
    'SELECT lead_id, total, grade, segment, is_mql FROM lead_scores WHERE model_id = ? AND lead_id BETWEEN ? AND ?',
  ).all(setup.baseline?.modelId ?? setup.modelId, fromId, toId) as Stored[])
    stored.set(s.lead_id, s);
  for (const lead of leads) {
    if (plan.frozen.has(lead.id)) {
      out.frozen++;
      continue;
    }
    out.considered++;
    const old = stored.get(lead.id) ?? null;
    const adj = adjustments.get(lead.id);
    const closedAt = plan.arrived.get(lead.id);
    const at = closedAt === undefined ? now : measuredAt(closedAt, now);
    const acts = closedAt === undefined ? activitiesOf(lead.id) : activitiesBefore(activitiesOf(lead.id), closedAt);
    const r = compiled.applies(lead, at)
      ? compiled.scoreCore(lead, acts, at, adj ? { adjustments: adj, ledger: false } : NO_LEDGER)
      : null;
    if (old?.is_mql) out.mqlBefore++;
    if (r?.isMql) out.mqlAfter++;
    bump(out.segmentCounts, old?.segment ?? null, r?.segment ?? null);
    bump(out.gradeCounts, old?.grade ?? null, r?.grade ?? null);
    const differs =
      (old === null) !== (r === null) ||
      (old !== null &&
        r !== null &&
        (old.total !== r.total ||
          old.grade !== r.grade ||
          old.segment !== r.segment ||
          (old.is_mql === 1) !== r.isMql));
    if (!differs) continue;
    out.changed++;
    if (setup.exampleLimit === 0) continue;
    out.candidates.push({
      leadId: lead.id,
      uid: lead.uid,
      name: leadLabel(lead),
      email: lead.email,
      company: lead.company,
      fromTotal: old?.total ?? null,
      toTotal: r?.total ?? null,
      fromSegment: old?.segment ?? null,
      toSegment: r?.segment ?? null,
      fromGrade: old?.grade ?? null,
      toGrade: r?.grade ?? null,
      fromMql: old?.is_mql === 1,
      toMql: r?.isMql ?? false,
      delta: Math.abs((r?.total ?? 0) - (old?.total ?? 0)) + (old?.segment !== r?.segment ? 1e6 : 0),
    });
  }
  out.candidates.sort(byDelta);
  out.candidates.length = Math.min(out.candidates.length, setup.exampleLimit);
  return out;
}

/** Previews `model` as a new version of `modelId` over the real workspace at `now`. */
export async function previewModel(
  db: Database.Database,
  modelId: number,
  model: ScoringModel,
  now: number,
  job: Job | null,
  options: Readonly<{
    exampleLimit?: number;
    batchSize?: number;
    helpers?: ScoringHelpers;
    /** Fewer leads than this are previewed on this thread alone. */
    helpersFrom?: number;
    /** Called for each batch taken (byHelper: a helper thread computed it). */
    onBatch?: (byHelper: boolean) => void;
  }> = {},
): Promise<ModelPreview> {
  const exampleLimit = options.exampleLimit ?? 20;
  const started = Date.now();
  const setup = previewSetup(db, modelId, model, now, exampleLimit);
  const total = (stmt(db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  const segmentCounts = new Map<string, number>();
  const gradeCounts = new Map<string, number>();
  let candidates: Candidate[] = [];
  let considered = 0;
  let frozen = 0;
  let changed = 0;
  let mqlBefore = 0;
  let mqlAfter = 0;
  let done = 0;
  const add = (into: Map<string, number>, from: Map<string, number>): void => {
    for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
  };
  await runSharedBatches({
    db,
    job,
    starts: batchStarts(db, options.batchSize ?? BATCH_LEADS),
    now,
    task: { kind: 'preview', modelId, model, exampleLimit },
    leads: total,
    helpers: options.helpers,
    helpersFrom: options.helpersFrom,
    compute: (from, to) => previewBatch(db, setup, from, to),
    take: (_, b, byHelper) => {
      options.onBatch?.(byHelper);
      considered += b.considered;
      frozen += b.frozen;
      changed += b.changed;
      mqlBefore += b.mqlBefore;
      mqlAfter += b.mqlAfter;
      add(segmentCounts, b.segmentCounts);
      add(gradeCounts, b.gradeCounts);
      candidates.push(...b.candidates);
      if (candidates.length > exampleLimit * 8) candidates = candidates.sort(byDelta).slice(0, exampleLimit);
      done += b.leads;
      const secs = (Date.now() - started) / 1000;
      job?.progress({
        phase: 'Previewing',
        done,
        total,
        fraction: total ? Math.min(1, done / total) : null,
        ratePerSec: secs > 0 ? done / secs : null,
      });
    },
  });
  job?.progress({ phase: 'Done', done, total, fraction: 1, ratePerSec: null, finished: true });
  const examples = candidates
    .sort(byDelta)
    .slice(0, exampleLimit)
    .map(({ delta: _delta, ...e }) => e);
  const segmentKeys = [...model.segments.bands.map((b) => b.key)];
  for (const c of [...segmentCounts.keys()].sort()) {
    const from = c.split(SEP)[0]!;
    if (from !== NONE && !segmentKeys.includes(from)) segmentKeys.push(from);
  }
  return {
    modelId,
    comparedWith: setup.baseline,
    leadsConsidered: considered,
    leadsFrozen: frozen,
    leadsChanged: changed,
    segmentKeys,
    segmentMatrix: cells<string>(segmentCounts),
    gradeMatrix: cells<Grade>(gradeCounts),
    mqlBefore,
    mqlAfter,
    examples,
    durationMs: Date.now() - started,
  };
}
