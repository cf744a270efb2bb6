/**
 * Field engagement rules on the real X Education file (keyed by Prospect ID): "1 point per
 * minute of Total Time Spent on Website, at most 30" published with `leadbench score
 * --model`, scored by the full rescore for every lead exactly as the file's seconds say,
 * explained by `leadbench explain <Prospect ID>`, ranking leads by conversion better than
 * chance; the workspace check refuses it on a field that is not a number.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { rocAuc } from '../../../shared/learn/stats';
import { DEFAULT_MODEL, type FieldEngagementRule, type ScoringModel } from '../../../shared/scoring';
import { cli, tempDir, xeducationRows, XEDUCATION } from '../helpers';

const rows = xeducationRows();
const TIME = 'Total Time Spent on Website';

const perMinute: FieldEngagementRule = {
  id: 'time-on-site',
  name: 'Time on website',
  field: `custom.${TIME}`,
  points: 1,
  per: 60,
  unit: 'minute',
  fieldUnit: 's',
  cap: 30,
};

/** A model whose only rule is `rules`: the score is exactly what the field rules give. */
function onlyFieldRules(rules: FieldEngagementRule[]): ScoringModel {
  return {
    ...DEFAULT_MODEL,
    name: 'Time on site',
    fit: [],
    engagement: [],
    fieldEngagement: rules,
    negative: [],
    suppression: { rules: [], emails: [], domains: [] },
    decay: { halfLifeDays: 60 },
  };
}

function modelFile(model: unknown): string {
  const file = join(tempDir(), 'model.json');
  writeFileSync(file, JSON.stringify(model, null, 2));
  return file;
}

/** What the rule gives a row of the file, worked out from the CSV text alone. */
function expectedPoints(seconds: string | undefined): number {
  const n = Number(seconds);
  return seconds === undefined || seconds.trim() === '' || !Number.isFinite(n) || n <= 0
    ? 0
    : Math.min(30, Math.floor(n / 60));
}

