/**
 * Commands refuse what they cannot use, in one line, and leave it as it was: a file that is
 * not a workspace is never turned into one, a refused import into a new path leaves no
 * workspace behind, and output that cannot be written ends without a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers';

const CLI = join(REPO_ROOT, 'bin/leadbench.mjs');

const run = (args: readonly string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('a file that is not a workspace', () => {
  it('info refuses a 0-byte file with a clear message and leaves it empty', () => {
    const path = join(tempDir(), 'empty.leadbench');
    writeFileSync(path, '');
    const r = run(['info', '--db', path]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `leadbench info: ${path} is an empty file, not a Leadbench workspace. Nothing was changed.`,
    );
    expect(statSync(path).size).toBe(0);
  });

  // Every command that opens a workspace, the read-only ones first.
  const commands = [
    'info',
    'queue',
    'report funnel',
    'report model',
    'explain 1',
    'learn',
    'activity-types',
    'export --all --out OUT/out.csv',
    'backup --out OUT/copy.leadbench',
    'score',
    'stage --to sql 1',
  ];

  /** Runs a command line on `path` in `dir`: its stderr and status, the folder and the file after it. */
  function refused(line: string, dir: string, path: string) {
    const [command, ...args] = line.replace(/OUT/g, dir).split(' ');
    const r = run([command!, ...args, '--db', path]);
    const label = `leadbench ${command}: ${path}`;
    return { r, label, files: readdirSync(dir).sort() };
  }

  it.each(commands.filter((c) => c !== 'info'))('%s refuses a 0-byte file and creates nothing', (line) => {
    const dir = tempDir();
    const path = join(dir, 'empty.leadbench');
    writeFileSync(path, '');
    const { r, label, files } = refused(line, dir, path);
    expect(r.stderr).toBe(`${label} is an empty file, not a Leadbench workspace. Nothing was changed.\n`);
    expect(r.status).toBe(1);
    expect(files).toEqual(['empty.leadbench']);
    expect(statSync(path).size).toBe(0);
  });

  it.each(commands)('%s refuses a text file and leaves it as it was', (line) => {
    const dir = tempDir();
    const path = join(dir, 'notes.leadbench');
    writeFileSync(path, 'just some notes\n');
    const { r, label, files } = refused(line, dir, path);
    expect(r.stderr).toBe(`${label} is not a Leadbench workspace (it is not a SQLite database).\n`);
    expect(r.status).toBe(1);
    expect(files).toEqual(['notes.leadbench']);
    expect(readFileSync(path, 'utf8')).toBe('just some notes\n');
  });

  it.each(commands)("%s refuses another program's SQLite database and leaves it as it was", (line) => {
    const dir = tempDir();
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    other.close();
    const bytes = readFileSync(path);
    const { r, label, files } = refused(line, dir, path);
    expect(r.stderr).toBe(`${label} is a SQLite database, but not a Leadbench workspace. Nothing was changed.\n`);
    expect(r.status).toBe(1);
    expect(files).toEqual(['other.db']);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it.each(commands)('%s refuses a path where no file is, creating none', (line) => {
    const dir = tempDir();
    const path = join(dir, 'missing.leadbench');
    const { r, files } = refused(line, dir, path);
    expect(r.stderr).toBe(`leadbench ${line.split(' ')[0]}: No workspace at ${path}.\n`);
    expect(r.status).toBe(1);
    expect(files).toEqual([]);
  });
});

describe('an import refused into a new workspace path', () => {
  it.each([
    [
      'a file with no data rows',
      'header-only.csv',
      'Email,First Name\n',
      '"header-only.csv" has a header row but no data rows below it.',
    ],
    [
      'a file nobody can be matched by',
      'no-key.csv',
      'Note,Amount\nhello,1\n',
      'Map an email column or choose an identity key column (e.g. "Prospect ID") so people can be matched.',
    ],
  ])('%s leaves no workspace file behind', (_name, file, content, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, file), content);
    const ws = join(dir, 'new.leadbench');
    const r = run(['import', join(dir, file), '--db', ws]);
    expect(r.stderr).toBe(`leadbench import: ${message}\n`);
    expect(r.status).toBe(1);
    expect(existsSync(ws)).toBe(false);
    expect(readdirSync(dir)).toEqual([file]);
  });

  it('an import that lands keeps the new workspace', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.csv'), 'Email,First Name\nann@acme.example,Ann\n');
    const ws = join(dir, 'new.leadbench');
    expect(run(['import', join(dir, 'ok.csv'), '--db', ws]).status).toBe(0);
    expect(run(['info', '--db', ws]).stdout).toContain('Leads');
  });
});

describe('output that cannot be written', () => {
  it('a reader that stops early (leadbench … | head): the command ends quietly, exit 0', async () => {
    const child = spawn(process.execPath, [CLI, 'help'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closes before the command writes its first line: every write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it.skipIf(!existsSync('/dev/full'))('output redirected onto a full disk: one line, exit 1', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'help'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
      });
      expect(r.stderr).toBe('leadbench: the output could not be written: the disk is full.\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });
});
