/**
 * Draft preview: score the whole workspace with a candidate model, without writing, and
 * compare with the stored scores of that model: a from -> to matrix of segments and of
 * grades, MQL counts, and example leads that change. Streams like the full rescore (same
 * batches, same compiled scoring) so it costs about the same.
 */
import type Database from 'better-sqlite3';
import type { ModelPreview, PreviewCell, PreviewExample } from '../../../../shared/contract';
import { compileModel, type Grade, type ScoringModel } from '../../../../shared/scoring';
import type { Job } from '../../jobs';
import { yieldToEventLoop } from '../../jobs';
import {
  activitiesInRangeFlat,
  activityCursor,
  adjustmentsInRange,
  closedStages,
  leadColumnsFor,
  leadsAfter,
} from './lead-data';
import { stmt } from './statements';

const NO_LEDGER = { ledger: false } as const;

type Stored = { lead_id: number; total: number; grade: string; segment: string; is_mql: number };

// Matrix cell keys: from and to joined by a separator no segment key or grade contains.
const SEP = '\u0000';
const NONE = '\u0001';

function cells<T extends string>(counts: Map<string, number>): PreviewCell<T>[] {
  return [...counts.entries()]
    .map(([k, count]) => {
      const [from, to] = k.split(SEP).map((x) => (x === NONE ? null : x)) as [T | null, T | null];
      return { from, to, count };
    })
    .sort((a, b) => b.count - a.count);
}

function bump(m: Map<string, number>, from: string | null, to: string | null): void {
  const k = `${from ?? NONE}${SEP}${to ?? NONE}`;
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** Previews `model` as a new version of `modelId` over the real workspace at `now`. */
export async function previewModel(
  db: Database.Database,
  modelId: number,
  model: ScoringModel,
  now: number,
  job: Job | null,
  exampleLimit = 20,
  batchSize = 2000,
): Promise<ModelPreview> {
  const started = Date.now();
  const compiled = compileModel(model);
  const closed = closedStages(db);
  const columns = leadColumnsFor([...compiled.leadFields, 'first_name', 'last_name', 'company']);
  const total = (stmt(db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  const storedIn = stmt(
    db,
    'SELECT lead_id, total, grade, segment, is_mql FROM lead_scores WHERE model_id = ? AND lead_id BETWEEN ? AND ?',
  );
  const segmentCounts = new Map<string, number>();
  const gradeCounts = new Map<string, number>();
  const candidates: (PreviewExample & { delta: number })[] = [];
  let considered = 0;
  let frozen = 0;
  let changed = 0;
  let mqlBefore = 0;
  let mqlAfter = 0;
  let afterId = 0;
  let done = 0;
  for (;;) {
    job?.checkCancelled();
    const leads = leadsAfter(db, afterId, batchSize, columns);
    if (leads.length === 0) break;
    const first = leads[0]!.id;
    const last = leads[leads.length - 1]!.id;
    const activitiesOf = activityCursor(activitiesInRangeFlat(db, first, last));
    const adjustments = adjustmentsInRange(db, first, last);
    const stored = new Map<number, Stored>();
    for (const s of storedIn.all(modelId, first, last) as Stored[]) stored.set(s.lead_id, s);
    for (const lead of leads) {
      if (closed.has(lead.stage)) {
        frozen++;
        continue;
      }
      considered++;
      const old = stored.get(lead.id) ?? null;
      const adj = adjustments.get(lead.id);
      const r = compiled.applies(lead)
        ? compiled.scoreCore(lead, activitiesOf(lead.id), now, adj ? { adjustments: adj, ledger: false } : NO_LEDGER)
        : null;
      if (old?.is_mql) mqlBefore++;
      if (r?.isMql) mqlAfter++;
      bump(segmentCounts, old?.segment ?? null, r?.segment ?? null);
      bump(gradeCounts, old?.grade ?? null, r?.grade ?? null);
      const differs =
        (old === null) !== (r === null) ||
        (old !== null &&
          r !== null &&
          (old.total !== r.total ||
            old.grade !== r.grade ||
            old.segment !== r.segment ||
            (old.is_mql === 1) !== r.isMql));
      if (!differs) continue;
      changed++;
      const delta = Math.abs((r?.total ?? 0) - (old?.total ?? 0)) + (old?.segment !== r?.segment ? 1e6 : 0);
      if (
        exampleLimit > 0 &&
        (candidates.length < exampleLimit * 4 || delta > candidates[candidates.length - 1]!.delta)
      ) {
        candidates.push({
          leadId: lead.id,
          uid: lead.uid,
          name: [lead.first_name, lead.last_name].filter(Boolean).join(' ') || lead.email || lead.uid,
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
          delta,
        });
        if (candidates.length > exampleLimit * 8) {
          candidates.sort((a, b) => b.delta - a.delta || a.leadId - b.leadId);
          candidates.length = exampleLimit * 4;
        }
      }
    }
    afterId = last;
    done += leads.length;
    const secs = (Date.now() - started) / 1000;
    job?.progress({
      phase: 'Previewing',
      done,
      total,
      fraction: total ? Math.min(1, done / total) : null,
      ratePerSec: secs > 0 ? done / secs : null,
    });
    await yieldToEventLoop();
  }
  job?.progress({ phase: 'Done', done, total, fraction: 1, ratePerSec: null, finished: true });
  candidates.sort((a, b) => b.delta - a.delta || a.leadId - b.leadId);
  const examples = candidates.slice(0, exampleLimit).map(({ delta: _delta, ...e }) => e);
  const segmentKeys = [...model.segments.bands.map((b) => b.key)];
  for (const c of segmentCounts.keys()) {
    const from = c.split(SEP)[0]!;
    if (from !== NONE && !segmentKeys.includes(from)) segmentKeys.push(from);
  }
  return {
    modelId,
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
