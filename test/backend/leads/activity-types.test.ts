/**
 * Renaming and merging workspace activity types (#13 "any activity type"), on real files in
 * a real workspace through the handler table (arguments validated by the zod contract):
 * a rename changes the type's name wherever it shows (the list, the timeline, the score's
 * explanation, the editor's warnings) and nothing else (rules keep counting it, a rescore
 * gives the same scores); a merge moves the activities and points the rules at the type
 * merged into, in the draft and in a newly published version, and a later file with the old
 * word lands on the merged type.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import type { ScoringModel } from '../../../shared/scoring';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { tempBackend, tempDir } from '../helpers';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

/** A workspace with 6 leads and an activity log in its source's words, scored by rules on two workspace types. */
async function workspace() {
  const dir = tempDir();
  const leads = join(dir, 'leads.csv');
  writeFileSync(leads, ['Email,Company', ...[1, 2, 3, 4, 5, 6].map((i) => `p${i}@example.com,Co ${i}`)].join('\n'));
  const log = join(dir, 'log.csv');
  const rows = [
    ['p1@example.com', 'SMS Sent', 0],
    ['p1@example.com', 'SMS Sent', 1],
    ['p2@example.com', 'SMS Sent', 0],
    ['p3@example.com', 'Text message', 0],
    // p4 has the same activity under both words on the same day: one activity after a merge.
    ['p4@example.com', 'SMS Sent', 2],
    ['p4@example.com', 'Text message', 2],
    ['p5@example.com', 'Olark Chat Conversation', 0],
    ['p6@example.com', 'Brochure Requested', 0],
  ] as const;
  writeFileSync(
    log,
    [
      'Email,Activity,Date',
      ...rows.map(([e, t, d]) => `${e},${t},${new Date(T0 + d * DAY).toISOString().slice(0, 10)}`),
    ].join('\n'),
  );
  const b = tempBackend();
  await b.invoke('import-run', { path: leads, options: { kind: 'leads' } });
  const s = await b.invoke('import-run', {
    path: log,
    options: { kind: 'activities', mapping: { Email: 'email', Activity: 'activity.type', Date: 'activity.time' } },
  });
  expect(s).toMatchObject({ errors: 0, activitiesInserted: rows.length });
  const model: ScoringModel = {
    ...DEFAULT_MODEL,
    fit: [],
    negative: [],
    suppression: { rules: [], emails: [], domains: [] },
    decay: { halfLifeDays: null, windowDays: null },
    engagement: [
      { id: 'sms', name: 'Texted', match: { types: ['ws:SMS Sent'] }, points: 5, countRepeats: true },
      { id: 'text', name: 'Text message', match: { types: ['ws:Text message'] }, points: 3, frequency: 'first' },
      { id: 'chat', name: 'Chatted', match: { types: ['ws:Olark Chat Conversation'] }, points: 7 },
    ],
  };
  await b.invoke('model-save-draft', { modelId: 1, definition: model });
  await b.invoke('model-publish', { modelId: 1 });
  await activeRescore(b.context.db())?.done;
  return { b, dir, log };
}

const scores = (b: ReturnType<typeof tempBackend>) =>
  b.context
    .db()
    .prepare('SELECT l.email, s.engagement FROM leads l JOIN lead_scores s ON s.lead_id = l.id ORDER BY l.email')
    .all() as { email: string; engagement: number }[];

const leadId = (b: ReturnType<typeof tempBackend>, email: string) =>
  b.context.db().prepare('SELECT id FROM leads WHERE email = ?').pluck().get(email) as number;

