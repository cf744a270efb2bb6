/**
 * Learning runs in the backend as a job: it reports progress through its phases and a
 * cancel stops it (CANCELLED, nothing saved). Real file: X Education with its outcome.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/contract';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

describe('model-learn as a job', () => {
  it('reports progress through reading, fitting and measuring, and stops when cancelled', async () => {
    const progress: JobProgress[] = [];
    let cancelAt: string | null = null;
    const b = tempBackend({
      emit: (name, payload) => {
        if (name !== 'job-progress') return;
        const p = payload as JobProgress;
        progress.push(p);
        if (cancelAt !== null && p.jobId === cancelAt && p.phase === 'Fitting')
          void b.invoke('job-cancel', { jobId: cancelAt });
      },
    });
    const path = join(tempDir(), 'xe.csv');
    copyFileSync(join(REAL_DATA, 'xeducation_leads.csv'), path);
    await b.invoke('import-run', {
      path,
      options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
    });

    const report = await b.invoke('model-learn', { jobId: 'learn-1', exclude: ['Tags', 'Lead Quality'] });
    expect(report.model.fit.length).toBeGreaterThan(10);
    const phases = progress.filter((p) => p.jobId === 'learn-1').map((p) => p.phase);
    expect(phases).toContain('Reading closed leads');
    expect(phases).toContain('Fitting');
    expect(phases).toContain('Measuring on held-out leads');
    expect(phases.at(-1)).toBe('Done');

    cancelAt = 'learn-2';
    const models = (await b.invoke('models-list', {})).length;
    await expect(b.invoke('model-learn', { jobId: 'learn-2' })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(progress.filter((p) => p.jobId === 'learn-2').map((p) => p.phase)).not.toContain('Done');
    expect((await b.invoke('models-list', {})).length).toBe(models);
  }, 180_000);
});
