import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoBackup, backupFolder } from '../../../electron/backend/services/exchange/backup';
import { tempBackend, tempDir } from '../helpers';
import { customEncoder } from '../../../electron/backend/services/leads/custom-store';

function fill(db: Database.Database, from: number, n: number): void {
  const insert = db.prepare(
    `INSERT INTO leads (uid, email, email_norm, first_name, company, custom, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const custom = customEncoder(db);
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      insert.run(
        `u-${i}`,
        `p${i}@x.example`,
        `p${i}@x.example`,
        `Person ${i}`,
        `Company ${i % 97}`,
        custom.encode({ note: 'x'.repeat(200) }),
      );
    }
  })();
}

describe('workspace backup', () => {
  it('copies the workspace while it is being written (same and another connection); the copy passes integrity_check', async () => {
    let t = Date.UTC(2026, 10, 20);
    const backend = tempBackend({ now: () => t++ });
    const db = backend.context.db();
    fill(db, 0, 30_000);
    const other = new Database(backend.path);
    other.pragma('busy_timeout = 5000');
    let next = 30_000;
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        fill(db, next, 50);
        next += 50;
        fill(other, next, 50);
        next += 50;
        writes++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = join(tempDir(), 'copy.leadbench');
    const info = await backend.invoke('workspace-backup', { out });
    writing = false;
    await writer;
    other.close();
    expect(writes).toBeGreaterThan(0);
    expect(info).toMatchObject({ path: out, kind: 'manual', exists: true });
    const copy = new Database(out, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = copy.prepare('SELECT count(*) FROM leads').pluck().get() as number;
    copy.close();
    expect(n).toBeGreaterThanOrEqual(30_000);
    expect(n).toBeLessThanOrEqual(next);
    expect(readdirSync(dirname(out))).toEqual(['copy.leadbench']);
  });

  it('automatic backups go beside the workspace and only the newest N are kept', async () => {
    let t = Date.UTC(2026, 10, 20);
    const backend = tempBackend({ now: () => (t += 1000) });
    const db = backend.context.db();
    fill(db, 0, 10);
    db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('backup.keep', '2')").run();
    const a = await autoBackup(backend.context, 'bulk delete');
    const b = await autoBackup(backend.context, 'model publish');
    const c = await autoBackup(backend.context, 'round-trip apply');
    expect(a.path.startsWith(backupFolder(backend.path))).toBe(true);
    expect(c.path).toMatch(/round-trip-apply\.leadbench$/);
    expect(existsSync(a.path)).toBe(false);
    expect(existsSync(b.path) && existsSync(c.path)).toBe(true);
    const list = await backend.invoke('backups-list', {});
    expect(list.map((x) => x.reason)).toEqual(['round-trip apply', 'model publish']);
    const manual = await backend.invoke('workspace-backup', {});
    expect(manual.kind).toBe('manual');
    expect((await backend.invoke('backups-list', {})).length).toBe(3);
  });

  it('refuses to overwrite the workspace itself', async () => {
    const backend = tempBackend();
    await expect(backend.invoke('workspace-backup', { out: backend.path })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });
});
