/** Handlers for the import domain: inspect, preview, run, undo, history, errors, mappings, samples. */
import type { importArgs } from '../../../shared/contract/import';
import { exportImportErrors, listImportErrors, listImports, previewImport } from '../services/import/history';
import { listMappings, saveMapping } from '../services/import/mappings';
import { inspectImport } from '../services/import/plan';
import { runImport, undoImport } from '../services/import/run';
import { loadSample } from '../services/import/samples';
import type { HandlerGroup } from './types';

export const importHandlers: HandlerGroup<keyof typeof importArgs> = {
  'import-inspect': (ctx, { path, kind, ...read }) => {
    const db = ctx.db();
    // The wizard's first look at a file: a big one's import will read it on the read thread,
    // which starts now (services/import/read-threads.ts), not when the import does.
    ctx.importReader.prepare(path);
    return inspectImport(db, path, read, kind);
  },
  'import-profile': (ctx, { path, ...read }) => {
    ctx.db();
    return ctx.profiler.profile(path, read);
  },
  'import-preview': (ctx, { path, options, limit }) => previewImport(ctx.db(), path, options, limit),
  'import-run': (ctx, { path, options, jobId }) => runImport(ctx, path, options, jobId),
  'import-undo': (ctx, { importId }) => undoImport(ctx, importId),
  'imports-list': (ctx, { limit }) => listImports(ctx.db(), limit),
  'import-errors': (ctx, { importId, offset, limit }) => listImportErrors(ctx.db(), importId, offset, limit),
  'import-errors-export': (ctx, { importId, path }) => exportImportErrors(ctx.db(), importId, path),
  'mappings-list': (ctx, { headerSignature }) => listMappings(ctx.db(), headerSignature),
  'mapping-save': (ctx, { name, headers, settings }) => saveMapping(ctx.db(), name, headers, settings, ctx.now()),
  'sample-load': (ctx, { id }) => loadSample(ctx, id),
};
