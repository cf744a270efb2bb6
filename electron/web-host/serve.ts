/**
 * `leadbench serve`: the backend worker (the same handler table and thread as the desktop
 * app) behind the web host on 127.0.0.1, showing the built renderer, or Vite's dev server
 * for `npm run dev`. Returns the address to print and a way to stop everything.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { APP_ROOT, defaultSampleDirs } from '../backend/paths';
import { defaultWorkerEntry, startBackendWorker } from '../backend/worker-client';
import { newToken } from './guard';
import { createWebHost, type PageServer } from './host';
import { staticFiles } from './static-files';
import type { Server } from 'node:http';

export type ServeOptions = Readonly<{
  db: string;
  /** 0 = a free port. */
  port: number;
  /** What serves the page; default the built renderer (out/renderer or $LEADBENCH_RENDERER_DIR). */
  pages?: (server: Server) => Promise<PageServer>;
}>;

export type Serving = Readonly<{ url: string; port: number; stop: () => Promise<void> }>;

export function rendererDir(): string {
  return resolve(process.env.LEADBENCH_RENDERER_DIR ?? join(APP_ROOT, 'out', 'renderer'));
}

export async function serve(options: ServeOptions): Promise<Serving> {
  const db = resolve(options.db);
  const builtPages = options.pages ? null : staticFiles(rendererDir()); // fails early when not built
  mkdirSync(dirname(db), { recursive: true }); // the desktop app's first run starts in a folder not made yet
  const backend = startBackendWorker(defaultWorkerEntry(), { workspacePath: db, sampleDirs: defaultSampleDirs() });
  try {
    await backend.ready;
  } catch (err) {
    await backend.terminate();
    throw err;
  }
  const token = newToken();
  let pages: PageServer = (req, res) => builtPages?.serve(new URL(req.url ?? '/', 'http://x').pathname, res);
  const host = createWebHost({ backend, token, allowedRoots: [dirname(db)], pages: (req, res) => pages(req, res) });
  if (options.pages) pages = await options.pages(host.server);
  const port = await host.listen(options.port);
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    stop: async () => {
      await host.close();
      await backend.terminate();
    },
  };
}
