/**
 * A full disk and places that cannot be written (issue 18): the real CLI gives one line that
 * says what happened, and everything stays as it was: no temporary file beside the target,
 * no export left running, the workspace file untouched.
 *
 * - Full disk, for real: a 64 KiB tmpfs is mounted as the target folder. That needs root and
 *   a machine that allows mounts; elsewhere those cases are skipped, and the same failure is
 *   injected at the file-system layer (write-failure-injected.test.ts).
 * - Read-only: as root, permissions do not stop writes, so the commands run as the
 *   unprivileged user "nobody" (uid 65534); as another user, they run as that user.
 */
import Database from 'better-sqlite3';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../electron/backend/backend';
import { builtCli, REPO_ROOT, tempDir } from '../helpers';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** A folder everyone may enter, so that "nobody" reaches the files in it. */
function openDir(): string {
  const d = tempDir();
  chmodSync(d, 0o777);
  return d;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A workspace of 3,000 scored leads, one of them in the follow-up queue. */
async function makeWorkspace(path: string): Promise<void> {
  const dir = tempDir();
  const rows = ['Email,First Name,Last Name,Company,Job Title,Country,Notes'];
  for (let i = 0; i < 3000; i++)
    rows.push(`p${i}@acme${i % 17}.example,Person${i},Family${i % 101},Acme ${i % 17},Manager,US,note ${i * 7919}`);
  writeFileSync(join(dir, 'leads.csv'), `${rows.join('\n')}\n`);
  const b = createBackend({ workspacePath: path, scoringHelperEntry: null });
  try {
    await b.invoke('import-run', { path: join(dir, 'leads.csv'), options: { kind: 'leads' } });
  } finally {
    b.close();
  }
}

type Run = { status: number | null; stdout: string; stderr: string };
const HOME = openDir();

function cli(args: readonly string[], options: SpawnSyncOptions = {}): Run {
  const r = spawnSync(process.execPath, [builtCli().bin, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, HOME },
    ...options,
  });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** What a failed command must not have changed in the workspace. */
function history(ws: string) {
  const db = new Database(ws, { readonly: true });
  try {
    return {
      running: db.prepare("SELECT count(*) FROM exports WHERE status = 'running'").pluck().get(),
      orphanRows: db
        .prepare("SELECT count(*) FROM export_rows r JOIN exports e ON e.id = r.export_id WHERE e.status <> 'done'")
        .pluck()
        .get(),
      journal: db.prepare('SELECT count(*) FROM job_journal').pluck().get(),
      backups: db.prepare('SELECT count(*) FROM backups').pluck().get(),
      leads: db.prepare('SELECT count(*) FROM leads').pluck().get(),
    };
  } finally {
    db.close();
  }
}

/** Mounts a tiny tmpfs (root only); false where mounting is not allowed. */
function mountTmpfs(dir: string, size: string): boolean {
  if (!isRoot) return false;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}

describe('a full disk under the target (a real 64 KiB tmpfs)', () => {
  const dir = tempDir();
  const ws = join(dir, 'w.leadbench');
  const full = join(dir, 'full');
  mkdirSync(full);
  const mounted = mountTmpfs(full, '64k');
  beforeAll(async () => {
    await makeWorkspace(ws);
  }, 60_000);
  afterAll(() => {
    if (mounted) spawnSync('umount', [full]);
  });

  it.skipIf(!mounted).each([
    ['an XLSX export', ['export', '--all', '--format', 'xlsx', '--out'], 'out.xlsx', 'The export'],
    ['a CSV export', ['export', '--all', '--format', 'csv', '--out'], 'out.csv', 'The export'],
    ['a backup', ['backup', '--out'], 'copy.leadbench', 'The backup'],
  ])('%s fails in one line and leaves nothing behind', (_name, args, file, what) => {
    const before = history(ws);
    const target = join(full, file);
    const r = cli([args[0]!, '--db', ws, ...args.slice(1), target]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `leadbench ${args[0]}: ${what} could not be written to ${target}: the disk is full. Nothing was written.\n`,
    );
    expect(readdirSync(full)).toEqual([]);
    expect(history(ws)).toEqual(before);
  });
});

describe('read-only files and folders', () => {
  // Whoever runs the commands must not be able to write where the tests say so.
  const as: SpawnSyncOptions = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const dir = openDir();
  const source = join(dir, 'source.leadbench');
  const canDrop = !isRoot || spawnSync(process.execPath, ['-e', '0'], as).status === 0;
  beforeAll(async () => {
    builtCli(); // built (if sources changed) by this user: "nobody" could not write out/cli
    await makeWorkspace(source);
    chmodSync(source, 0o666);
  }, 60_000);

  /** A copy of the workspace in a folder of its own; `file`/`folder` read-only as asked. */
  function placed(mode: { file: boolean; folder: boolean }): { ws: string; folder: string } {
    const folder = openDir();
    const ws = join(folder, 'w.leadbench');
    copyFileSync(source, ws);
    chmodSync(ws, mode.file ? 0o444 : 0o666);
    if (mode.folder) chmodSync(folder, 0o555);
    return { ws, folder };
  }

  const out = openDir();
  const commands: [string, string[]][] = [
    ['info', ['info']],
    ['backup', ['backup', '--out', join(out, 'copy.leadbench')]],
    ['import', ['import', join(REPO_ROOT, 'resources/samples/starter-leads.csv')]],
    ['stage', ['stage', '--to', 'sql', 'p1@acme1.example']],
    ['score', ['score']],
    ['export', ['export', '--all', '--out', join(out, 'out.csv')]],
  ];

  for (const mode of [
    { file: true, folder: false, says: 'the file is', commands },
    // The same refusal: the commands that read, back up and write are enough.
    {
      file: false,
      folder: true,
      says: 'its folder is',
      commands: commands.filter(([n]) => n !== 'score' && n !== 'export' && n !== 'import'),
    },
  ]) {
    it.skipIf(!canDrop).each(mode.commands)(
      `${mode.file ? 'a read-only workspace file' : 'a workspace in a read-only folder'}: %s refuses in one line, nothing changes`,
      (name, args) => {
        const { ws, folder } = placed(mode);
        const before = sha(ws);
        const r = cli([...args.slice(0, 1), '--db', ws, ...args.slice(1)], as);
        expect(r.stderr).toBe(
          `leadbench ${name}: ${ws} cannot be opened: ${mode.says} read-only (Leadbench writes beside a workspace even to read it). ` +
            'Copy it to a folder you can write to, or change its permissions. Nothing was changed.\n',
        );
        expect(r.status).toBe(1);
        expect(sha(ws)).toBe(before);
        expect(readdirSync(folder)).toEqual(['w.leadbench']);
        expect(readdirSync(out)).toEqual([]);
      },
    );
  }

  it.skipIf(!canDrop).each([
    ['backup', ['backup', '--out'], 'copy.leadbench', 'The backup'],
    ['export', ['export', '--all', '--format', 'xlsx', '--out'], 'out.xlsx', 'The export'],
  ])('a read-only target folder: %s refuses in one line and records nothing', (name, args, file, what) => {
    const { ws } = placed({ file: false, folder: false });
    const target = openDir();
    chmodSync(target, 0o555);
    const before = history(ws);
    const r = cli([name, '--db', ws, ...args.slice(1), join(target, file)], as);
    expect(r.stderr).toBe(
      `leadbench ${name}: ${what} could not be written to ${join(target, file)}: its folder is read-only. Nothing was written.\n`,
    );
    expect(r.status).toBe(1);
    expect(readdirSync(target)).toEqual([]);
    expect(history(ws)).toEqual(before);
    expect(existsSync(`${ws}-journal`)).toBe(false);
  });
});
