/**
 * Packaging tier: `electron-builder --dir` with electron-builder.yml, against a stand-in Electron
 * distribution (no download: an `electron` file carrying Electron's fuse wire, as the real
 * binary does, so the fuses are really flipped and read back), then a look at what was built.
 * Runs on the build in out/ (`npm test` builds it first; alone: `npm run build`).
 */
import { extractAll, extractFile, getRawHeader, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version;
const NODE_BUILD = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
/** The whole package, stand-in Electron aside, must stay under this. */
const SIZE_BUDGET_MB = 8;

const work = mkdtempSync(join(tmpdir(), 'leadbench-packaging-'));
const appDir = join(work, 'dist', 'linux-unpacked');
const resources = join(appDir, 'resources');
let asarFiles: string[] = [];
let nodeBuildBefore = '';

/** A fuse's byte in the wire: ASCII '0' off, '1' on. */
const FUSE = { off: 0x30, on: 0x31 } as const;

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** An unpacked "Electron release" with what electron-builder copies and patches. */
function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  // Electron's default fuse wire: sentinel, wire version 1, 8 fuses (RunAsNode on, cookie
  // encryption off, NODE_OPTIONS on, inspect on, asar integrity off, only-asar off, …).
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron for the packaging test"\n# '),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('10110001\n'),
  ]);
  writeFileSync(join(dir, 'electron'), wire);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), ELECTRON_VERSION);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'locales', 'en-US.pak'), 'stand-in');
}

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return spawnSync('du', ['-sb', path], { encoding: 'utf8' }).stdout.split('\t').map(Number)[0] ?? 0;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'out/main/index.js')) || !existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('out/ is not built: run `npm run build` first');
  }
  nodeBuildBefore = sha256(NODE_BUILD);
  standInElectron(join(work, 'electron-dist'));
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/electron-builder/cli.js'),
      '--config',
      'electron-builder.yml',
      '--dir',
      '--linux',
      '--x64',
      '--publish',
      'never',
      `-c.electronDist=${join(work, 'electron-dist')}`,
      `-c.electronVersion=${ELECTRON_VERSION}`,
      `-c.directories.output=${join(work, 'dist')}`,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // The stand-in Electron has no better-sqlite3 build of its own: ship Node's, which the
      // packaged worker below can load in Node.
      env: { ...process.env, LEADBENCH_NATIVE_MODULE: NODE_BUILD },
    },
  );
  if (r.status !== 0) throw new Error(`electron-builder failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  asarFiles = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packaged app (electron-builder --dir)', () => {
  it('app.asar holds the built app and nothing else', () => {
    const files = asarFiles.filter((f) => !('files' in statFile(join(resources, 'app.asar'), f.slice(1))));
    expect(files).toContain('/package.json');
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/main/worker.js');
    expect(files).toContain('/out/main/score-helper.js');
    expect(files).toContain('/out/main/profile-thread.js');
    expect(files).toContain('/out/main/read-thread.js');
    expect(files).toContain('/out/main/learn-thread.js');
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer/index.html');
    const unexpected = files.filter(
      (f) =>
        f !== '/package.json' &&
        !/^\/out\/main\/[\w-]+\.js$/.test(f) &&
        f !== '/out/preload/index.cjs' &&
        !/^\/out\/renderer\/(index\.html|assets\/[\w-]+\.(js|css))$/.test(f),
    );
    expect(unexpected).toEqual([]);
  });

  it('packs no node_modules, sources, tests, source maps, TypeScript or the CLI', () => {
    for (const f of asarFiles) {
      expect(f).not.toMatch(/node_modules|\.map$|\.tsx?$|^\/(electron|renderer\/src|shared|test|scripts|bin)\//);
      expect(f).not.toMatch(/^\/out\/cli\b/);
    }
    // Libraries are bundled, not shipped as packages: not tsx, Electron, React, recharts or @types.
    expect(asarFiles.some((f) => /\/(tsx|electron|react|recharts|@types)\//.test(f))).toBe(false);
  });

  it('the packaged package.json starts the ES module main and names no dependencies', () => {
    const pkg = JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.type).toBe('module');
    expect(pkg.devDependencies).toBeUndefined();
  });

  it('nothing is unpacked from the archive; better-sqlite3 built for Electron sits in resources/native', () => {
    expect(existsSync(join(resources, 'app.asar.unpacked'))).toBe(false);
    const header = JSON.stringify(getRawHeader(join(resources, 'app.asar')).header);
    expect(header).not.toContain('"unpacked":true');
    expect(sha256(join(resources, 'native', 'better_sqlite3.node'))).toBe(sha256(NODE_BUILD));
    expect(existsSync(join(resources, 'samples', 'starter-leads.csv'))).toBe(true);
  });

  it('the fuses are flipped: no ELECTRON_RUN_AS_NODE, encrypted cookies, app only from the asar', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'leadbench'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FUSE.off);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FUSE.on);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FUSE.off);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FUSE.on);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FUSE.on);
  });

  it(`stays within ${SIZE_BUDGET_MB} MB without Electron itself`, () => {
    const bytes = sizeOf(resources) - sizeOf(join(work, 'electron-dist', 'resources'));
    expect(bytes / 2 ** 20).toBeLessThan(SIZE_BUDGET_MB);
  });

  it('the backend worker and the scoring helper run from the archive’s files alone (no node_modules)', async () => {
    const extracted = join(work, 'extracted');
    extractAll(join(resources, 'app.asar'), extracted);
    const nativeBinding = join(resources, 'native', 'better_sqlite3.node');
    const workspacePath = join(work, 'packaged.leadbench');
    const worker = new Worker(join(extracted, 'out/main/worker.js'), {
      workerData: { workspacePath, nativeBinding, sampleDirs: [join(resources, 'samples')] },
    });
    try {
      const info = await new Promise<unknown>((done, fail) => {
        worker.on('error', fail);
        worker.on('message', (m: { type: string; result?: unknown; message?: string }) => {
          if (m.type === 'ready') worker.postMessage({ type: 'invoke', id: 1, name: 'workspace-info', args: {} });
          if (m.type === 'fatal') fail(new Error(m.message));
          if (m.type === 'result') done(m.result);
        });
      });
      expect(info).toMatchObject({ ok: true, value: { path: workspacePath, leadCount: 0 } });
    } finally {
      await worker.terminate();
    }
    const helper = new Worker(join(extracted, 'out/main/score-helper.js'));
    try {
      const pong = await new Promise<unknown>((done, fail) => {
        helper.on('error', fail);
        helper.on('message', done);
        helper.postMessage({ type: 'ping' });
      });
      expect(pong).toEqual({ type: 'pong', jobId: -1 });
    } finally {
      await helper.terminate();
    }
  });

  it('leaves the Node build of better-sqlite3 in node_modules untouched and loadable by Node', () => {
    expect(sha256(NODE_BUILD)).toBe(nodeBuildBefore);
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 41 + 1 as x').get().x)",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('42');
  });
});

describe('Linux and file-type metadata', () => {
  it('names the homepage and maintainer deb needs, a category and the .leadbench association', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      homepage?: string;
      author?: { email?: string };
    };
    const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.email).toMatch(/@/);
    expect(config).toMatch(/^ {2}maintainer: .+ <.+@.+>$/m);
    expect(config).toMatch(/^ {2}category: Office$/m);
    expect(config).toMatch(/^ {2}- ext: leadbench$/m);
  });
});

describe("`npm run dist`'s native step (scripts/ensure-electron-native.mjs)", () => {
  it('builds from a copy of the sources: node_modules/better-sqlite3 keeps its Node build', () => {
    // The same build as for Electron, for Node's own ABI (its headers need no download here),
    // so the result can be loaded in this test.
    const outFile = join(work, 'native-step', 'better_sqlite3.node');
    const before = sha256(NODE_BUILD);
    const script = pathToFileURL(join(ROOT, 'scripts/ensure-electron-native.mjs')).href;
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { buildBetterSqlite3 } = await import(${JSON.stringify(script)});
         buildBetterSqlite3({ runtime: 'node', target: process.versions.node, outFile: ${JSON.stringify(outFile)} });`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(sha256(NODE_BUILD)).toBe(before);
    const load = spawnSync(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3');
         const fresh = new D(':memory:', { nativeBinding: ${JSON.stringify(outFile)} }).prepare('select 2 * 21 as x').get().x;
         const node = new D(':memory:').prepare('select 6 * 7 as x').get().x;
         console.log(fresh, node);`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(load.stderr).toBe('');
    expect(load.stdout.trim()).toBe('42 42');
  }, 1_800_000);
});
