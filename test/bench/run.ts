/**
 * `npm run bench`: generates deterministic data, measures import, rescoring, the leads grid
 * and export against their bare limits in the same run, prints a table and writes
 * test/bench/results.json. Benchmarks, not tests: nothing here fails on a slow machine.
 *
 * BENCH_SCALE (default 1) shrinks or grows every dataset, e.g. BENCH_SCALE=0.1 for a
 * quick look. BENCH_ONLY=import,leadimport,bigfile,xlsx,rescore,leads,export,cli,wizard,learn picks parts; the parts not run keep
 * their figures from the previous results.json (each part records when it ran), so a
 * partial run refreshes what it measured without erasing the rest.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { benchBigFile } from './big-file-bench';
import { benchCli } from './cli-bench';
import { benchExport } from './export-bench';
import { benchImport } from './import-bench';
import { benchLeadImport } from './lead-import-bench';
import { benchLeads } from './leads-bench';
import { benchLearn } from './learn-bench';
import { benchRescore } from './rescore-bench';
import { benchWizard } from './wizard-bench';
import { benchXlsx } from './xlsx-bench';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const only = new Set(
  (process.env.BENCH_ONLY ?? 'import,leadimport,bigfile,xlsx,rescore,leads,export,cli,wizard,learn').split(','),
);
const n = (base: number): number => Math.max(1, Math.round(base * scale));

type Section = Record<string, number>;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'leadbench-bench-'));
  const sections: Record<string, Section> = {};
  const started = Date.now();
  try {
    const parts: [string, () => Promise<Section>][] = [
      ['import', () => benchImport({ dir: join(root, 'import'), leads: n(100_000), activities: n(1_000_000) })],
      [
        'leadimport',
        () =>
          benchLeadImport({
            dir: join(root, 'leadimport'),
            leads: n(100_000),
            bigLeads: process.env.BENCH_SKIP_1M === '1' ? null : n(1_000_000),
          }),
      ],
      ['bigfile', () => benchBigFile({ dir: join(root, 'bigfile'), scale })],
      ['xlsx', () => benchXlsx({ dir: join(root, 'xlsx'), rows: n(200_000) })],
      ['rescore', () => benchRescore({ dir: join(root, 'rescore'), leads: n(100_000), activitiesPerLead: 10 })],
      ['leads', () => benchLeads({ dir: join(root, 'leads'), leads: n(1_000_000), activities: n(5_000_000) })],
      ['export', () => benchExport({ dir: join(root, 'export'), leads: n(1_000_000) })],
      ['cli', () => benchCli({ runs: 20 })],
      ['wizard', () => benchWizard({ runs: Number(process.env.BENCH_WIZARD_RUNS ?? '3') })],
      ['learn', () => benchLearn({ dir: join(root, 'learn'), leads: n(100_000), activitiesPerLead: 10 })],
    ];
    for (const [name, run] of parts) {
      if (!only.has(name)) continue;
      console.log(`\n--- ${name} ---`);
      const t0 = Date.now();
      const figures = await run();
      console.log(`(${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(42)} ${format(v)}`);
      sections[name] = { ...figures, ranAt: Date.now() };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const out = resolve(import.meta.dirname, 'results.json');
  const previous = readPrevious(out, scale);
  for (const [name, section] of Object.entries(previous)) sections[name] ??= section;
  const results = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    scale,
    importRatio: sections.import?.importRatio ?? null,
    rescoreRatio: sections.rescore?.rescoreRatio ?? null,
    leadImportRatio: sections.leadimport?.leadImportRatio ?? null,
    leadImport1MSec: sections.leadimport?.leadImport1MSec ?? null,
    workspaceBytesPerCsvByte: sections.leadimport?.workspaceBytesPerCsvByte ?? null,
    workspaceBytesPerCsvByteAllIndexed: sections.leadimport?.workspaceBytesPerCsvByteAllIndexed ?? null,
    xlsxImportPeakRssMB: sections.xlsx?.xlsxImportPeakRssMB ?? null,
    cliStartMs: sections.cli?.cliStartMs ?? null,
    learnSec: sections.learn?.learnSec ?? null,
    learnHeldOutAuc: sections.learn?.learnHeldOutAuc ?? null,
    ...sections,
    totalSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nimportRatio ${format(results.importRatio)}   rescoreRatio ${format(results.rescoreRatio)}   cliStartMs ${format(results.cliStartMs)}`,
  );
  console.log(`wrote ${out}`);
}

/** The sections of the previous results.json, when it was written at the same scale. */
function readPrevious(path: string, scale: number): Record<string, Section> {
  if (!existsSync(path)) return {};
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (json.scale !== scale) return {};
    const kept: Record<string, Section> = {};
    for (const name of ['import', 'leadimport', 'bigfile', 'xlsx', 'rescore', 'leads', 'export', 'cli', 'learn']) {
      const section = json[name];
      if (section && typeof section === 'object') kept[name] = section as Section;
    }
    return kept;
  } catch {
    return {};
  }
}

function format(v: number | null | undefined): string {
  if (v == null) return '-';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toFixed(v < 10 ? 3 : 1);
}

await main();
