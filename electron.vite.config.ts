// Builds the three targets from our folder names: electron/main (+ the backend worker and the
// scoring helper as more entries, so they are files a thread can start), electron/preload (CommonJS,
// because sandboxed preloads cannot be ES modules) and renderer/.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          worker: resolve(import.meta.dirname, 'electron/backend/worker.ts'),
          'score-helper': resolve(import.meta.dirname, 'electron/backend/services/scoring/score-helper.ts'),
        },
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
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
