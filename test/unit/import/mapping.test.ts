import { describe, expect, it } from 'vitest';
import {
  compileRowMapper,
  headerSignature,
  mappingProblems,
  normalizeHeaders,
  parseActivityType,
  parseNumber,
  parseYesNo,
  suggestMapping,
} from '../../../shared/mapping';

describe('header synonyms', () => {
  it.each([
    ['E-mail Address', 'email'],
    ['Work Email', 'email'],
    ['email', 'email'],
    ['Job Title', 'title'],
    ['Title', 'title'],
    ['Position', 'title'],
    ['Company', 'company'],
    ['Organization', 'company'],
    ['Account', 'company'],
    ['First Name', 'first_name'],
    ['Surname', 'last_name'],
    ['No. of Employees', 'company_size'],
    ['Country/Region Name', 'country'],
  ])('%s -> %s', (header, target) => {
    expect(suggestMapping([header, 'Something else'], 'leads').mapping[header]).toBe(target);
  });

  it('keeps unmapped columns as custom fields and uses each target once', () => {
    const { mapping } = suggestMapping(['Email', 'E-mail Address', 'Favourite colour'], 'leads');
    expect(mapping).toEqual({ Email: 'email', 'E-mail Address': 'custom', 'Favourite colour': 'custom' });
  });

  it('prefers the better synonym (Lead Source over Lead Origin)', () => {
    const { mapping } = suggestMapping(['Lead Origin', 'Lead Source'], 'leads');
    expect(mapping['Lead Source']).toBe('source');
    expect(mapping['Lead Origin']).toBe('custom');
  });

  it('suggests an id column as identity key when there is no email', () => {
    const { mapping, keyCandidates } = suggestMapping(['Prospect ID', 'Lead Number', 'City'], 'leads');
    expect(mapping['Prospect ID']).toBe('key');
    expect(keyCandidates).toEqual(['Prospect ID', 'Lead Number']);
    expect(suggestMapping(['mql_id', 'origin'], 'leads').mapping).toEqual({ mql_id: 'key', origin: 'source' });
  });

  it('maps activity and webinar columns', () => {
    expect(
      suggestMapping(['Email', 'Activity Type', 'Page URL', 'Timestamp', 'Duration (seconds)'], 'activities').mapping,
    ).toEqual({
      Email: 'email',
      'Activity Type': 'activity.type',
      'Page URL': 'activity.asset',
      Timestamp: 'activity.time',
      'Duration (seconds)': 'activity.duration',
    });
    const zoom = suggestMapping(
      ['Attended', 'First Name', 'Email', 'Registration Time', 'Join Time', 'Time in Session (minutes)'],
      'event',
    ).mapping;
    expect(zoom).toMatchObject({
      Attended: 'event.attended',
      'Registration Time': 'activity.time',
      'Join Time': 'event.join_time',
      'Time in Session (minutes)': 'activity.duration',
    });
  });
});

describe('activity type values', () => {
  it.each([
    ['Page View', 'page_visit'],
    ['pageview', 'page_visit'],
    ['Email Clicked', 'email_click'],
    ['Email Opened', 'email_open'],
    ['Attended', 'webinar_attended'],
    ['Webinar Registration', 'webinar_registered'],
    ['Whitepaper Download', 'download'],
    ['Form Submitted', 'form_fill'],
    ['Video Watched', 'video_watched'],
    ['Unsubscribed', 'unsubscribe'],
    ['Trade Show Booth Visit', 'event_attended'],
  ])('%s -> %s', (raw, type) => expect(parseActivityType(raw)).toBe(type));

  it('returns null for unknown values', () => expect(parseActivityType('Teleported')).toBeNull());
});

describe('values and headers', () => {
  it('parses numbers, ranges and European notation', () => {
    expect(parseNumber('1,234')).toBe(1234);
    expect(parseNumber('1.234,5')).toBe(1234.5);
    expect(parseNumber('51-200')).toBe(51);
    expect(parseNumber('10000+')).toBe(10000);
    expect(parseNumber('$1,200')).toBe(1200);
    expect(parseNumber('2,5')).toBe(2.5);
    expect(parseNumber('lots')).toBeNull();
    // Plain whole numbers (a fast path) read as the general steps read them.
    expect(parseNumber('875')).toBe(875);
    expect(parseNumber('-12')).toBe(-12);
    expect(parseNumber('0042')).toBe(42);
    expect(parseNumber('1.234')).toBe(1234);
  });

  it('reads yes/no flags', () => {
    expect(parseYesNo('Yes')).toBe(true);
    expect(parseYesNo('no')).toBe(false);
    expect(parseYesNo('')).toBeNull();
    expect(parseYesNo('maybe')).toBeNull();
  });

  it('names empty and duplicate headers and signs them', () => {
    expect(normalizeHeaders(['Email', '', 'email', ' Notes '])).toEqual(['Email', 'Column 2', 'email (2)', 'Notes']);
    expect(headerSignature(['E-mail', 'First Name'])).toBe(headerSignature(['e mail', 'first_name']));
  });
});