describe('workspace activity types: rename', () => {
  it('renames a type everywhere it shows; rules keep counting it and a rescore gives the same scores', async () => {
    const { b } = await workspace();
    const before = scores(b);
    expect(before.find((r) => r.email === 'p1@example.com')!.engagement).toBe(10);

    const renamed = await b.invoke('activity-type-rename', { type: 'ws:SMS Sent', label: '  Text   sent ' });
    // The old name is an alias: a later file saying 'SMS Sent' lands here (the wizard shows it so).
    expect(renamed).toEqual({
      type: 'ws:SMS Sent',
      label: 'Text sent',
      builtIn: false,
      activities: 4,
      aliases: ['ws:Text sent'],
    });
    const listed = await b.invoke('activity-types', {});
    expect(listed.find((t) => t.type === 'ws:SMS Sent')?.label).toBe('Text sent');
    expect(listed.some((t) => t.label === 'SMS Sent')).toBe(false);

    // The timeline and the score's explanation say the new name.
    const lead = await b.invoke('lead-get', { id: leadId(b, 'p1@example.com') });
    expect(lead.activities.map((a) => a.label)).toEqual(['Text sent', 'Text sent']);
    const explained = await b.invoke('lead-explain', { leadId: leadId(b, 'p1@example.com') });
    expect(explained.text).toContain('Text sent on 10 Jan 2026 (Texted)');
    expect(explained.text).not.toContain('SMS Sent');

    // The rule still targets the key; a full rescore gives every lead the same score.
    await b.invoke('scores-rescore', {});
    await activeRescore(b.context.db())?.done;
    expect(scores(b)).toEqual(before);
  });

  it('refuses a name another type has, a built-in type, and arguments the contract does not allow', async () => {
    const { b } = await workspace();
    await expect(
      b.invoke('activity-type-rename', { type: 'ws:SMS Sent', label: 'text MESSAGE' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining("merge 'SMS Sent' into it") as unknown,
    });
    await expect(b.invoke('activity-type-rename', { type: 'ws:SMS Sent', label: 'Email open' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(b.invoke('activity-type-rename', { type: 'email_open', label: 'Opens' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(b.invoke('activity-type-rename', { type: 'ws:Nothing', label: 'X' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    for (const args of [
      { type: 'ws:SMS Sent', label: '   ' },
      { type: 'sms', label: 'X' },
      { type: 'ws:SMS Sent', label: 'x'.repeat(101) },
      { type: 'ws:SMS Sent', label: 'X', extra: 1 },
    ]) {
      await expect(b.invoke('activity-type-rename', args as never)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    }
    expect((await b.invoke('activity-types', {})).find((t) => t.type === 'ws:SMS Sent')?.label).toBe('SMS Sent');
  });
});

describe('workspace activity types: merge', () => {
  it('moves the activities, points the rules at the type merged into, rescores, and keeps the old word as an alias', async () => {
    const { b, log } = await workspace();
    const db = b.context.db();
    // A draft in progress with a rule on the merged type too.
    const draft = {
      ...(await b.invoke('model-get', { modelId: 1 })).published!,
      engagement: [
        { id: 'only-text', name: 'Any text', match: { types: ['ws:Text message', 'ws:SMS Sent'] }, points: 1 },
      ],
    };
    await b.invoke('model-save-draft', { modelId: 1, definition: draft });

    const merged = await b.invoke('activity-type-merge', { from: 'ws:Text message', into: 'ws:SMS Sent' });
    expect(merged).toMatchObject({
      from: { type: 'ws:Text message', activities: 2 },
      into: { type: 'ws:SMS Sent', activities: 5 },
      moved: 1,
      duplicates: 1,
    });
    expect(merged.models).toEqual([
      {
        modelId: 1,
        name: expect.any(String) as unknown,
        draftRules: [{ section: 'engagement', id: 'only-text', name: 'Any text' }],
        publishedRules: [{ section: 'engagement', id: 'text', name: 'Text message' }],
        publishedVersion: 3,
      },
    ]);
    await activeRescore(db)?.done;

    expect(db.prepare("SELECT count(*) FROM activities WHERE type = 'ws:Text message'").pluck().get()).toBe(0);
    const list = await b.invoke('activity-types', {});
    expect(list.find((t) => t.type === 'ws:SMS Sent')).toMatchObject({ activities: 5, aliases: ['ws:Text message'] });
    expect(list.some((t) => t.type === 'ws:Text message')).toBe(false);

    // The published model: the next version counts 'SMS Sent' where it counted 'Text message'.
    const versions = await b.invoke('model-versions', { modelId: 1 });
    expect(versions[0]).toMatchObject({ version: 3, note: "Activity type 'Text message' merged into 'SMS Sent'" });
    expect(versions[0]!.definition.engagement.map((r) => r.match.types)).toEqual([
      ['ws:SMS Sent'],
      ['ws:SMS Sent'],
      ['ws:Olark Chat Conversation'],
    ]);
    expect(versions[1]!.definition.engagement[1]!.match.types).toEqual(['ws:Text message']);
    // The user's draft stays a draft, pointed at the merged type (listed once).
    const detail = await b.invoke('model-get', { modelId: 1 });
    expect((detail.draft as ScoringModel).engagement[0]!.match.types).toEqual(['ws:SMS Sent']);

    // p3 had only a text message (3 points, first only): now an SMS (5) and the same rule (+3).
    const byEmail = new Map(scores(b).map((r) => [r.email, r.engagement]));
    expect(byEmail.get('p3@example.com')).toBe(8);
    expect(byEmail.get('p4@example.com')).toBe(8);
    expect(byEmail.get('p1@example.com')).toBe(10 + 3);

    // The same file again: 'Text message' rows land on 'SMS Sent' (already stored: nothing new).
    const again = await b.invoke('import-run', {
      path: log,
      options: { kind: 'activities', mapping: { Email: 'email', Activity: 'activity.type', Date: 'activity.time' } },
    });
    expect(again).toMatchObject({ errors: 0, activitiesInserted: 0 });
    expect(db.prepare("SELECT count(*) FROM activities WHERE type = 'ws:Text message'").pluck().get()).toBe(0);
  });

  it('merges into a built-in type; refuses a built-in source, itself, or a type merged already', async () => {
    const { b } = await workspace();
    const r = await b.invoke('activity-type-merge', { from: 'ws:Brochure Requested', into: 'download' });
    expect(r).toMatchObject({ moved: 1, duplicates: 0, models: [], into: { type: 'download', activities: 1 } });
    expect((await b.invoke('activity-types', {})).find((t) => t.type === 'download')?.activities).toBe(1);
    await expect(b.invoke('activity-type-merge', { from: 'download', into: 'ws:SMS Sent' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(b.invoke('activity-type-merge', { from: 'ws:SMS Sent', into: 'ws:SMS Sent' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      b.invoke('activity-type-merge', { from: 'ws:Brochure Requested', into: 'ws:SMS Sent' }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('was merged into') as unknown });
    await expect(b.invoke('activity-type-merge', { from: 'ws:SMS Sent', into: 'nope' } as never)).rejects.toMatchObject(
      { code: 'BAD_ARGUMENT' },
    );
  });
});
