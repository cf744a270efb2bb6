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
import { writeXeducationActivityLog } from '../../support/xeducation-activity-log';
import { cli, REAL_DATA, tempBackend, tempDir } from '../helpers';

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
    // The wizard and the model editor list the built-in ten, then the workspace's own types with their counts.
    const listed = await b.invoke('activity-types', {});
    expect(listed.slice(0, 10).every((t) => t.builtIn)).toBe(true);
    expect(listed.find((t) => t.type === 'ws:SMS Sent')).toEqual({
      type: 'ws:SMS Sent',
      label: 'SMS Sent',
      builtIn: false,
      activities: count('SMS Sent'),
      aliases: [],
    });
    expect(listed.filter((t) => !t.builtIn).map((t) => t.type)).toEqual(
      [...types.keys()].filter((t) => t.startsWith('ws:')).sort((x, y) => x.slice(3).localeCompare(y.slice(3))),
    );

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

  it('an activity log with 18 source types imports with 0 rejected rows and scores through workspace types', async () => {
    const dir = tempDir();
    const ws = join(dir, 'log.leadbench');
    const logPath = join(dir, 'xeducation_activity_log.csv');
    const log = writeXeducationActivityLog(XE, logPath);
    const sourceTypes = new Set(log.map((r) => r.type));
    expect(sourceTypes.size).toBe(18);

    expect((await cli('import', XE, '--db', ws, '--key', 'Prospect ID')).code).toBe(0);
    // The wizard's activity types step as a saved mapping: two source values merged onto one
    // workspace type, one renamed, one sent to a built-in type; the rest keep their own names.
    const mappingFile = join(dir, 'log-mapping.json');
    writeFileSync(
      mappingFile,
      JSON.stringify({
        kind: 'activities',
        mapping: { 'Prospect ID': 'key', Activity: 'activity.type', 'Activity Date': 'activity.time' },
        activityTypeMap: {
          'Email Bounced': 'ws:Not reachable',
          Unreachable: 'ws:Not reachable',
          'Had a Phone Conversation': 'ws:Phone call',
          'Email Received': 'email_open',
        },
      }),
    );
    const imported = await cli(
      'import',
      logPath,
      '--db',
      ws,
      '--kind',
      'activities',
      '--mapping',
      mappingFile,
      '--json',
    );
    expect(imported.code, imported.err).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({
      rowsTotal: log.length,
      errors: 0,
      activitiesInserted: log.length,
    });

    // Engagement rules on workspace types, one of a type this workspace has none of (a warning).
    const model = {
      ...DEFAULT_MODEL,
      // Only these rules score, without decay (the log is dated in the past); the default's
      // profile rules name titles and domains X Education does not have.
      fit: [],
      negative: [],
      suppression: { rules: [], emails: [], domains: [] },
      decay: { halfLifeDays: null, windowDays: null },
      engagement: [
        { id: 'sms', name: 'Texted', match: { types: ['ws:SMS Sent'] }, points: 5, frequency: 'first' },
        { id: 'nr', name: 'Not reachable', match: { types: ['ws:Not reachable'] }, points: 2, frequency: 'first' },
        { id: 'call', name: 'Phone call', match: { types: ['ws:Phone call'] }, points: 10, frequency: 'first' },
        { id: 'later', name: 'Webinar no-show', match: { types: ['ws:Webinar No-show'] }, points: 1 },
      ],
    };
    const modelFile = join(dir, 'model.json');
    writeFileSync(modelFile, JSON.stringify(model));
    const scored = await cli('score', '--db', ws, '--model', modelFile);
    expect(scored.code, scored.err).toBe(0);
    expect(scored.err).toContain(
      "warning: engagement rule 'Webinar no-show' (#4): no activity in this workspace has the type 'Webinar No-show'",
    );

    const db = openWorkspaceDb(ws);
    try {
      const perType = new Map(
        (
          db.prepare('SELECT type, count(*) AS n FROM activities GROUP BY type').all() as { type: string; n: number }[]
        ).map((r) => [r.type, r.n]),
      );
      const rowsOf = (...types: string[]) => log.filter((r) => types.includes(r.type)).length;
      expect(perType.get('ws:Not reachable')).toBe(rowsOf('Email Bounced', 'Unreachable'));
      expect(perType.get('ws:Phone call')).toBe(rowsOf('Had a Phone Conversation'));
      expect(perType.get('ws:Modified')).toBe(rowsOf('Modified'));
      expect(perType.get('email_open')).toBe(rowsOf('Email Opened', 'Email Received'));

      // Every lead's engagement is exactly what its own rows earn under the rules above.
      const typesOf = new Map<string, Set<string>>();
      for (const r of log) typesOf.set(r.id, (typesOf.get(r.id) ?? new Set()).add(r.type));
      const expected = new Map(
        [...typesOf].map(([id, got]) => [
          id,
          (got.has('SMS Sent') ? 5 : 0) +
            (got.has('Email Bounced') || got.has('Unreachable') ? 2 : 0) +
            (got.has('Had a Phone Conversation') ? 10 : 0),
        ]),
      );
      const stored = db
        .prepare(
          `SELECT l.lead_key AS id, s.engagement AS points FROM leads l
           JOIN lead_scores s ON s.lead_id = l.id AND s.model_id = (SELECT id FROM models WHERE is_primary = 1)`,
        )
        .all() as { id: string; points: number }[];
      expect(stored.length).toBe(expected.size);
      expect(new Map(stored.map((r) => [r.id, r.points]))).toEqual(expected);
      expect(stored.filter((r) => r.points >= 10).length).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    // The types as `leadbench activity-types` lists them: every workspace type with its count.
    const listed = await cli('activity-types', '--db', ws, '--json');
    expect(listed.code, listed.err).toBe(0);
    const types = JSON.parse(listed.out) as { type: string; label: string; activities: number }[];
    const rowsOf = (...t: string[]) => log.filter((r) => t.includes(r.type)).length;
    expect(types.find((t) => t.type === 'ws:Not reachable')?.activities).toBe(rowsOf('Email Bounced', 'Unreachable'));
    expect(types.reduce((n, t) => n + t.activities, 0)).toBe(log.length);

    // Renamed: the same scores after a full rescore. Merged: the rules on the merged type count the other.
    const engagement = () => {
      const d = openWorkspaceDb(ws);
      try {
        return new Map(
          (
            d
              .prepare(
                'SELECT l.lead_key AS id, s.engagement AS points FROM leads l JOIN lead_scores s ON s.lead_id = l.id',
              )
              .all() as { id: string; points: number }[]
          ).map((r) => [r.id, r.points]),
        );
      } finally {
        d.close();
      }
    };
    const scoredBefore = engagement();
    const renamed = await cli('activity-types', 'rename', 'sms sent', 'Text sent', '--db', ws);
    expect(renamed.out).toContain("Renamed 'SMS Sent' to 'Text sent'");
    expect((await cli('score', '--db', ws)).code).toBe(0);
    expect(engagement()).toEqual(scoredBefore);

    const merged = await cli('activity-types', 'merge', 'Not reachable', '--into', 'Phone call', '--db', ws);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toContain(
      `Merged 'Not reachable' into 'Phone call': ${rowsOf('Email Bounced', 'Unreachable')} activities moved`,
    );
    expect(merged.out).toContain("rules now counting 'Phone call': Not reachable");
    const typesOf = new Map<string, Set<string>>();
    for (const r of log) typesOf.set(r.id, (typesOf.get(r.id) ?? new Set()).add(r.type));
    const phoneOrNot = (got: Set<string>) =>
      got.has('Email Bounced') || got.has('Unreachable') || got.has('Had a Phone Conversation');
    expect(engagement()).toEqual(
      new Map([...typesOf].map(([id, got]) => [id, (got.has('SMS Sent') ? 5 : 0) + (phoneOrNot(got) ? 12 : 0)])),
    );
  }, 300_000);

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
