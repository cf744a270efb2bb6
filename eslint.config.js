// Lint rules, including the layer arrows of DESIGN.md: renderer never imports electron or
// backend code, the backend never imports 'electron', shared/ imports nothing outside itself.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = (message) => ({ name: 'electron', message });
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Type-aware rules: a promise nobody awaits or catches (its failure vanishes), or one
    // passed where a plain callback is expected (an event handler, a condition).
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.test.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the backend only through window.api.' }],
          patterns: [
            { group: ['**/electron/**'], message: 'The renderer may not import main, preload or backend code.' },
            { group: nodeBuiltins, message: 'The renderer has no Node access.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/backend/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron('The backend runs under plain Node; only electron/main and preload import electron.')],
          patterns: [
            {
              group: ['**/renderer/**', '**/main/**', '**/preload/**', '**/web-host/**'],
              message: 'Arrows point down: backend may import shared only (the CLI alone may start the web host).',
            },
          ],
        },
      ],
    },
  },
  {
    // `leadbench serve` is a CLI command that starts the web host, a shell like electron/main.
    files: ['electron/backend/cli/serve.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron('The CLI runs under plain Node.')],
          patterns: [
            {
              group: ['**/renderer/**', '**/main/**', '**/preload/**'],
              message: 'The CLI may not import the UI shells.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web host is the browser's shell (a peer of electron/main): plain Node, never electron.
    files: ['electron/web-host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron('The web host runs under plain Node (leadbench serve).')],
          patterns: [
            {
              group: ['**/renderer/**', '**/main/**', '**/preload/**'],
              message: 'The web host relays to the backend; it imports backend and shared code only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ is pure TypeScript.' },
            { name: 'better-sqlite3', message: 'shared/ is pure TypeScript.' },
            { name: 'react', message: 'shared/ is pure TypeScript.' },
          ],
          patterns: [
            { group: nodeBuiltins, message: 'shared/ runs in the renderer too: no Node modules.' },
            {
              group: ['**/electron/**', '**/renderer/**', '**/test/**'],
              message: 'shared/ may import nothing outside shared/.',
            },
          ],
        },
      ],
    },
  },
);
