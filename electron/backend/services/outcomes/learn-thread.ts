/**
 * Learn thread entry (learn-threads.ts starts one per fit): fits the suggested model
 * (shared/learn's learnModel) off the backend thread, posts its progress as it goes, then the
 * result or the error, and ends. A cancel terminates the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { learnModel } from '../../../../shared/learn/learn';
import { toApiError } from '../../errors';
import type { LearnThreadMessage, LearnThreadRequest } from './learn-threads';

const port = parentPort;
if (!port) throw new Error('learn-thread.ts must run in a worker thread');
const { data, settings } = workerData as LearnThreadRequest;

try {
  const learned = learnModel(data, {
    ...settings,
    progress: (fraction, phase) => port.postMessage({ kind: 'progress', fraction, phase } satisfies LearnThreadMessage),
  });
  port.postMessage({ kind: 'done', learned } satisfies LearnThreadMessage);
} catch (err) {
  port.postMessage({ kind: 'failed', error: toApiError(err) } satisfies LearnThreadMessage);
}
