// Plain Vite config for the renderer alone (`npm run dev` mounts it in the web host, and
// private builds in tests); electron-vite builds the same folder for the app.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/**
 * Development only: React's hot reload needs an inline preamble script and a websocket, which
 * the app's strict CSP (index.html) refuses. The built app keeps the strict policy.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'leadbench-dev-csp',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html
          .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
          .replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:*"),
    },
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  plugins: [react(), devContentSecurityPolicy()],
  build: { outDir: resolve(import.meta.dirname, '../out/renderer'), emptyOutDir: true },
});
