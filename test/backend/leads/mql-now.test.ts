/**
 * "MQL now" (shared/followup/definitions.ts MQL_NOW, services/leads/mql-now.ts): open leads
 * whose current score makes them MQL. On the real X Education file imported with its outcome
 * column (every fifth lead's Converted blanked: they stay open) under a model that makes every
 * lead MQL by score, the chip counts the open ones only, and its filters list exactly them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countMqlNow } from '../../../electron/backend/services/leads/mql-now';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { MQL_NOW } from '../../../shared/followup/definitions';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

/** The real file with Converted blanked on every fifth lead. */
function withOpenLeads(): { path: string; open: number } {
  const lines = readFileSync(join(REAL_DATA, 'xeducation_leads.csv'), 'utf8').split('\r\n');
  const at = lines[0]!.split(',').indexOf('Converted');
  let open = 0;
  const out = lines.map((line, i) => {
    if (i === 0 || line === '' || i % 5 !== 0) return line;
    const cells = line.split(','); // Converted comes before any quoted cell
    cells[at] = '';
    open++;
    return cells.join(',');
  });
  const path = join(tempDir(), 'xeducation-open.csv');
  writeFileSync(path, out.join('\r\n'));
  return { path, open };
}

describe('MQL now', () => {
  it('counts open leads MQL by score, not closed ones, and its filters list exactly them (X Education)', async () => {
    const file = withOpenLeads();
    const b = tempBackend();
    const imported = await b.invoke('import-run', {
      path: file.path,
      options: { kind: 'leads', outcome: { column: 'Converted', won: ['1'] } },
    });
    expect(imported.outcomes?.open).toBe(file.open);
    expect(imported.outcomes!.won + imported.outcomes!.lost).toBe(9240 - file.open);
    // A threshold every score meets: every lead is MQL by score, the closed ones included.
    await b.invoke('model-save-draft', {
      modelId: 1,
      definition: { ...DEFAULT_MODEL, mql: { threshold: -1000, minFitGrade: null } },
    });
    await b.invoke('model-publish', { modelId: 1 });
    await activeRescore(b.context.db())?.done;
    const db = b.context.db();
    const byScore = db.prepare('SELECT count(*) FROM leads WHERE is_mql = 1').pluck().get() as number;
    expect(byScore).toBe(9240);

    const counts = await b.invoke('leads-counts', {});
    expect(counts.mql).toBe(file.open);
    expect(countMqlNow(db, null)).toBe(file.open); // the SQL path says the same
    expect(counts.mqlFilters).toEqual([
      { column: 'is_mql', op: 'in', values: [1] },
      { column: 'stage', op: 'in', values: ['new', 'mql', 'sal', 'sql', 'opportunity', 'recycled'] },
    ]);
    const listed = await b.invoke('leads-query', { filters: [...counts.mqlFilters], limit: 1, withTotal: true });
    expect(listed.total).toBe(counts.mql);
    expect(MQL_NOW.help).toMatch(/^Open leads .*Won, lost and disqualified leads are not counted/);

    // A stage move closes one: it leaves the count.
    const one = listed.rows[0]!.id;
    await b.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: [one] },
      action: { kind: 'set-stage', stage: 'lost' },
    });
    expect((await b.invoke('leads-counts', {})).mql).toBe(file.open - 1);
  }, 120_000);
});