describe('row transform', () => {
  const headers = ['Email', 'Company', 'Employees', 'City', 'Prospect ID'];
  const mapping = {
    Email: 'email',
    Company: 'company',
    Employees: 'company_size',
    City: 'city',
    'Prospect ID': 'key',
  } as const;

  it('builds a lead draft with keys and custom fields', () => {
    const map = compileRowMapper([...headers, 'Notes'], mapping, { kind: 'leads' });
    const r = map([' Ann@Example.COM ', 'Acme', '1,200', 'Pune', 'P-1', 'hello'], 2);
    expect(r).toEqual({
      ok: true,
      lead: {
        email: 'Ann@Example.COM',
        emailNorm: 'ann@example.com',
        fields: { company: 'Acme', company_size: 1200, city: 'Pune' },
        custom: { Notes: 'hello' },
        keys: [['Prospect ID', 'P-1']],
        createdAt: null,
      },
      activities: [],
    });
  });

  it('blanks placeholders only on request', () => {
    const on = compileRowMapper(headers, mapping, { kind: 'leads', blankPlaceholders: true });
    const off = compileRowMapper(headers, mapping, { kind: 'leads' });
    const cells = ['a@b.co', 'N/A', '', 'Select', 'P-1'];
    expect(on(cells, 2)).toMatchObject({ ok: true, lead: { fields: {} } });
    expect(off(cells, 2)).toMatchObject({ ok: true, lead: { fields: { company: 'N/A', city: 'Select' } } });
  });

  it('rejects rows with a reason and the column', () => {
    const map = compileRowMapper(headers, mapping, { kind: 'leads' });
    expect(map(['nope', '', '', '', 'P-1'], 3)).toEqual({
      ok: false,
      column: 'Email',
      reason: '"nope" is not an email address.',
    });
    expect(map(['', '', '', '', ''], 4)).toMatchObject({ ok: false, column: 'Email' });
    expect(map(['a@b.co', '', 'many', '', ''], 5)).toEqual({
      ok: false,
      column: 'Employees',
      reason: '"many" is not a number.',
    });
  });

  it('keys rows by file row number when asked', () => {
    const map = compileRowMapper(['recency'], {}, { kind: 'leads', rowKeyName: 'Row of h.csv' });
    expect(map(['10'], 7)).toMatchObject({
      ok: true,
      lead: { keys: [['Row of h.csv', '7']], custom: { recency: '10' } },
    });
  });

  it('turns event rows into registered and attended activities', () => {
    const h = ['Email', 'Attended', 'Registration Time', 'Join Time', 'Time in Session (minutes)'];
    const map = compileRowMapper(
      h,
      {
        Email: 'email',
        Attended: 'event.attended',
        'Registration Time': 'activity.time',
        'Join Time': 'event.join_time',
        'Time in Session (minutes)': 'activity.duration',
      },
      { kind: 'event', asset: 'Demo Day' },
    );
    const yes = map(['a@b.co', 'Yes', '2025-10-01 08:00', '2025-10-12 10:00', '30'], 2);
    expect(yes.ok && yes.activities).toEqual([
      {
        type: 'webinar_registered',
        asset: 'Demo Day',
        occurredAt: Date.UTC(2025, 9, 1, 8),
        durationSec: null,
        detail: null,
      },
      {
        type: 'webinar_attended',
        asset: 'Demo Day',
        occurredAt: Date.UTC(2025, 9, 12, 10),
        durationSec: 1800,
        detail: null,
      },
    ]);
    // A registrant who did not attend: "--" (Zoom), "N/A" or a blank join time and duration are no data.
    for (const none of ['--', 'N/A', '']) {
      const no = map(['c@d.co', 'No', '2025-10-02', none, none], 3);
      expect(no.ok && no.activities.map((a) => a.type), none).toEqual(['webinar_registered']);
    }
    const bad = map(['c@d.co', 'Yes', '2025-10-02', 'soon', '30'], 4);
    expect(bad).toEqual({ ok: false, column: 'Join Time', reason: '"soon" is not a date.' });
  });

  it('reports mapping problems', () => {
    expect(mappingProblems(['A'], {}, { kind: 'leads' })[0]).toMatch(/email column or choose an identity key/);
    expect(mappingProblems(['E', 'F'], { E: 'email', F: 'email' }, { kind: 'leads' })[0]).toMatch(/Several columns/);
    expect(mappingProblems(['E'], { E: 'email' }, { kind: 'activities' })).toHaveLength(2);
    expect(
      mappingProblems(['E'], { E: 'email' }, { kind: 'activities', activityType: 'page_visit', eventTime: 0 }),
    ).toEqual([]);
  });
});
