/**
 * `npm run dev`: the web host with Vite's dev server mounted in it (hot reload), in front of
 * the real backend worker: the same API, token and Host/Origin checks as `leadbench serve`,
 * only the page comes from renderer/ sources instead of out/renderer. Development only (Vite
 * is a devDependency), so the CLI never imports this file.
 *   tsx electron/web-host/dev.ts --db PATH [--port N] [--no-open]
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { APP_ROOT } from '../backend/paths';
import { openInBrowser } from './open-browser';
import { serve } from './serve';

const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string' }, 'no-open': { type: 'boolean' } },
});
if (!values.db) {
  console.error('Usage: tsx electron/web-host/dev.ts --db PATH [--port N] [--no-open]');
  process.exit(2);
}

let vite: ViteDevServer | null = null;
const serving = await serve({
  db: values.db,
  port: Number(values.port ?? 0),
  pages: async (server) => {
    vite = await createViteServer({
      configFile: join(APP_ROOT, 'renderer', 'vite.config.ts'),
      server: { middlewareMode: true, hmr: { server } },
      appType: 'spa',
    });
    const middlewares = vite.middlewares;
    return (req, res) => middlewares(req, res);
  },
});
console.log(serving.url);
if (!values['no-open']) openInBrowser(serving.url);

const stop = (): void => {
  void Promise.all([vite?.close(), serving.stop()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
