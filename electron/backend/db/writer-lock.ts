/**
 * One writing process at a time per workspace. SQLite alone lets two processes interleave
 * their transactions, and a long job (an import committing every few seconds, a rescore's
 * save) makes the other side fail on "database is locked" once its busy timeout runs out.
 * So a process that wants to write first takes this lock: a row in writer_lock naming its
 * process. Another process that wants to write waits (polling, with a message) until the
 * row is gone or names a process that no longer exists (killed: its row is taken over);
 * reads never take it and never wait.
 *
 * Holding is counted per connection, so the requests and background jobs of one process
 * share one hold: the row goes when the last of them releases it.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';

export type LockHolder = Readonly<{ pid: number; host: string; command: string; since: number }>;

/** A lock row: its holder and the token that tells this connection's own hold apart. */
type HolderRow = LockHolder & { token: string };

type State = { token: string; holds: number };

const states = new WeakMap<Database.Database, State>();
const POLL_MS = 150;
/** How long one attempt may wait on SQLite's own write lock before it counts as "busy". */
const ATTEMPT_BUSY_MS = 250;

/**
 * Threads of this process known to have died (a crashed backend worker, restarted by
 * worker-client.ts): a lock row of this process whose token names one of them is dead.
 */
const deadThreads = new Set<number>();

/** Marks a thread of this process as dead: a lock it held can be taken over. */
export function markThreadDead(id: number): void {
  deadThreads.add(id);
}

/** A lock token names the thread that took it (`<threadId>.<random>`). */
function threadOf(token: string): number | null {
  const id = Number(token.split('.', 1)[0]);
  return token.includes('.') && Number.isInteger(id) ? id : null;
}

function stateOf(db: Database.Database): State {
  let s = states.get(db);
  if (!s) {
    s = { token: `${threadId}.${randomBytes(8).toString('hex')}`, holds: 0 };
    states.set(db, s);
  }
  return s;
}

/** Whether the process (and thread) named by a lock row still runs (other hosts: assumed so). */
function isAlive(h: HolderRow): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) {
    const thread = threadOf(h.token);
    if (thread !== null && deadThreads.has(thread)) return false;
  }
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isBusy = (err: unknown) =>
  typeof err === 'object' && err !== null && String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY');

const readHolder = (db: Database.Database) =>
  db.prepare('SELECT token, pid, host, command, since FROM writer_lock WHERE id = 1').get() as HolderRow | undefined;

const holderOf = (row: HolderRow): LockHolder => ({
  pid: row.pid,
  host: row.host,
  command: row.command,
  since: row.since,
});

/** One attempt: 'taken', or the live holder, or 'busy' (another connection is writing now). */
function attempt(db: Database.Database, s: State, command: string): 'taken' | 'busy' | LockHolder {
  // Looked at first without a transaction: while a live process holds the lock, a waiter must
  // not take SQLite's write lock even for a moment. The holder's deferred transactions read
  // before they write, and SQLite fails such an upgrade at once ("database is locked", no busy
  // wait) if another connection holds the write lock at that instant.
  const seen = readHolder(db);
  if (seen && seen.token !== s.token && isAlive(seen)) return holderOf(seen);
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${ATTEMPT_BUSY_MS}`);
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) return 'busy';
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  try {
    const row = readHolder(db);
    if (row && row.token !== s.token && isAlive(row)) {
      db.exec('COMMIT');
      return holderOf(row);
    }
    db.prepare(
      'INSERT OR REPLACE INTO writer_lock (id, token, pid, host, command, since) VALUES (1, ?, ?, ?, ?, ?)',
    ).run(s.token, process.pid, hostname(), command, Date.now());
    db.exec('COMMIT');
    return 'taken';
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

function releaser(db: Database.Database, s: State): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    s.holds--;
    if (s.holds > 0 || !db.open) return;
    try {
      db.prepare('DELETE FROM writer_lock WHERE id = 1 AND token = ?').run(s.token);
    } catch {
      // A read-only file or a full disk: the row stays and names a process that is about
      // to end; the next writer takes it over.
    }
  };
}

/**
 * Takes the lock now, or returns null when another live process holds it (or is writing
 * this very moment). `first` tells whether this hold started it (nothing else of this
 * connection held it), i.e. whether jobs left running belong to dead processes.
 */
export function tryAcquireWriter(
  db: Database.Database,
  command: string,
): Readonly<{ release: () => void; first: boolean }> | null {
  const s = stateOf(db);
  // Mid-transaction, this connection is writing already: no other process can be.
  if (s.holds > 0 || db.inTransaction) {
    s.holds++;
    return { release: releaser(db, s), first: false };
  }
  if (attempt(db, s, command) !== 'taken') return null;
  s.holds = 1;
  return { release: releaser(db, s), first: true };
}

/** Waits for the lock; `onWait` is called once with the holder (or null: busy) when it must wait. */
export async function acquireWriter(
  db: Database.Database,
  command: string,
  onWait: (holder: LockHolder | null) => void = () => undefined,
): Promise<Readonly<{ release: () => void; first: boolean }>> {
  const s = stateOf(db);
  let told = false;
  for (;;) {
    if (s.holds > 0 || db.inTransaction) {
      s.holds++;
      return { release: releaser(db, s), first: false };
    }
    const r = attempt(db, s, command);
    if (r === 'taken') {
      s.holds = 1;
      return { release: releaser(db, s), first: true };
    }
    if (!told) {
      told = true;
      onWait(r === 'busy' ? null : r);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether this connection holds the lock now. */
export function holdsWriter(db: Database.Database): boolean {
  return (states.get(db)?.holds ?? 0) > 0;
}

/** Adds a hold for a job that outlives the request that started it (the caller holds the lock). */
export function retainWriter(db: Database.Database): () => void {
  const s = stateOf(db);
  if (s.holds === 0) return () => undefined;
  s.holds++;
  return releaser(db, s);
}

/** Gives the lock up whatever holds remain: the connection is about to close. */
export function dropWriter(db: Database.Database): void {
  const s = states.get(db);
  if (!s || s.holds === 0) return;
  s.holds = 1;
  releaser(db, s)();
}
