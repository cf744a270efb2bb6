/**
 * Profile thread entry (profile-threads.ts starts one per import-profile): reads the file
 * whole off the backend thread, posts the profile or the error as data, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../../errors';
import { profileImport } from './profile';
import type { ProfileReply, ProfileRequest } from './profile-threads';

const port = parentPort;
if (!port) throw new Error('profile-thread.ts must run in a worker thread');
const { path, read } = workerData as ProfileRequest;

profileImport(path, read).then(
  (profile) => port.postMessage({ ok: true, profile } satisfies ProfileReply),
  (err: unknown) => port.postMessage({ ok: false, error: toApiError(err) } satisfies ProfileReply),
);
