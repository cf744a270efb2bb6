/**
 * Outcomes in: an import's outcome column closes leads as Won / Lost (blank and "Select"
 * stay open), dated from the outcome date column, with the deal value kept; closed leads
 * are scored on import and keep that score; `leadbench stage` moves leads by key, email or
 * a file's column; migration 0140 adds the outcome tables to an existing workspace.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { migration0140Outcomes } from '../../../electron/backend/db/migrations/0140-outcomes';
import { classifyOutcome, parseOutcomeArgument } from '../../../shared/outcomes';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function csv(rows: string[][]): string {
  const path = join(tempDir(), 'deals.csv');
  writeFileSync(path, rows.map((r) => r.join(',')).join('\n'));
  return path;
}

const FILE = [
  ['id', 'email', 'Job Title', 'Status', 'Closed on', 'Amount'],
  ['a1', 'ann@acme.com', 'CEO', 'Won', '2025-03-01', '1200'],
  ['a2', 'bo@beta.io', 'Intern', 'lost', '2025-02-10', ''],
  ['a3', 'cy@gamma.org', 'VP Sales', '', '', ''],
  ['a4', 'di@delta.net', 'CTO', 'Select', '', ''],
  ['a5', 'ed@eps.com', 'Analyst', 'closed won', '2025-04-02', '800'],
  ['a6', 'fi@phi.com', 'Analyst', 'no decision', '', ''],
];

describe('outcome values', () => {
  it('won values are case-insensitive, other non-blank values are lost, blanks and placeholders stay open', () => {
    expect(classifyOutcome(' WON ', { won: ['won'] })).toBe('won');
    expect(classifyOutcome('no', { won: ['yes'] })).toBe('lost');
    expect(classifyOutcome('', { won: ['yes'] })).toBeNull();
    expect(classifyOutcome('Select', { won: ['yes'] }, new Set(['select']))).toBeNull();
    // Naming the lost values keeps a pipeline's stages in between open.
    const pipeline = { won: ['Won'], lost: ['Lost'] };
    expect(classifyOutcome('lost', pipeline)).toBe('lost');
    expect(classifyOutcome('Engaging', pipeline)).toBeNull();
    expect(classifyOutcome('won', pipeline)).toBe('won');
    expect(parseOutcomeArgument('Converted=1')).toEqual({ column: 'Converted', won: ['1'] });
    expect(parseOutcomeArgument('Status=won|closed won')).toEqual({ column: 'Status', won: ['won', 'closed won'] });
    expect(parseOutcomeArgument('a=b=c')).toEqual({ column: 'a=b', won: ['c'] });
    expect(parseOutcomeArgument('Converted')).toBeNull();
    expect(parseOutcomeArgument('Converted=')).toBeNull();
  });
});

describe('leadbench import --outcome', () => {
  it('closes leads as won / lost from the column, dated from the outcome date, and keeps their score', async () => {
    const db = join(tempDir(), 'ws.leadbench');
    const r = await cli(
      'import',
      csv(FILE),
      '--db',
      db,
      '--key',
      'id',
      '--outcome',
      'Status=won|closed won',
      '--outcome-date',
      'Closed on',
      '--outcome-value',
      'Amount',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Outcomes    2 won, 2 lost, 2 still open');
    const d = new Database(db, { readonly: true });
    const stages = d
      .prepare('SELECT k.key_value, l.stage FROM leads l JOIN lead_keys k ON k.lead_id = l.id ORDER BY 1')
      .all();
    expect(stages).toEqual([
      { key_value: 'a1', stage: 'won' },
      { key_value: 'a2', stage: 'lost' },
      { key_value: 'a3', stage: expect.not.stringMatching(/^(won|lost)$/) },
      { key_value: 'a4', stage: expect.not.stringMatching(/^(won|lost)$/) },
      { key_value: 'a5', stage: 'won' },
      { key_value: 'a6', stage: 'lost' },
    ]);
    const history = d
      .prepare(
        `SELECT k.key_value, c.to_stage, c.changed_at FROM stage_changes c JOIN lead_keys k ON k.lead_id = c.lead_id
          WHERE c.to_stage IN ('won', 'lost') ORDER BY 1`,
      )
      .all() as { key_value: string; to_stage: string; changed_at: number }[];
    expect(history.slice(0, 1)).toEqual([{ key_value: 'a1', to_stage: 'won', changed_at: Date.UTC(2025, 2, 1) }]);
    expect(history.find((h) => h.key_value === 'a5')?.changed_at).toBe(Date.UTC(2025, 3, 2));
    expect(
      d
        .prepare(
          'SELECT k.key_value, o.outcome, o.deal_value FROM lead_outcomes o JOIN lead_keys k ON k.lead_id = o.lead_id ORDER BY 1',
        )
        .all(),
    ).toEqual([
      { key_value: 'a1', outcome: 'won', deal_value: 1200 },
      { key_value: 'a2', outcome: 'lost', deal_value: null },
      { key_value: 'a5', outcome: 'won', deal_value: 800 },
      { key_value: 'a6', outcome: 'lost', deal_value: null },
    ]);
    expect(d.prepare('SELECT column_name, role FROM outcome_columns ORDER BY 1').all()).toEqual([
      { column_name: 'Amount', role: 'value' },
      { column_name: 'Closed on', role: 'date' },
      { column_name: 'Status', role: 'outcome' },
    ]);
    // Every closed lead was scored before it closed (the CEO got the default model's title points).
    expect(
      d.prepare("SELECT count(*) FROM leads WHERE stage IN ('won', 'lost') AND score_total IS NULL").pluck().get(),
    ).toBe(0);
    const ceo = d.prepare("SELECT score_total FROM leads WHERE email = 'ann@acme.com'").pluck().get() as number;
    expect(ceo).toBeGreaterThan(0);
    d.close();
  });

  it('with --outcome-lost, a real pipeline keeps its stages in between open (Maven CRM: Engaging, Prospecting)', async () => {
    const db = join(tempDir(), 'ws.leadbench');
    const file = join(REAL_DATA, 'maven_crm_sales_pipeline.csv');
    const r = await cli('import', file, '--db', db, '--outcome', 'deal_stage=Won', '--outcome-lost', 'Lost');
    expect(r.err).toBe('');
    // The file's own counts: 4,238 Won, 2,473 Lost, 1,589 Engaging and 500 Prospecting.
    expect(r.out).toContain('Outcomes    4,238 won, 2,473 lost, 2,089 still open');
    const d = new Database(db, { readonly: true });
    expect(d.prepare("SELECT count(*) FROM leads WHERE stage NOT IN ('won', 'lost')").pluck().get()).toBe(2089);
    d.close();
    const bare = await cli('import', file, '--db', join(tempDir(), 'b.leadbench'), '--outcome-lost', 'Lost');
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('--outcome-lost, --outcome-date and --outcome-value need --outcome');
  });

  it('refuses an outcome column the file does not have, naming the columns, and a malformed --outcome', async () => {
    const db = join(tempDir(), 'ws.leadbench');
    const missing = await cli('import', csv(FILE), '--db', db, '--outcome', 'Converted=1');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('The outcome column "Converted" is not in the file. Columns: id, email');
    const bad = await cli('import', csv(FILE), '--db', db, '--outcome', 'Status');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('write it as COLUMN=WON_VALUE');
  });
});

describe('leadbench stage', () => {
  it('moves leads named by key, email or a file column; unknown stages and leads are reported', async () => {
    const db = join(tempDir(), 'ws.leadbench');
    expect((await cli('import', csv(FILE), '--db', db, '--key', 'id')).code).toBe(0);
    const byArgs = await cli('stage', '--db', db, '--to', 'won', 'a1', 'bo@beta.io', 'nobody@x.test');
    expect(byArgs.code).toBe(0);
    expect(byArgs.out).toBe('Moved 2 leads to won (0 already there).');
    expect(byArgs.err).toContain('No lead found for 1: nobody@x.test');

    const list = join(tempDir(), 'lost.csv');
    writeFileSync(list, 'Ref,Note\na3,x\na4,y\na1,again\nzz,?\n');
    const byFile = await cli('stage', '--db', db, '--to', 'lost', '--file', list, '--key', 'Ref');
    expect(byFile.code).toBe(0);
    expect(byFile.out).toBe('Moved 3 leads to lost (0 already there).');
    expect(byFile.err).toContain('row 5 (zz)');

    const d = new Database(db, { readonly: true });
    expect(
      d
        .prepare('SELECT k.key_value, l.stage FROM leads l JOIN lead_keys k ON k.lead_id = l.id ORDER BY 1 LIMIT 4')
        .all(),
    ).toEqual([
      { key_value: 'a1', stage: 'lost' },
      { key_value: 'a2', stage: 'won' },
      { key_value: 'a3', stage: 'lost' },
      { key_value: 'a4', stage: 'lost' },
    ]);
    d.close();

    const unknown = await cli('stage', '--db', db, '--to', 'signed', 'a1');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown stage "signed". Stages: new, mql');
    expect((await cli('stage', '--db', db, '--to', 'won', '--file', list)).code).toBe(2);
    expect((await cli('stage', '--db', db, '--to', 'won', '--file', list, '--key', 'Nope')).err).toContain(
      'has no column "Nope". Columns: Ref, Note',
    );
  });
});

describe('migration 0140-outcomes', () => {
  it('adds lead_outcomes and outcome_columns to a workspace at 0100 that already has leads', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 140),
    );
    db.prepare("INSERT INTO leads (id, uid, stage, created_at, updated_at) VALUES (1, 'u1', 'won', 0, 0)").run();
    migrate(db, MIGRATIONS);
    expect(migration0140Outcomes.version).toBe(140);
    db.prepare("INSERT INTO lead_outcomes (lead_id, outcome, recorded_at) VALUES (1, 'won', 5)").run();
    expect(() => db.prepare("INSERT INTO outcome_columns (column_name, role) VALUES ('x', 'maybe')").run()).toThrow(
      /CHECK/,
    );
    db.prepare('DELETE FROM leads WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM lead_outcomes').pluck().get()).toBe(0);
    db.close();
  });
});

describe('undo of an import with an outcome column', () => {
  it('puts back the stages, history, follow-ups and outcomes it changed on leads that were there before', async () => {
    const b = tempBackend();
    const base = csv([
      ['email', 'Job Title'],
      ['ann@acme.com', 'CEO'],
      ['bo@beta.io', 'Intern'],
      ['cy@gamma.org', 'VP Sales'],
    ]);
    await b.invoke('import-run', { path: base, options: { kind: 'leads' } });
    const d = new Database(b.path, { readonly: true });
    const idOf = (email: string) => d.prepare('SELECT id FROM leads WHERE email = ?').pluck().get(email) as number;
    // Bo was qualified by hand before the outcome file came in.
    await b.invoke('stage-change', { leadIds: [idOf('bo@beta.io')], toStage: 'sql' });
    const snapshot = () => ({
      leads: d.prepare('SELECT email, stage, updated_at, sla_due_at FROM leads ORDER BY email').all(),
      history: d
        .prepare('SELECT lead_id, from_stage, to_stage, changed_at, actor FROM stage_changes ORDER BY id')
        .all(),
      followups: d.prepare('SELECT * FROM lead_followup ORDER BY lead_id').all(),
      outcomes: d.prepare('SELECT * FROM lead_outcomes ORDER BY lead_id').all(),
      scores: d.prepare('SELECT lead_id, total, segment FROM lead_scores ORDER BY lead_id, model_id').all(),
    });
    const before = snapshot();

    const outcomes = csv([
      ['email', 'Job Title', 'Result', 'Closed'],
      ['ann@acme.com', 'CEO', 'won', '2025-03-01'],
      ['bo@beta.io', 'Intern', 'lost', '2025-02-10'],
      ['dee@delta.net', 'CTO', 'won', '2025-01-05'],
    ]);
    const s = await b.invoke('import-run', {
      path: outcomes,
      options: { kind: 'leads', outcome: { column: 'Result', won: ['won'], dateColumn: 'Closed' } },
    });
    expect(s.outcomes).toEqual({ won: 2, lost: 1, open: 0 });
    const after = snapshot();
    expect(after.leads).toContainEqual(expect.objectContaining({ email: 'ann@acme.com', stage: 'won' }));
    expect(after.leads).toContainEqual(expect.objectContaining({ email: 'bo@beta.io', stage: 'lost' }));
    expect(after.history.filter((h) => (h as { actor: string }).actor === `import #${s.importId}`)).toHaveLength(3);

    const undo = await b.invoke('import-undo', { importId: s.importId });
    expect(undo.leadsDeleted).toBe(1);
    const restored = snapshot();
    expect(restored.leads).toEqual(before.leads);
    expect(restored.history).toEqual(before.history);
    expect(restored.followups).toEqual(before.followups);
    expect(restored.outcomes).toEqual(before.outcomes);
    // Open again, so scored again: the same scores as before the import.
    expect(restored.scores).toEqual(before.scores);
    d.close();
  });

  it('lands the outcomes in the import commit: a lead imported closed has a score to keep', async () => {
    const b = tempBackend();
    const s = await b.invoke('import-run', {
      path: csv(FILE),
      options: { kind: 'leads', outcome: { column: 'Status', won: ['won', 'closed won'] } },
    });
    expect(s.status).toBe('done');
    const d = new Database(b.path, { readonly: true });
    const unscoredClosed = d
      .prepare(
        "SELECT count(*) FROM leads l WHERE l.stage IN ('won', 'lost') AND NOT EXISTS (SELECT 1 FROM lead_scores s WHERE s.lead_id = l.id)",
      )
      .pluck()
      .get();
    expect(unscoredClosed).toBe(0);
    // Every closed lead's history row and outcome belong to this import.
    expect(d.prepare("SELECT count(*) FROM leads WHERE stage IN ('won', 'lost')").pluck().get()).toBe(4);
    expect(d.prepare('SELECT count(*) FROM lead_outcomes WHERE import_id = ?').pluck().get(s.importId)).toBe(4);
    d.close();
  });
});
