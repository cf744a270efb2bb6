// Runs the TypeScript helper entry through tsx: the scoring helper thread when the backend
// itself runs from source (tests, the benchmark). The built app and the CLI start the bundled
// score-helper.js instead. CommonJS on purpose: tsx's require hook compiles in this thread,
// where its ESM loader would start one more thread (and V8 heap) per helper.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry file */
require('tsx/cjs/api').register();
require('./score-helper.ts');
