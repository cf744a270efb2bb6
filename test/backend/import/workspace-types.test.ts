/**
 * Any activity type (#13 item 3) and lists without a date column (item 4) on the real files:
 * X Education's "Last Activity" (its source's own words: SMS Sent, Olark Chat Conversation,
 * Email Bounced...) imports as an activity log with 0 rejected rows, each unknown word a
 * workspace type an engagement rule can target; Hillstrom's 64,000 campaign rows, which have
 * no id and no date, import through the CLI with one date for all rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

const XE = join(REAL_DATA, 'xeducation_leads.csv');
const DAY = Date.UTC(2026, 0, 15);

describe('workspace activity types', () => {
  it('imports every X Education "Last Activity" as an activity and scores through a workspace type', async () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(XE, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const b = tempBackend();
    await b.invoke('import-run', { path: XE, options: { kind: 'leads', mapping: { 'Prospect ID': 'key' } } });
    const s = await b.invoke('import-run', {
      path: XE,
      options: {
        kind: 'activities',
        mapping: { 'Prospect ID': 'key', 'Last Activity': 'activity.type' },
        blankPlaceholders: true,
        // No date column: every row happened on one day; rows without a type are page visits.
        eventTime: DAY,
        activityType: 'page_visit',
        // The user merged one source word into a built-in type and renamed another.
        activityTypeMap: { 'Email Opened': 'email_open', 'Had a Phone Conversation': 'ws:Phone call' },
      },
    });
    expect(s).toMatchObject({ rowsTotal: rows.length, errors: 0, activitiesInserted: rows.length });

    const db = b.context.db();
    const types = new Map(
      (
        db.prepare('SELECT type, count(*) AS n FROM activities GROUP BY type').all() as { type: string; n: number }[]
      ).map((r) => [r.type, r.n]),
    );
    const count = (v: string) => rows.filter((r) => r['Last Activity'] === v).length;
    expect(types.get('ws:SMS Sent')).toBe(count('SMS Sent'));
    expect(types.get('ws:Olark Chat Conversation')).toBe(count('Olark Chat Conversation'));
    expect(types.get('ws:Phone call')).toBe(count('Had a Phone Conversation'));
    expect(types.get('email_open')).toBe(count('Email Opened'));
    expect([...types.keys()].filter((t) => t.startsWith('ws:')).length).toBeGreaterThanOrEqual(10);

    // An engagement rule on the workspace type scores exactly the leads whose activity it is.
    const draft = {
      ...DEFAULT_MODEL,
      // The activities are dated in the past: no decay or inactivity penalty clouds the count.
      decay: { halfLifeDays: null, windowDays: null },
      engagement: [{ id: 'sms', name: 'Texted us', match: { types: ['ws:SMS Sent'] }, points: 7, frequency: 'first' }],
    };
    await b.invoke('model-save-draft', { modelId: 1, definition: draft });
    await b.invoke('model-publish', { modelId: 1 });
    await activeRescore(db)?.done;
    const engaged = db.prepare('SELECT count(*) FROM lead_scores WHERE engagement > 0').pluck().get();
    expect(engaged).toBe(count('SMS Sent'));
  });

  it('imports Hillstrom as activities with one date for all rows and its segments as workspace types', async () => {
    const dir = tempDir();
    const ws = join(dir, 'hillstrom.leadbench');
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ segment: 'activity.type' }));
    const out: string[] = [];
    const code = await runCli(
      [
        'import',
        join(REAL_DATA, 'hillstrom_email_campaign.csv'),
        '--db',
        ws,
        '--kind',
        'activities',
        '--mapping',
        mapping,
        '--row-key',
        '--date-all',
        '2026-01-15',
        '--json',
      ],
      { out: (l) => out.push(l), err: (l) => out.push(l) },
    );
    expect(code, out.join('\n')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ rowsTotal: 64_000, errors: 0, activitiesInserted: 64_000 });
    const db = openWorkspaceDb(ws);
    try {
      const types = db
        .prepare(
          'SELECT type, min(occurred_at) AS a, max(occurred_at) AS z FROM activities GROUP BY type ORDER BY type',
        )
        .all();
      expect(types).toEqual(
        ['ws:Mens E-Mail', 'ws:No E-Mail', 'ws:Womens E-Mail'].map((type) => ({ type, a: DAY, z: DAY })),
      );
    } finally {
      db.close();
    }
  }, 300_000);

  it('refuses a --date-all it cannot read', async () => {
    const err: string[] = [];
    const code = await runCli(
      ['import', XE, '--db', join(tempDir(), 'x.leadbench'), '--kind', 'activities', '--date-all', 'soon'],
      { out: () => undefined, err: (l) => err.push(l) },
    );
    expect(code).not.toBe(0);
    expect(err.join('\n')).toContain('--date-all soon: write the date as YYYY-MM-DD');
  });
});
