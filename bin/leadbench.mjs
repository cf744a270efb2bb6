#!/usr/bin/env node
// The `leadbench` command: runs the TypeScript CLI through tsx (a runtime dependency), so the
// CLI is exactly the source the app is built from.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../electron/backend/cli.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
