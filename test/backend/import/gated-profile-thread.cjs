// A profile thread held at a gate (profile-thread.test.ts): it blocks its own thread, as a
// profile busy reading a large file does, until the file `<path>.gate` exists, then runs the
// real profile-thread entry. Blocked synchronously on purpose: were the profile on the backend
// thread, nothing else could be answered meanwhile.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry file */
const { existsSync } = require('node:fs');
const { workerData } = require('node:worker_threads');

const pause = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(`${workerData.path}.gate`)) Atomics.wait(pause, 0, 0, 10);
require('../../../electron/backend/services/import/profile-thread-source.cjs');
