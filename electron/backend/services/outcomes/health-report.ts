/**
 * Model health over the closed leads: the published model (primary unless another is
 * named) or a given definition (a draft, a model file), optionally for leads closed within
 * a period. The numbers come from shared/learn/health, the same for the screen and the CLI.
 */
import type Database from 'better-sqlite3';
import type { ModelHealthReport } from '../../../../shared/contract';
import { modelHealth } from '../../../../shared/learn/health';
import type { ScoringModel } from '../../../../shared/scoring';
import { AppError } from '../../errors';
import type { Job } from '../../jobs';
import { primaryModelId, requireValidModel, versionDefinition } from '../scoring/models';
import { closedLeads, evaluateLeads } from './evaluate';

export type HealthRequest = Readonly<{
  modelId?: number | undefined;
  definition?: unknown;
  from?: number | undefined;
  to?: number | undefined;
}>;

/** The model a health request measures, with its published version (null for a given definition). */
function requestedModel(db: Database.Database, req: HealthRequest): { model: ScoringModel; version: number | null } {
  if (req.definition !== undefined) return { model: requireValidModel(req.definition), version: null };
  const modelId = req.modelId ?? primaryModelId(db);
  if (modelId === null) throw new AppError('NOT_FOUND', 'The workspace has no primary scoring model.');
  const row = db.prepare('SELECT name, published_version FROM models WHERE id = ?').get(modelId) as
    { name: string; published_version: number | null } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No scoring model with id ${modelId}.`);
  if (row.published_version === null)
    throw new AppError('VALIDATION', `"${row.name}" was never published: measure its draft with a model file instead.`);
  return { model: versionDefinition(db, modelId, row.published_version), version: row.published_version };
}

export async function modelHealthReport(
  db: Database.Database,
  req: HealthRequest,
  now: number,
  job: Job | null,
): Promise<ModelHealthReport> {
  const { model, version } = requestedModel(db, req);
  const closed = closedLeads(db, { from: req.from, to: req.to });
  const ids = closed.ids;
  job?.progress({ phase: 'Scoring closed leads', done: 0, total: ids.length, fraction: 0, ratePerSec: null });
  const [evaluated] = await evaluateLeads(db, [model], closed, now, job, (done) =>
    job?.progress({
      phase: 'Scoring closed leads',
      done,
      total: ids.length,
      fraction: ids.length ? done / ids.length : 1,
      ratePerSec: null,
    }),
  );
  job?.progress({ phase: 'Done', done: ids.length, total: ids.length, fraction: 1, ratePerSec: null, finished: true });
  return {
    modelName: model.name,
    version,
    from: req.from ?? null,
    to: req.to ?? null,
    health: modelHealth(
      evaluated!,
      model.segments.bands.map((b) => b.key),
    ),
    segmentLabels: Object.fromEntries(model.segments.bands.map((b) => [b.key, b.label])),
  };
}
