/**
 * Loading a sample dataset: each of its files goes through the same engine as a user's
 * import, with the suggested mapping (plus the sample's identity key column) and
 * placeholder values ("Select") treated as blank.
 */
import type { ImportSummary } from '../../../../shared/contract';
import type { BackendContext } from '../../context';
import { AppError } from '../../errors';
import { findSampleFile, SAMPLES } from '../samples';
import { inspectImport } from './plan';
import { runImport } from './run';

export async function loadSample(ctx: BackendContext, id: string): Promise<{ id: string; imports: ImportSummary[] }> {
  const sample = SAMPLES.find((s) => s.id === id);
  if (!sample) throw new AppError('NOT_FOUND', `There is no sample dataset "${id}".`);
  const paths = sample.files.map((f) => ({ ...f, path: findSampleFile(ctx.sampleDirs, f.file) }));
  const missing = paths.filter((p) => p.path === null).map((p) => p.file);
  if (missing.length) {
    throw new AppError(
      'SAMPLE_MISSING',
      `The sample "${sample.label}" is not installed (missing ${missing.join(', ')}).`,
    );
  }
  const imports: ImportSummary[] = [];
  for (const f of paths) {
    const path = f.path as string;
    const inspected = await inspectImport(ctx.db(), path, {}, f.kind);
    const mapping = { ...inspected.mapping };
    if (f.keyColumn) {
      for (const [h, t] of Object.entries(mapping)) if (t === 'key') mapping[h] = 'custom';
      mapping[f.keyColumn] = 'key';
    }
    imports.push(await runImport(ctx, path, { kind: f.kind, mapping, blankPlaceholders: true, update: 'fill' }));
  }
  return { id, imports };
}
