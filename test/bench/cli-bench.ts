/**
 * CLI start-up: `leadbench help` through the real bin (the bundled CLI in out/cli/, built
 * first if needed), against a bare `node -e 0` start measured in the same run. The two are
 * run alternately so machine load falls on both alike; medians count.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/leadbench.mjs');

function timeRun(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function benchCli({ runs }: { runs: number }): Promise<Record<string, number>> {
  timeRun([BIN, 'help']); // builds the bundle when it is missing or out of date; not timed
  timeRun(['-e', '0']);
  const cli: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    cli.push(timeRun([BIN, 'help']));
    bare.push(timeRun(['-e', '0']));
  }
  const cliStartMs = median(cli);
  const bareNodeStartMs = median(bare);
  return {
    runs,
    cliStartMs,
    cliStartMinMs: Math.min(...cli),
    bareNodeStartMs,
    bareNodeStartMinMs: Math.min(...bare),
    cliStartOverheadMs: cliStartMs - bareNodeStartMs,
    cliStartRatio: cliStartMs / bareNodeStartMs,
  };
}
