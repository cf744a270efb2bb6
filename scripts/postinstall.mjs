// Why: Electron is an optional dependency because its own install step downloads the
// Electron binary from GitHub, which fails on offline machines and CI (npm then drops the
// package). The typecheck still needs Electron's type definitions, so where npm dropped it we
// unpack the same version's npm tarball (the npm registry is reachable) without running its
// binary download. `npm start` then reports that the binary is missing, in plain words.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, cpSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronDir = join(root, 'node_modules', 'electron');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.optionalDependencies.electron;

if (!existsSync(join(electronDir, 'package.json'))) {
  const work = mkdtempSync(join(tmpdir(), 'leadbench-electron-'));
  try {
    execFileSync('npm', ['pack', `electron@${version}`, '--silent'], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    execFileSync('tar', ['xzf', tarball], { cwd: work });
    mkdirSync(electronDir, { recursive: true });
    cpSync(join(work, 'package'), electronDir, { recursive: true });
    console.log(
      `leadbench: the Electron ${version} binary could not be downloaded here; installed its type definitions only. ` +
        'Tests run in Chromium; `npm start` needs network access once to fetch Electron.',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
