/**
 * One definition of the identity fields: learning leaves a company name out just as the
 * starter model does, even when a few companies hold many leads and decide their outcome.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempBackend, tempDir } from '../helpers';

describe('identity fields', () => {
  it('learning makes no rule on the company name, like the starter model', async () => {
    const rows = ['Email,Company,Country,Converted'];
    for (let i = 0; i < 240; i++) {
      const company = ['Acme', 'Beta', 'Gamma'][i % 3]!;
      const won = company === 'Acme' ? i % 4 !== 0 : i % 4 === 0;
      rows.push(`lead${i}@mail${i}.test,${company},${['India', 'France'][i % 2]},${won ? 1 : 0}`);
    }
    const path = join(tempDir(), 'companies.csv');
    writeFileSync(path, rows.join('\n'));
    const b = tempBackend();
    await b.invoke('import-run', {
      path,
      options: { kind: 'leads', outcome: { column: 'Converted', won: ['1'] } },
    });
    const report = await b.invoke('model-learn', { jobId: 'learn-identity' });
    const fields = report.fields.map((f) => f.field);
    expect(fields).toContain('country');
    expect(fields).not.toContain('company');
    expect(report.model.fit.some((r) => JSON.stringify(r.when).includes('"company"'))).toBe(false);
  }, 60_000);
});
