/**
 * A workspace on a disk that fills up (issue 18): a command that writes into it fails in one
 * line that says the disk is full, and the workspace holds exactly what it held before. The
 * disk is a real tmpfs (root and a machine that allows mounts; skipped elsewhere), filled
 * with a plain file until a few KiB are left.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../electron/backend/backend';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { builtCli, REPO_ROOT, tempDir } from '../helpers';

const isRoot = process.getuid?.() === 0;
/** What is left on the disk: room to open the workspace and take the writer lock, not to import or rescore. */
const ROOM = 256 * 1024;

function leadsCsv(path: string, prefix: string, n: number): void {
  const titles = ['CEO', 'VP Sales', 'Director IT', 'Manager', 'Engineer', 'Student'];
  const rows = ['Email,First Name,Company,Job Title,Country,Notes'];
  for (let i = 0; i < n; i++)
    rows.push(`${prefix}${i}@acme${i % 17}.example,P${i},Acme ${i % 17},${titles[i % 6]},US,note ${i * 7919}`);
  writeFileSync(path, `${rows.join('\n')}\n`);
}

/** A digest of every table's rows (but the writer lock's, which names the last writer): what "unchanged" compares. */
function contents(ws: string): string {
  const db = new Database(ws, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'writer_lock' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const hash = createHash('sha256');
    for (const t of tables) hash.update(JSON.stringify([t, db.prepare(`SELECT * FROM "${t}"`).raw().all()]));
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

describe('a workspace on a disk that fills up (a real tmpfs)', () => {
  const dir = tempDir();
  const source = join(dir, 'source.leadbench');
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  const mounted = isRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk]).status === 0;
  const files = { more: join(dir, 'more.csv'), model: join(dir, 'model.json') };
  let before = '';

  beforeAll(async () => {
    if (!mounted) return;
    builtCli();
    const first = join(dir, 'first.csv');
    leadsCsv(first, 'p', 3000);
    leadsCsv(files.more, 'q', 3000);
    writeFileSync(
      files.model,
      JSON.stringify({ ...DEFAULT_MODEL, fit: DEFAULT_MODEL.fit.map((r) => ({ ...r, points: r.points + 3 })) }),
    );
    const b = createBackend({ workspacePath: source, scoringHelperEntry: null });
    try {
      await b.invoke('import-run', { path: first, options: { kind: 'leads' } });
    } finally {
      b.close();
    }
    before = contents(source);
  }, 60_000);
  afterAll(() => {
    if (mounted) spawnSync('umount', [disk]);
  });

  /** The workspace on the disk, the disk then filled up to ROOM bytes. */
  function onFullDisk(): { ws: string; filler: string } {
    for (const f of ['w.leadbench', 'w.leadbench-wal', 'w.leadbench-shm', 'filler'])
      rmSync(join(disk, f), { force: true });
    const ws = join(disk, 'w.leadbench');
    copyFileSync(source, ws);
    const free = statfsSync(disk);
    const filler = join(disk, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - ROOM)));
    return { ws, filler };
  }

  it.skipIf(!mounted).each([
    ['import', ['import', () => files.more], 'Import of "more.csv" failed: the disk is full. Nothing was changed.'],
    [
      'score',
      ['score', '--model', () => files.model],
      'The model was not published, because its rescore failed: Leadbench could not write: the disk is full. Nothing was changed.',
    ],
  ] as const)('%s fails in one line and the workspace holds what it held', (name, args, message) => {
    const { ws, filler } = onFullDisk();
    const argv = args.map((a) => (typeof a === 'function' ? a() : a));
    const r = spawnSync(process.execPath, [builtCli().bin, argv[0]!, '--db', ws, ...argv.slice(1)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr.split('\n').filter((l) => !l.startsWith('  warning:'))).toEqual([
      `leadbench ${name}: ${message}`,
      '',
    ]);
    expect(r.status).toBe(1);
    rmSync(filler);
    expect(contents(ws)).toBe(before);
  });

  it.skipIf(!mounted)('a workspace whose scores wait for a rescore still opens, and says its scores lag', () => {
    const { ws, filler } = onFullDisk();
    // Lead data changed by a write whose rescore never committed (a kill, or a disk that filled
    // up): the mark stays, and every lead's score would change.
    rmSync(filler);
    const db = new Database(ws);
    db.prepare("UPDATE leads SET title = 'Chief Executive Officer'").run();
    db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('rescore_pending', 'x')").run();
    db.close();
    const stale = contents(ws);
    const free = statfsSync(disk);
    writeFileSync(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - ROOM)));
    const info = spawnSync(process.execPath, [builtCli().bin, 'info', '--db', ws], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(info.stderr).toBe('');
    expect(info.status).toBe(0);
    expect(info.stdout).toContain('Leads       3000');
    expect(info.stdout).toContain('Scores      out of date');
    rmSync(filler);
    expect(contents(ws)).toBe(stale);
    // With room again, the next open rescores and clears the mark.
    const again = spawnSync(process.execPath, [builtCli().bin, 'info', '--db', ws], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain('Scores');
  });
});
