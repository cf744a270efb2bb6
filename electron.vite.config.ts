// Builds the three targets from our folder names: electron/main (+ the backend worker, the
// scoring helper, the import profile and read threads as more entries, so they are files a thread
// can start), electron/preload (CommonJS, because sandboxed preloads cannot be ES modules)
// and renderer/.
//
// The main build bundles every library it uses, better-sqlite3's JavaScript included: the
// packaged app loads nothing from node_modules (electron-builder.yml leaves node_modules out),
// and better-sqlite3's native module is always handed over as nativeBinding (electron/main).
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: false,
      // better-sqlite3 loads its native module with require(nativeBinding), a path known at run time.
      commonjsOptions: { ignoreDynamicRequires: true },
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          worker: resolve(import.meta.dirname, 'electron/backend/worker.ts'),
          'score-helper': resolve(import.meta.dirname, 'electron/backend/services/scoring/score-helper.ts'),
          'profile-thread': resolve(import.meta.dirname, 'electron/backend/services/import/profile-thread.ts'),
          'read-thread': resolve(import.meta.dirname, 'electron/backend/services/import/read-thread.ts'),
          'learn-thread': resolve(import.meta.dirname, 'electron/backend/services/outcomes/learn-thread.ts'),
        },
        // Chunks beside the entries: backend.ts finds score-helper.js, profile-thread.js and learn-thread.js relative to its own file,
        // wherever the bundler puts that code.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      minify: true,
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
