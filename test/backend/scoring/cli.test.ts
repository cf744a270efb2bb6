import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { tempDir } from '../helpers';
import { seedLeads } from './seed';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function workspace(): string {
  const path = join(tempDir(), 'cli.leadbench');
  const db = openWorkspaceDb(path, { create: true });
  seedLeads(db, [
    { email: 'Ceo@Acme.com', title: 'CEO', activities: [['download', 'Pricing guide', 3]] },
    { email: 'won@acme.com', title: 'CEO', stage: 'won' },
  ]);
  db.close();
  return path;
}

describe('leadbench score / explain', () => {
  it('score rescores every lead; explain prints the ledger by id, uid or email', async () => {
    const db = workspace();
    const score = await cli('score', '--db', db);
    expect(score.code).toBe(0);
    expect(score.out).toMatch(
      /^Rescored 1 leads in [\d.]+ s \(1 frozen in closed stages; changed scores: 1 under "Default"\)\.\nThe 1 frozen leads were closed in this workspace and keep the score they closed with; --include-closed rescores them too\.$/,
    );

    const byEmail = await cli('explain', '--db', db, 'ceo@acme.com');
    expect(byEmail.code).toBe(0);
    expect(byEmail.out).toContain('model "Default" v1');
    expect(byEmail.out).toContain('+40 C-level title');
    expect(byEmail.out).toMatch(/\+15 Downloaded 'Pricing guide' on \d+ \w{3} \d{4} \(Content download\)/);
    expect((await cli('explain', '--db', db, '1')).out).toBe(byEmail.out);
    expect((await cli('explain', '--db', db, 'U-Ceo')).out).toBe(byEmail.out);
    const json = JSON.parse((await cli('explain', '--db', db, '1', '--json')).out) as {
      score: { total: number; ledger: { points: number }[] };
    };
    expect(json.score.ledger.reduce((s, e) => s + e.points, 0)).toBe(json.score.total);

    const missing = await cli('explain', '--db', db, 'nobody@nowhere');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No lead matches "nobody@nowhere"');
    expect((await cli('explain', '--db', db)).code).toBe(2);
    expect((await cli('score')).code).toBe(2);
  });

  it('score --model publishes a valid model file as a new version first, and refuses an invalid one', async () => {
    const db = workspace();
    const dir = tempDir();
    const good = join(dir, 'model.json');
    writeFileSync(
      good,
      JSON.stringify({
        ...DEFAULT_MODEL,
        fit: [{ id: 'all', name: 'Everyone', when: { field: 'email', op: 'is_not_blank' }, points: 7 }],
      }),
    );
    const r = await cli('score', '--db', db, '--model', good);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Published "Default" as version 2 of the primary model.');
    expect((await cli('explain', '--db', db, '1')).out).toContain('+7 Everyone (Email: Ceo@Acme.com)');

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...DEFAULT_MODEL,
        engagement: [{ id: 'x', name: 'Pricing page', match: { types: ['page_visit'] }, points: 'ten' }],
      }),
    );
    const refused = await cli('score', '--db', db, '--model', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("engagement rule 'Pricing page' (#1): points must be a number");
    const check = openWorkspaceDb(db);
    expect(check.prepare('SELECT max(version) AS v FROM model_versions').get()).toEqual({ v: 2 });
    check.close();
  });
});
