/**
 * Handlers for the scoring domain: models (draft, validate, preview, publish, versions,
 * restore, JSON files, primary), rescoring jobs, explanations and manual adjustments.
 * Every write announces itself with 'data-changed' so open views refetch.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { scoringArgs } from '../../../shared/contract/scoring';
import { validateModel } from '../../../shared/scoring';
import { AppError } from '../errors';
import { explainLead } from '../services/scoring/explain';
import {
  candidateDefinition,
  createModel,
  deleteModel,
  discardDraft,
  getModel,
  listModels,
  listVersions,
  publishRevocably,
  saveDraft,
  setPrimary,
  startingDefinition,
  versionDefinition,
} from '../services/scoring/models';
import { checkModel } from '../services/scoring/model-check';
import { previewModel } from '../services/scoring/preview';
import { rescoreLeads } from '../services/scoring/rescore';
import { startFullRescore } from '../services/scoring/rescore-job';
import { autoBackup } from '../services/exchange/backup';
import type { HandlerGroup } from './types';

function readModelFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('NOT_FOUND', `Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new AppError(
      'MODEL_INVALID',
      `${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      {
        issues: [{ path: [], message: 'the file is not valid JSON' }],
      },
    );
  }
}

export const scoringHandlers: HandlerGroup<keyof typeof scoringArgs> = {
  'models-list': (ctx) => listModels(ctx.db()),
  'model-get': (ctx, { modelId }) => getModel(ctx.db(), modelId),
  'model-create': (ctx, { name, copyOf }) => {
    const db = ctx.db();
    const id = createModel(db, name, startingDefinition(db, copyOf), ctx.now());
    ctx.emit('data-changed', { tables: ['models'] });
    return getModel(db, id);
  },
  'model-delete': (ctx, { modelId }) => {
    deleteModel(ctx.db(), modelId);
    ctx.emit('data-changed', { tables: ['models', 'scores'] });
    return listModels(ctx.db());
  },
  'model-validate': (_ctx, { definition }) => {
    const r = validateModel(definition);
    return { ok: r.ok, issues: r.ok ? [] : r.issues };
  },
  'model-check': (ctx, { definition }) => {
    const r = validateModel(definition);
    if (!r.ok) return { leads: 0, rules: [], problems: r.issues.map((i) => ({ ...i, severity: 'error' as const })) };
    return checkModel(ctx.db(), r.model, definition, ctx.now());
  },
  'model-save-draft': (ctx, { modelId, definition }) => {
    const issues = saveDraft(ctx.db(), modelId, definition, ctx.now());
    ctx.emit('data-changed', { tables: ['models'] });
    return { ok: issues.length === 0, issues };
  },
  'model-discard-draft': (ctx, { modelId }) => {
    discardDraft(ctx.db(), modelId, ctx.now());
    ctx.emit('data-changed', { tables: ['models'] });
    return getModel(ctx.db(), modelId);
  },
  'model-preview': async (ctx, { modelId, definition, exampleLimit, jobId }) => {
    const db = ctx.db();
    const model = candidateDefinition(db, modelId, definition);
    const job = ctx.jobs.start('rescore', jobId);
    try {
      return await previewModel(db, modelId, model, ctx.now(), job, {
        exampleLimit: exampleLimit ?? 20,
        helpers: ctx.scoringHelpers,
      });
    } finally {
      ctx.jobs.finish(job.id);
    }
  },
  'model-publish': async (ctx, { modelId, note, definition }) => {
    const db = ctx.db();
    const model = candidateDefinition(db, modelId, definition);
    // Publishing rescores every lead: keep a copy of the workspace as it was.
    await autoBackup(ctx, 'model publish');
    const published = publishRevocably(db, modelId, model, note?.trim() || null, ctx.now());
    ctx.emit('data-changed', { tables: ['models'] });
    const run = startFullRescore(ctx, { replace: true, withdrawOnFailure: published.withdraw });
    return { modelId, version: published.version, jobId: run.jobId };
  },
  'model-versions': (ctx, { modelId }) => listVersions(ctx.db(), modelId),
  'model-restore': async (ctx, { modelId, version, note }) => {
    const db = ctx.db();
    const model = versionDefinition(db, modelId, version);
    await autoBackup(ctx, 'model restore');
    const next = publishRevocably(db, modelId, model, note?.trim() || `Restored version ${version}`, ctx.now());
    ctx.emit('data-changed', { tables: ['models'] });
    const run = startFullRescore(ctx, { replace: true, withdrawOnFailure: next.withdraw });
    return { modelId, version: next.version, jobId: run.jobId };
  },
  'model-import-json': (ctx, { path, modelId }) => {
    const db = ctx.db();
    const json = readModelFile(path);
    const v = validateModel(json);
    let id = modelId;
    if (id === undefined) {
      const named =
        typeof json === 'object' && json !== null && typeof (json as { name?: unknown }).name === 'string'
          ? (json as { name: string }).name.trim()
          : '';
      id = createModel(db, named || 'Imported model', json, ctx.now());
    } else {
      saveDraft(db, id, json, ctx.now());
    }
    ctx.emit('data-changed', { tables: ['models'] });
    return { model: getModel(db, id), issues: v.ok ? [] : v.issues };
  },
  'model-export-json': (ctx, { modelId, path, version, draft }) => {
    const db = ctx.db();
    const detail = getModel(db, modelId);
    let body: unknown;
    let exported: number | null = null;
    if (draft) {
      if (detail.draft === null) throw new AppError('NOT_FOUND', `"${detail.name}" has no draft to export.`);
      body = detail.draft;
    } else if (version !== undefined) {
      body = versionDefinition(db, modelId, version);
      exported = version;
    } else {
      if (!detail.published)
        throw new AppError('NOT_FOUND', `"${detail.name}" was never published; export its draft instead.`);
      body = detail.published;
      exported = detail.publishedVersion;
    }
    const text = `${JSON.stringify(body, null, 2)}\n`;
    try {
      writeFileSync(path, text, 'utf8');
    } catch (err) {
      throw new AppError('EXPORT_FAILED', `Cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { path, bytes: Buffer.byteLength(text), version: exported };
  },
  'model-set-primary': (ctx, { modelId }) => {
    setPrimary(ctx.db(), modelId);
    ctx.emit('data-changed', { tables: ['models', 'scores', 'leads'] });
    return listModels(ctx.db());
  },
  'scores-rescore': (ctx, { includeClosed }) => ({
    jobId: startFullRescore(ctx, { includeClosed: includeClosed ?? false }).jobId,
  }),
  'leads-rescore': (ctx, { leadIds, includeClosed }) => {
    const r = rescoreLeads(ctx.db(), leadIds, ctx.now(), { includeClosed: includeClosed ?? true });
    ctx.emit('data-changed', { tables: ['scores', 'leads'] });
    return r;
  },
  'lead-explain': (ctx, { leadId, modelId }) => explainLead(ctx.db(), leadId, modelId),
  'score-adjust': (ctx, { leadId, points, reason, actor }) => {
    const db = ctx.db();
    if (!db.prepare('SELECT 1 FROM leads WHERE id = ?').get(leadId))
      throw new AppError('NOT_FOUND', `No lead with id ${leadId}.`);
    db.prepare('INSERT INTO score_adjustments (lead_id, points, reason, actor, created_at) VALUES (?, ?, ?, ?, ?)').run(
      leadId,
      points,
      reason,
      actor ?? null,
      ctx.now(),
    );
    // A rep's adjustment is an explicit act on this lead: it rescores even a frozen one.
    rescoreLeads(db, [leadId], ctx.now(), { includeClosed: true });
    ctx.emit('data-changed', { tables: ['scores', 'leads'] });
    return explainLead(db, leadId);
  },
  'score-adjustment-delete': (ctx, { adjustmentId }) => {
    const db = ctx.db();
    const row = db.prepare('SELECT lead_id FROM score_adjustments WHERE id = ?').get(adjustmentId) as
      { lead_id: number } | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No score adjustment with id ${adjustmentId}.`);
    db.prepare('DELETE FROM score_adjustments WHERE id = ?').run(adjustmentId);
    rescoreLeads(db, [row.lead_id], ctx.now(), { includeClosed: true });
    ctx.emit('data-changed', { tables: ['scores', 'leads'] });
    return explainLead(db, row.lead_id);
  },
};
