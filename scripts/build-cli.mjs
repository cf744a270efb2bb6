// Bundles the command line into plain JavaScript in out/cli/: cli.js (what bin/leadbench.mjs
// runs), score-helper.js, profile-thread.js, read-thread.js and learn-thread.js (the scoring
// helper, import profile, import read and learning fit threads, found beside the bundle by backend.ts) and worker.js (the backend worker thread, for hosts
// that run the backend in its worker).
// Run by `npm run build`, and by the bin itself when the bundle is missing or older than a
// source file it was built from (build-info.json lists them), so a fresh clone, a `git pull`
// and an edit all run current code without tsx.
//
// Why esbuild and not one more electron-vite entry: electron-vite builds main, preload and
// the renderer together (about 12 s here, most of it the renderer), which the bin would pay
// on every rebuild; esbuild bundles the backend alone in well under a second. It is vite's and
// electron-vite's own bundler, so it adds nothing to install.
//
// The same rule as electron-vite's app build: the runtime `dependencies` of package.json (only
// better-sqlite3, native) stay external, every other library is bundled. Each command's code is
// a chunk of its own, loaded when that command runs.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_OUT_DIR = join(ROOT, 'out', 'cli');
export const CLI_BUILD_INFO = join(CLI_OUT_DIR, 'build-info.json');

const ENTRIES = {
  cli: 'electron/backend/cli.ts',
  worker: 'electron/backend/worker.ts',
  'score-helper': 'electron/backend/services/scoring/score-helper.ts',
  'profile-thread': 'electron/backend/services/import/profile-thread.ts',
  'read-thread': 'electron/backend/services/import/read-thread.ts',
  'learn-thread': 'electron/backend/services/outcomes/learn-thread.ts',
};

/** Writes a file so that a concurrent reader sees the old or the new content, never half. */
function writeAtomically(path, contents) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** Builds out/cli/ and returns the source files it was built from (relative to the repository). */
export async function buildCli() {
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: CLI_OUT_DIR,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]', // beside the entries: backend.ts finds score-helper.js relative to itself
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    external: Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {}),
    // CommonJS libraries (yauzl) require Node's built-in modules; an ES module bundle has no
    // `require` of its own, so each output file gets one.
    banner: {
      js: "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);",
    },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(CLI_OUT_DIR, { recursive: true });
  const written = new Set();
  for (const file of result.outputFiles) {
    writeAtomically(file.path, file.contents);
    written.add(basename(file.path));
  }
  // Chunks of earlier builds (their names carry a content hash) would pile up.
  for (const name of readdirSync(CLI_OUT_DIR)) {
    if (name.endsWith('.js') && !written.has(name)) rmSync(join(CLI_OUT_DIR, name), { force: true });
  }
  // Sources only: a library's files change with package.json and the lockfile, which are listed.
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/')),
    'package.json',
    'package-lock.json',
    relative(ROOT, fileURLToPath(import.meta.url)).replace(/\\/g, '/'),
  ];
  writeAtomically(CLI_BUILD_INFO, JSON.stringify({ builtAt: startedAt, inputs }, null, 1));
  return inputs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const inputs = await buildCli();
  console.log(
    `leadbench: bundled the command line from ${inputs.length} source files into ${relative(ROOT, CLI_OUT_DIR)}/`,
  );
}
