// Tests only: the real worker entry (through tsx), plus one request outside the contract,
// 'test-crash', that ends the thread as a crash would (process.exit in a worker thread ends
// that thread alone, with its exit code).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('../../electron/backend/worker.ts');
parentPort.on('message', (m) => {
  if (m.type === 'invoke' && m.name === 'test-crash') process.exit(70);
});
