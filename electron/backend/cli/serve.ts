/**
 * `leadbench serve`: Leadbench in the browser. Starts the backend worker and the web host
 * (electron/web-host) on 127.0.0.1, prints the address with its session token on one line,
 * opens the system browser, and runs until interrupted.
 */
import { openInBrowser } from '../../web-host/open-browser';
import { serve } from '../../web-host/serve';
import { AppError } from '../errors';
import { parseCli } from './common';
import type { CliCommandRun } from './types';

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new AppError('BAD_ARGUMENT', `--port must be 0..65535, not "${value}".`);
  return port;
}

/** Resolves on SIGINT/SIGTERM (Ctrl+C, or the parent stopping us). */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export const serveCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, {
      db: { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean' },
    });
    if (!values.db) throw new AppError('BAD_ARGUMENT', 'Missing --db PATH (the workspace file; created when missing).');
    const serving = await serve({ db: values.db, port: parsePort(values.port) });
    io.out(serving.url);
    if (!values['no-open']) openInBrowser(serving.url);
    await untilStopped();
    await serving.stop();
    return 0;
  },
};
