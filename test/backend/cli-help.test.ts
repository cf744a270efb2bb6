import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/backend/cli';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('leadbench help', () => {
  it('lists every command', async () => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('leadbench learn');
    expect(r.out).toContain('leadbench import FILE');
  });

  it('prints one command when asked about it, by "help NAME" or "NAME --help"', async () => {
    for (const argv of [
      ['help', 'learn'],
      ['learn', '--help'],
      ['learn', '-h'],
      ['--help', 'learn'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/^leadbench learn: .+\nUsage: leadbench learn /);
      expect(r.out).not.toContain('leadbench import FILE');
    }
  });

  it('names an unknown command asked about', async () => {
    const r = await run(['help', 'lern']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "lern"');
  });

  it('with no command at all prints the list and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('leadbench info');
  });
});
