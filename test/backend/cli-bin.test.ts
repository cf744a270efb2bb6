// The `leadbench` command as it ships: bin/leadbench.mjs running the bundled JavaScript in
// out/cli/ in a process of its own (the other CLI tests call runCli in-process, for speed).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/backend/cli/commands';
import { builtCli, FIXTURES, REPO_ROOT, tempDir } from './helpers';

let bin: string;
let dir: string;
beforeAll(() => {
  ({ bin, dir } = builtCli());
});

function leadbench(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: tempDir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SAMPLES = join(REPO_ROOT, 'resources', 'samples');

describe('bin/leadbench.mjs', () => {
  it('runs the bundle, which was built from the TypeScript sources', () => {
    const info = JSON.parse(readFileSync(join(dir, 'build-info.json'), 'utf8')) as { inputs: string[] };
    expect(info.inputs).toContain('electron/backend/cli.ts');
    expect(info.inputs).toContain('electron/backend/services/scoring/score-helper.ts');
    expect(info.inputs).toContain('electron/backend/services/import/profile-thread.ts');
    expect(info.inputs).toContain('electron/backend/services/import/read-thread.ts');
    // No TypeScript is loaded at run time: the bundle imports only itself and packages.
    const bundle = readFileSync(join(dir, 'cli.js'), 'utf8');
    expect(bundle).not.toMatch(/\.ts["']/);
    expect(bundle).not.toContain('tsx');
  });

  it('help lists every command with its usage; no command is a usage error', () => {
    const help = leadbench('help');
    expect(help.code).toBe(0);
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect(help.out).toContain(`  ${name.padEnd(10)} ${command.summary}`);
      expect(help.out).toContain(command.usage);
    }
    expect(leadbench().code).toBe(2);
    const unknown = leadbench('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
  });

  it('imports, reports, scores and explains a real workspace file', () => {
    const db = join(tempDir(), 'bin.leadbench');
    const leads = leadbench('import', join(SAMPLES, 'starter-leads.csv'), '--db', db, '--json');
    expect(leads.code).toBe(0);
    expect(JSON.parse(leads.out)).toMatchObject({ inserted: 200, errors: 0 });
    expect(leadbench('import', join(SAMPLES, 'starter-activities.csv'), '--db', db, '--kind', 'activities').code).toBe(
      0,
    );
    const info = leadbench('info', '--db', db, '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out)).toMatchObject({ leadCount: 200, activityCount: 1500, importCount: 2 });
    const score = leadbench('score', '--db', db);
    expect(score.code).toBe(0);
    expect(score.out).toMatch(/^Rescored 200 leads in /);
    const explain = leadbench('explain', '--db', db, '1');
    expect(explain.code).toBe(0);
    expect(explain.out).toContain('model "Default" v1');
    expect(leadbench('report', 'funnel', '--db', db).code).toBe(0);
  });

  it('a bad file fails with exit code 1 and says which file; a bad option is a usage error', () => {
    const db = join(tempDir(), 'bad.leadbench');
    const bad = leadbench('import', join(FIXTURES, 'import', 'binary.csv'), '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('binary.csv');
    const usage = leadbench('info', '--db', db, '--frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('Usage: leadbench info');
  });

  it('rebuilds the bundle when a source is newer than it', () => {
    const infoFile = join(dir, 'build-info.json');
    const before = JSON.parse(readFileSync(infoFile, 'utf8')) as { builtAt: number; inputs: string[] };
    // As if every source had been edited after the bundle was built.
    writeFileSync(infoFile, JSON.stringify({ ...before, builtAt: 0 }));
    expect(leadbench('help').code).toBe(0);
    const after = JSON.parse(readFileSync(infoFile, 'utf8')) as { builtAt: number };
    expect(after.builtAt).toBeGreaterThan(0);
  });
});
