/**
 * Webinar attendee reports (#13 item 4), on a fixture laid out like Zoom's "Attendee Report"
 * export: a report block, then Host Details, Panelist Details, Attendee Details (registrants
 * who did not attend carry "--" in join time, leave time and time in session; one attendee
 * rejoined and has two rows) and an "Other Attended" section after it. No real attendee report
 * is among the shared real files (SOURCES.md), so this one is built to that layout.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportTopic } from '../../../electron/backend/services/import/header-rows';
import { FIXTURES, tempBackend } from '../helpers';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

const REPORT = join(FIXTURES, 'import', 'zoom-webinar-attendees.csv');
const WEBINAR = 'Scoring Leads Without a Data Team';
const NOT_ATTENDED = [
  'aisha.bello@example.org',
  'ben.carter@example.com',
  'chloe.martin@example.be',
  'grace.kim@example.com',
  'oliver.brown@example.co.uk',
  'sam.lee@example.com',
];

type ActivityCount = { email: string; registered: number; attended: number; minutes: number | null };

describe('webinar attendee report', () => {
  it('picks the Attendee Details section and reads it up to the next section', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: REPORT });
    expect(info.headerCandidates.map((c) => c.label)).toEqual([
      null,
      'Host Details',
      'Panelist Details',
      'Attendee Details',
      'Other Attended',
    ]);
    expect(info.headerRow).toBe(13);
    expect(info.kind).toBe('event');
    const profile = await b.invoke('import-profile', { path: REPORT, headerRow: info.headerRow });
    expect(profile.rows).toBe(19);
  });

  it('imports every registrant (non-attendees marked "--" too) and no host or panelist', async () => {
    const b = tempBackend();
    // No placeholder option: "--" in a join time or duration is no data by itself.
    const s = await b.invoke('import-run', { path: REPORT, options: { kind: 'event', asset: WEBINAR } });
    expect(s).toMatchObject({ rowsTotal: 19, errors: 0, inserted: 18, updated: 1 });
    const db = b.context.db();
    const emails = db.prepare('SELECT email FROM leads ORDER BY email').pluck().all() as string[];
    expect(emails).toHaveLength(18);
    expect(emails.filter((e) => e.endsWith('@leadbench.example'))).toEqual([]);
    expect(emails).not.toContain('');

    const perLead = db
      .prepare(
        `SELECT l.email,
                sum(a.type = 'webinar_registered') AS registered,
                sum(a.type = 'webinar_attended') AS attended,
                sum(CASE WHEN a.type = 'webinar_attended' THEN a.duration_sec END) / 60 AS minutes
         FROM leads l JOIN activities a ON a.lead_id = l.id GROUP BY l.id ORDER BY l.email`,
      )
      .all() as ActivityCount[];
    const absent = perLead.filter((r) => r.attended === 0);
    expect(absent.map((r) => r.email)).toEqual(NOT_ATTENDED);
    for (const r of absent) expect(r).toMatchObject({ registered: 1, minutes: null });
    // Kim rejoined: two sessions, one registration.
    expect(perLead.find((r) => r.email === 'kim.park@example.com')).toEqual({
      email: 'kim.park@example.com',
      registered: 1,
      attended: 2,
      minutes: 46,
    });
    expect(perLead.filter((r) => r.attended > 0)).toHaveLength(12);
    expect(db.prepare("SELECT DISTINCT asset FROM activities WHERE type LIKE 'webinar_%'").pluck().all()).toEqual([
      WEBINAR,
    ]);
    // "--" is not kept as a value either (the Leave Time column is a custom field).
    const sam = db.prepare('SELECT custom FROM leads WHERE email = ?').pluck().get('sam.lee@example.com') as string;
    expect(decodeCustom(customSlots(db), sam)).not.toHaveProperty('Leave Time');

    const again = await b.invoke('import-run', { path: REPORT, options: { kind: 'event', asset: WEBINAR } });
    expect(again).toMatchObject({ errors: 0, inserted: 0, activitiesInserted: 0 });
  });

  it('takes attendance from the join time when the list has no Attended column', async () => {
    const b = tempBackend();
    const { mapping } = await b.invoke('import-inspect', { path: REPORT });
    const s = await b.invoke('import-run', {
      path: REPORT,
      options: { kind: 'event', asset: WEBINAR, mapping: { ...mapping, Attended: 'ignore' } },
    });
    expect(s).toMatchObject({ errors: 0, inserted: 18 });
    const attended = b.context
      .db()
      .prepare("SELECT count(DISTINCT lead_id) FROM activities WHERE type = 'webinar_attended'")
      .pluck()
      .get();
    expect(attended).toBe(12);
  });

  it("names the webinar after the report's Topic line when no name is given; a typed name wins", async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: REPORT });
    expect(info.reportTopic).toBe(WEBINAR);
    const s = await b.invoke('import-run', { path: REPORT, options: { kind: 'event' } });
    expect(s).toMatchObject({ errors: 0, inserted: 18 });
    const assets = () =>
      b.context.db().prepare('SELECT DISTINCT asset FROM activities ORDER BY asset').pluck().all() as string[];
    expect(assets()).toEqual([WEBINAR]);
    // A blank name is no name; a typed one is the user's choice.
    await b.invoke('import-run', { path: REPORT, options: { kind: 'event', asset: '  ' } });
    expect(assets()).toEqual([WEBINAR]);
    await b.invoke('import-run', { path: REPORT, options: { kind: 'event', asset: 'Q4 scoring webinar' } });
    expect(assets()).toEqual(['Q4 scoring webinar', WEBINAR]);
  });

  it('reads a report name written beside its label too, and none from a block without one', () => {
    const block = [['Webinar Name:', 'Pricing clinic'], [''], ['Email', 'Join Time']];
    expect(reportTopic(block, 3)).toBe('Pricing clinic');
    expect(
      reportTopic(
        [
          ['Report Generated:', 'Nov 03, 2025'],
          ['Email', 'Join Time'],
        ],
        2,
      ),
    ).toBeNull();
    // A "Topic" column of the table itself is not the report's name.
    expect(
      reportTopic(
        [
          ['Topic', 'Email'],
          ['Pricing', 'a@example.com'],
        ],
        1,
      ),
    ).toBeNull();
  });
});
