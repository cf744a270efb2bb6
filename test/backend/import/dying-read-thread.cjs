// A read thread that dies after posting two batches of a read (read-thread.test.ts), as a
// thread killed or out of memory mid-file would: the real entry, its third batch never sent.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry file */
const { parentPort } = require('node:worker_threads');

const post = parentPort.postMessage.bind(parentPort);
let batches = 0;
parentPort.postMessage = (message, transfer) => {
  if (message.t === 'batch' && ++batches > 2) process.exit(3);
  post(message, transfer);
};
require('../../../electron/backend/services/import/read-thread-source.cjs');
