/**
 * A job without a CLI command, in a process of its own for the crash suite (crash.test.ts):
 * the same backend the app and the CLI drive, through its handlers.
 *   undo-last-import WORKSPACE   undoes the newest finished import
 */
import { createBackend } from '../../../electron/backend/backend';

const [job, workspace] = process.argv.slice(2);
if (job !== 'undo-last-import' || !workspace) throw new Error('usage: job-child undo-last-import WORKSPACE');
const backend = createBackend({ workspacePath: workspace, scoringHelperEntry: null });
const last = backend.context.db().prepare("SELECT max(id) FROM imports WHERE status = 'done'").pluck().get() as number;
await backend.invoke('import-undo', { importId: last });
backend.close();
