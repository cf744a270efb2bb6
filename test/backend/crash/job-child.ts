/**
 * Jobs without a CLI command, each in a process of its own for the crash suite
 * (crash.test.ts): the same backend the app and the CLI drive, through its handlers.
 *   undo-last-import WORKSPACE        undoes the newest finished import
 *   roundtrip-apply WORKSPACE SHEET    inspects a returned sheet and applies it (backup first)
 *   bulk-delete WORKSPACE EMAIL_LIKE   deletes the leads whose email is LIKE the pattern (backup first)
 *   export-killed-at-rename WORKSPACE OUT   exports every lead to OUT (CSV or XLSX) and dies by
 *                                      SIGKILL the instant the file has taken OUT's name,
 *                                      before the export is recorded: the narrowest window
 *                                      the seeded kills of crash.test.ts can only hit by chance
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as FsPromises from 'node:fs/promises';
import { createBackend } from '../../../electron/backend/backend';

const [job, workspace, arg] = process.argv.slice(2);
const usage =
  'usage: job-child (undo-last-import WORKSPACE | roundtrip-apply WORKSPACE SHEET | bulk-delete WORKSPACE LIKE | export-killed-at-rename WORKSPACE OUT)';
if (!workspace) throw new Error(usage);
const backend = createBackend({ workspacePath: workspace, scoringHelperEntry: null });
const db = backend.context.db();
if (job === 'undo-last-import') {
  const last = db.prepare("SELECT max(id) FROM imports WHERE status = 'done'").pluck().get() as number;
  await backend.invoke('import-undo', { importId: last });
} else if (job === 'roundtrip-apply' && arg) {
  const preview = await backend.invoke('roundtrip-inspect', { path: arg });
  await backend.invoke('roundtrip-apply', { path: arg, fileSha256: preview.fileSha256 });
} else if (job === 'bulk-delete' && arg) {
  const ids = db.prepare('SELECT id FROM leads WHERE email LIKE ? ORDER BY id').pluck().all(arg) as number[];
  await backend.invoke('leads-bulk', {
    selection: { kind: 'ids', ids },
    action: { kind: 'delete' },
    confirmCount: ids.length,
  });
} else if (job === 'export-killed-at-rename' && arg) {
  dieOnceRenamedTo(arg);
  const format = arg.endsWith('.xlsx') ? 'xlsx' : 'csv';
  await backend.invoke('export-leads', { source: { kind: 'all' }, out: arg, format });
  throw new Error('The export finished: the kill after the rename did not happen.');
} else {
  throw new Error(usage);
}
backend.close();

/** SIGKILLs this process right after a rename onto `target` (the writers' move into place). */
function dieOnceRenamedTo(target: string): void {
  const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof FsPromises & {
    rename: typeof FsPromises.rename;
  };
  const rename = fsp.rename;
  fsp.rename = async (from, to) => {
    await rename(from, to);
    if (String(to) === target) process.kill(process.pid, 'SIGKILL');
  };
  // The writers import `rename` by name: carry the patch over to ES module bindings.
  syncBuiltinESMExports();
}
