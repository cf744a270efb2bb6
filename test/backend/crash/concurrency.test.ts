/**
 * Two processes writing one workspace: the second waits its turn (saying so) instead of
 * failing on "database is locked"; reads never wait.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../electron/backend/backend';
import { acquireWriter, tryAcquireWriter, type LockHolder } from '../../../electron/backend/db/writer-lock';
import { REPO_ROOT, tempDir } from '../helpers';

const CLI = join(REPO_ROOT, 'bin/leadbench.mjs');

type Child = Readonly<{ stderr: () => string; exit: Promise<number | null> }>;

function cli(args: readonly string[]): Child {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { stderr: () => stderr, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

function leadsFile(dir: string, name: string, n: number): string {
  const path = join(dir, `${name}.csv`);
  const rows = ['Email,First Name,Company'];
  for (let i = 0; i < n; i++) rows.push(`${name}${i}@example.com,${name}${i},${name} Inc`);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

describe('two processes writing at once', () => {
  it('both imports succeed, whichever starts first', async () => {
    const dir = tempDir();
    const ws = join(dir, 'w.leadbench');
    createBackend({ workspacePath: ws }).close();
    const a = cli(['import', leadsFile(dir, 'alpha', 3000), '--db', ws]);
    const b = cli(['import', leadsFile(dir, 'beta', 3000), '--db', ws]);
    expect(await a.exit, a.stderr()).toBe(0);
    expect(await b.exit, b.stderr()).toBe(0);
    const db = new Database(ws, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM imports WHERE status = 'done'").pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(6000);
    db.close();
  });

  it('a writer waits visibly while another process holds the lock; a reader does not wait', async () => {
    const dir = tempDir();
    const ws = join(dir, 'w.leadbench');
    createBackend({ workspacePath: ws }).close();
    const other = new Database(ws);
    const hold = tryAcquireWriter(other, 'import-run');
    expect(hold).not.toBeNull();
    const writer = cli(['import', leadsFile(dir, 'gamma', 10), '--db', ws]);
    while (!writer.stderr().includes('Waiting for another Leadbench command')) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(writer.stderr()).toContain(`(import-run, process ${process.pid})`);
    // A read goes through meanwhile.
    const reader = cli(['info', '--db', ws]);
    expect(await reader.exit, reader.stderr()).toBe(0);
    hold!.release();
    expect(await writer.exit, writer.stderr()).toBe(0);
    expect(other.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(10);
    other.close();
  });

  it("a waiting writer names the holder and never takes SQLite's write lock from it", async () => {
    // The holder is mid-batch (its own write transaction open). A waiter that took SQLite's
    // write lock to look at the lock row, even for a moment, would make the holder's next
    // read-then-write transaction fail at once with "database is locked".
    const ws = join(tempDir(), 'w.leadbench');
    createBackend({ workspacePath: ws }).close();
    const holder = new Database(ws);
    const waiter = new Database(ws);
    const hold = tryAcquireWriter(holder, 'import-run');
    holder.exec('BEGIN IMMEDIATE');
    const begins: string[] = [];
    const exec = waiter.exec.bind(waiter);
    waiter.exec = (sql: string) => {
      if (/^BEGIN/i.test(sql)) begins.push(sql);
      return exec(sql);
    };
    const told: (LockHolder | null)[] = [];
    const waiting = acquireWriter(waiter, 'import-run', (h) => told.push(h));
    await new Promise((r) => setTimeout(r, 400));
    expect(told).toEqual([expect.objectContaining({ command: 'import-run', pid: process.pid })]);
    expect(begins).toEqual([]);
    holder.exec('COMMIT');
    hold!.release();
    (await waiting).release();
    expect(begins).toEqual(['BEGIN IMMEDIATE']);
    holder.close();
    waiter.close();
  });
});