describe('field engagement on X Education', () => {
  let ws = '';
  beforeAll(async () => {
    ws = join(tempDir(), 'xe.leadbench');
    const imported = await cli('import', XEDUCATION, '--db', ws, '--key', 'Prospect ID');
    expect(imported.code, imported.err).toBe(0);
  });

  it('publishes "1 point per minute, at most 30" and scores every lead as its seconds say', async () => {
    const scored = await cli('score', '--db', ws, '--model', modelFile(onlyFieldRules([perMinute])));
    expect(scored.code, scored.err).toBe(0);
    const withTime = rows.filter((r) => expectedPoints(r[TIME]) > 0).length;
    expect(scored.out).toContain(
      `${withTime} of 9240 leads  Time on website: Total Time Spent on Website: 1 point per minute (at most 30), a minute being 60 s`,
    );
    const db = openWorkspaceDb(ws);
    try {
      const byKey = new Map(
        (
          db.prepare('SELECT lead_key, score_total, score_engagement, score_fit FROM leads').all() as {
            lead_key: string;
            score_total: number;
            score_engagement: number;
            score_fit: number;
          }[]
        ).map((r) => [r.lead_key, r]),
      );
      expect(byKey.size).toBe(9240);
      let mismatches = 0;
      for (const r of rows) {
        const s = byKey.get(r['Prospect ID']!)!;
        if (s.score_engagement !== expectedPoints(r[TIME]) || s.score_fit !== 0) mismatches++;
      }
      expect(mismatches).toBe(0);
      // Specific leads: 1,532 s is 25 whole minutes; 2,272 s is capped at 30; 0 s gives nothing.
      expect(byKey.get('8cc8c611-a219-4f35-ad23-fdfd2656bd8a')!.score_total).toBe(25);
      expect(byKey.get('7927b2df-8bba-4d29-b9a2-b6e0beafe620')!.score_total).toBe(0);
      const longest = rows.reduce((a, b) => (Number(b[TIME]) > Number(a[TIME]) ? b : a));
      expect(longest[TIME]).toBe('2272');
      expect(byKey.get(longest['Prospect ID']!)!.score_total).toBe(30);
    } finally {
      db.close();
    }
  });

  it('explain <Prospect ID> shows the sum, and that a lead field does not decay', async () => {
    const explained = await cli('explain', '--db', ws, '8cc8c611-a219-4f35-ad23-fdfd2656bd8a');
    expect(explained.code, explained.err).toBe(0);
    expect(explained.out).toContain(
      "  +25 Total Time Spent on Website: 1,532 s = 25 minutes × 1 point per minute (at most 30) [rule 'Time on website'; no decay: a lead field has no date]",
    );
    expect(explained.out).toContain('Score 25 (fit 0, engagement 25)');
  });

  it('ranks leads by conversion better than chance (ROC AUC against Converted)', () => {
    const db = openWorkspaceDb(ws);
    try {
      const scores = new Map(
        (
          db.prepare('SELECT lead_key, score_total FROM leads').all() as { lead_key: string; score_total: number }[]
        ).map((r) => [r.lead_key, r.score_total]),
      );
      const total = rows.map((r) => scores.get(r['Prospect ID']!)!);
      const converted = rows.map((r) => (r.Converted === '1' ? 1 : 0));
      const { auc } = rocAuc(total, converted);
      console.log(
        `X Education: AUC of "1 point per minute on the website, at most 30" vs Converted = ${auc?.toFixed(3)}`,
      );
      expect(auc).toBeGreaterThan(0.5);
    } finally {
      db.close();
    }
  });

  it('blank visit counts are no data, and several field rules add up', async () => {
    const visits: FieldEngagementRule = {
      id: 'visits',
      name: 'TotalVisits',
      field: 'custom.TotalVisits',
      points: 2,
      per: 1,
      unit: 'visit',
      cap: 10,
    };
    const scored = await cli('score', '--db', ws, '--model', modelFile(onlyFieldRules([perMinute, visits])));
    expect(scored.code, scored.err).toBe(0);
    const db = openWorkspaceDb(ws);
    try {
      const total = db.prepare('SELECT score_total FROM leads WHERE lead_key = ?').pluck();
      const blank = rows.find((r) => r.TotalVisits === '')!;
      expect(total.get(blank['Prospect ID'])).toBe(expectedPoints(blank[TIME]));
      const row = rows.find((r) => r.TotalVisits === '3' && Number(r[TIME]) > 0)!;
      expect(total.get(row['Prospect ID'])).toBe(expectedPoints(row[TIME]) + 6);
    } finally {
      db.close();
    }
  });

  it('Model health judges a per-unit rule by how its points alone rank the closed leads', async () => {
    const closed = join(tempDir(), 'xe-closed.leadbench');
    const imported = await cli(
      'import',
      XEDUCATION,
      '--db',
      closed,
      '--key',
      'Prospect ID',
      '--outcome',
      'Converted=1',
    );
    expect(imported.code, imported.err).toBe(0);
    const file = modelFile(onlyFieldRules([perMinute]));
    const report = await cli('report', 'model', '--db', closed, '--model-file', file, '--json');
    expect(report.code, report.err).toBe(0);
    const { health } = JSON.parse(report.out) as {
      health: {
        auc: { auc: number };
        rules: { name: string; verdict: string; suggestedPoints: number | null; matched: number; text: string }[];
      };
    };
    const [rule] = health.rules;
    expect(rule!.name).toBe('Time on website');
    expect(rule!.verdict).toBe('ranks on its own');
    expect(rule!.suggestedPoints).toBeNull();
    expect(rule!.matched).toBe(rows.filter((r) => expectedPoints(r[TIME]) > 0).length);
    // The only rule: its points alone rank the leads exactly as the model's totals do.
    expect(rule!.text).toContain(`ROC AUC ${health.auc.auc.toFixed(3)}`);
    expect(health.auc.auc).toBeGreaterThan(0.5);
  });

  it('refuses a rule on a field that is not a number, or that the workspace lacks, naming the rule', async () => {
    const bad = onlyFieldRules([
      { ...perMinute, id: 'origin', name: 'Origin', field: 'custom.Lead Origin' },
      { ...perMinute, id: 'gone', name: 'Minutes', field: 'custom.Minutes on site' },
    ]);
    const refused = await cli('score', '--db', ws, '--model', modelFile(bad));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      "  - field engagement rule 'Origin' (#1): the field 'Lead Origin' is not a number field (it is category)",
    );
    expect(refused.err).toContain(
      "  - field engagement rule 'Minutes' (#2): the field 'Minutes on site' does not exist in this workspace",
    );
    const invalid = await cli('score', '--db', ws, '--model', modelFile(onlyFieldRules([{ ...perMinute, per: 0 }])));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain("  - field engagement rule 'Time on website' (#1): per must be greater than 0");
  });
});
