// Runs the TypeScript read thread entry through tsx: the import's read thread when the backend
// itself runs from source (tests, the benchmark). The built app and the CLI start the bundled
// read-thread.js instead. CommonJS for the same reason as score-helper-source.cjs: tsx's
// require hook compiles in this thread, its ESM loader would start one more.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry file */
require('tsx/cjs/api').register();
require('./read-thread.ts');
