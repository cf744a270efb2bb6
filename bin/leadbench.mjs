#!/usr/bin/env node
// The `leadbench` command: runs the bundled command line, out/cli/cli.js (plain JavaScript;
// no TypeScript compiler at run time). In a checkout, the bundle is (re)built first when it is
// missing or older than one of the sources it was built from — a fresh clone, a pull, an edit —
// which costs well under a second once; otherwise this file only reads build-info.json and
// stats the sources listed there.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'out', 'cli', 'cli.js');
const buildInfo = join(root, 'out', 'cli', 'build-info.json');
const builder = join(root, 'scripts', 'build-cli.mjs');

function modifiedAfter(path, time) {
  try {
    return statSync(path).mtimeMs > time;
  } catch {
    return true; // a source that is gone: the bundle no longer matches the tree
  }
}

function bundleOutdated() {
  if (!existsSync(bundle) || !existsSync(buildInfo)) return true;
  const { builtAt, inputs } = JSON.parse(readFileSync(buildInfo, 'utf8'));
  return inputs.some((input) => modifiedAfter(join(root, input), builtAt));
}

if (existsSync(builder) && bundleOutdated()) {
  const { buildCli } = await import(pathToFileURL(builder).href);
  await buildCli();
}
if (!existsSync(bundle)) {
  process.stderr.write(`leadbench: ${bundle} is missing. Run \`npm run build\` first.\n`);
  process.exit(1);
}
// `serve` shows the built app pages. A fresh checkout builds them once, as `npm start` would;
// the build's output goes to stderr so that stdout stays the one address line.
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const pagesBuilt = existsSync(join(root, 'out', 'renderer', 'index.html'));
if (process.argv[2] === 'serve' && !process.env.LEADBENCH_RENDERER_DIR && !pagesBuilt && existsSync(electronVite)) {
  process.stderr.write('leadbench: building the app once (npm run build) before serving it…\n');
  const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) process.exit(1);
}
const { runCliProcess } = await import(pathToFileURL(bundle).href);
await runCliProcess(process.argv.slice(2));
