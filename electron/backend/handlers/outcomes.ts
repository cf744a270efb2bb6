/** Handlers for outcomes: learning a model from won/lost leads and model health, as jobs. */
import type { outcomesArgs } from '../../../shared/contract/outcomes';
import { learnFromOutcomes } from '../services/outcomes/learn';
import { modelHealthReport } from '../services/outcomes/health-report';
import { createStarterDraft, modelFit } from '../services/outcomes/model-fit';
import type { HandlerGroup } from './types';

export const outcomesHandlers: HandlerGroup<keyof typeof outcomesArgs> = {
  'model-fit': (ctx) => modelFit(ctx.db()),
  'model-start-from-columns': (ctx) => {
    const created = createStarterDraft(ctx.db(), ctx.now());
    ctx.emit('data-changed', { tables: ['models'] });
    return created;
  },
  'model-learn': async (ctx, { exclude, keep, holdout, jobId }) => {
    const job = ctx.jobs.start('learn', jobId);
    try {
      return await learnFromOutcomes(ctx.db(), { exclude, keep, holdout }, ctx.now(), job, ctx.fitLearned);
    } finally {
      ctx.jobs.finish(job.id);
    }
  },
  'report-model': async (ctx, args) => {
    const job = ctx.jobs.start('learn', args.jobId);
    try {
      return await modelHealthReport(ctx.db(), args, ctx.now(), job);
    } finally {
      ctx.jobs.finish(job.id);
    }
  },
};
