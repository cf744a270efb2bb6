// `npm test`: every tier in order — typecheck, lint, format, unit, backend, build, packaging,
// e2e, electron — continuing past a failing tier so one run shows everything that is wrong.
// Ends with one plain line `N passed, N failed, N skipped` summing all tiers (static checks
// count as one test each), and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, 'test-results');
rmSync(join(results, 'unit.json'), { force: true });
rmSync(join(results, 'backend.json'), { force: true });
rmSync(join(results, 'packaging.json'), { force: true });
rmSync(join(results, 'e2e-report.json'), { force: true });
rmSync(join(results, 'electron-report.json'), { force: true });
mkdirSync(results, { recursive: true });

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd, args) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return { ok: r.status === 0, seconds: (Date.now() - started) / 1000 };
}

function vitestCounts(file) {
  if (!existsSync(file)) return null;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + (j.numTodoTests ?? 0) };
}

function playwrightCounts(file) {
  if (!existsSync(file)) return null;
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
}

const tiers = [
  { name: 'typecheck', cmd: ['npm', ['run', '-s', 'typecheck']] },
  { name: 'lint', cmd: ['npm', ['run', '-s', 'lint']] },
  { name: 'format', cmd: ['npm', ['run', '-s', 'format:check']] },
  {
    name: 'unit',
    cmd: [
      npx,
      [
        'vitest',
        'run',
        '--project',
        'unit',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${join(results, 'unit.json')}`,
      ],
    ],
    counts: () => vitestCounts(join(results, 'unit.json')),
  },
  {
    name: 'backend',
    cmd: [
      npx,
      [
        'vitest',
        'run',
        '--project',
        'backend',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${join(results, 'backend.json')}`,
      ],
    ],
    counts: () => vitestCounts(join(results, 'backend.json')),
  },
  { name: 'build', cmd: [npx, ['electron-vite', 'build']] },
  {
    name: 'packaging',
    needs: 'build',
    cmd: [
      npx,
      [
        'vitest',
        'run',
        '--project',
        'packaging',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${join(results, 'packaging.json')}`,
      ],
    ],
    counts: () => vitestCounts(join(results, 'packaging.json')),
  },
  {
    name: 'e2e',
    needs: 'build',
    cmd: [npx, ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts']],
    counts: () => playwrightCounts(join(results, 'e2e-report.json')),
  },
  {
    name: 'electron',
    needs: 'build',
    cmd: [npx, ['playwright', 'test', '-c', 'test/electron/playwright.config.ts']],
    counts: () => playwrightCounts(join(results, 'electron-report.json')),
  },
];

const outcome = new Map();
const lines = [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const tier of tiers) {
  if (tier.needs && !outcome.get(tier.needs)) {
    lines.push(`${tier.name.padEnd(10)} not run (${tier.needs} failed)`);
    failed += 1;
    outcome.set(tier.name, false);
    continue;
  }
  console.log(`\n=== ${tier.name} ===`);
  const r = run(...tier.cmd);
  outcome.set(tier.name, r.ok);
  const c = tier.counts?.();
  if (c) {
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    if (!r.ok && c.failed === 0) failed += 1; // the runner itself failed (crash, config error)
    lines.push(
      `${tier.name.padEnd(10)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${r.seconds.toFixed(0)} s)`,
    );
  } else {
    if (r.ok) passed += 1;
    else failed += 1;
    lines.push(`${tier.name.padEnd(10)} ${r.ok ? 'ok' : 'FAILED'} (${r.seconds.toFixed(0)} s)`);
  }
}

console.log('\n=== summary ===');
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
