/**
 * An XLSX of 200,000 rows imported under a memory cap (issue 15): the workbook is streamed
 * (xlsx-stream.ts), so the import's peak memory does not grow with the sheet. SheetJS, which
 * read the whole workbook first, needed about 600 MB for these rows (and 812 MB for the
 * bench's 200,000 leads), more than this child's heap may hold.
 *
 * The import runs in a child process with a capped V8 heap; the kernel's record of its peak
 * resident memory (maxRSS) must stay under the cap too. The rows are activities of 1,000
 * leads, each with a text of its own, so the shared-string table holds 200,000+ strings.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeXlsxFile } from '../../bench/xlsx-file';
import { REPO_ROOT, tempDir } from '../helpers';

const ROWS = 200_000;
const HEAP_CAP_MB = 192;
const RSS_CAP_MB = 400;
const TYPES = ['Page Visit', 'Email Open', 'Email Click', 'Form Submit'] as const;

describe('XLSX import memory', () => {
  it(`imports ${ROWS.toLocaleString('en-US')} rows in a process whose memory is capped`, () => {
    const dir = tempDir();
    const file = join(dir, 'activities.xlsx');
    const start = Date.UTC(2026, 0, 1);
    writeXlsxFile(file, 'Activities', ['Email', 'Type', 'Occurred At', 'Asset'], ROWS, (i) => [
      `lead${i % 1000}@acme.example`,
      TYPES[i % TYPES.length]!,
      { date: start + i * 60_000 },
      `/docs/page-${i}`,
    ]);
    const child = spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_CAP_MB}`,
        '--import',
        'tsx',
        join(import.meta.dirname, 'xlsx-memory-child.ts'),
        join(dir, 'memory.leadbench'),
        file,
        'activities',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    expect(child.stderr, 'the child failed').toBe('');
    expect(child.status).toBe(0);
    const { summary, peakRssMB } = JSON.parse(child.stdout) as {
      summary: { rowsTotal: number; activitiesInserted: number; errors: number; leadsCreated: number };
      peakRssMB: number;
    };
    expect(summary).toMatchObject({ rowsTotal: ROWS, activitiesInserted: ROWS, errors: 0, leadsCreated: 1000 });
    expect(peakRssMB).toBeLessThan(RSS_CAP_MB);
  });
});
