/**
 * Helper process for the crash test: imports a file into a workspace and exits abruptly
 * (exit code 3) once some batches are committed, like an app killed mid-import.
 */
import { importOptionsSchema } from '../../../shared/contract/import';
import { createBackend } from '../../../electron/backend/backend';
import { runImport } from '../../../electron/backend/services/import/run';

const [workspace, file] = process.argv.slice(2);
if (!workspace || !file) throw new Error('usage: crash-child WORKSPACE FILE');
const backend = createBackend({ workspacePath: workspace });
await runImport(backend.context, file, importOptionsSchema.parse({ kind: 'event', asset: 'Big Webinar' }), undefined, {
  commitEveryMs: 0,
  afterBatch: (rows) => {
    if (rows > 3000) process.exit(3);
  },
});
process.exit(0);
