/**
 * Automatic column mapping from header synonyms. Exact synonym matches win; otherwise a
 * few keyword rules catch the long tail ("Work E-mail Address", "Company Name (Account)").
 * Every target is used at most once (the first, best-matching column gets it); everything
 * unmatched stays a custom field.
 */
import type { LeadFieldKey } from '../domain';
import { headerKey } from './headers';
import type { ColumnMapping, ColumnTarget, ImportKind } from './targets';

const FIELD_SYNONYMS: Readonly<Record<LeadFieldKey, readonly string[]>> = {
  email: [
    'email',
    'e mail',
    'email address',
    'e mail address',
    'work email',
    'business email',
    'email id',
    'mail',
    'contact email',
    'primary email',
    'user email',
    'attendee email',
    'registrant email',
  ],
  first_name: ['first name', 'firstname', 'given name', 'first', 'forename', 'fname'],
  last_name: ['last name', 'lastname', 'surname', 'family name', 'last', 'lname'],
  company: [
    'company',
    'company name',
    'organization',
    'organisation',
    'organization name',
    'account',
    'account name',
    'employer',
    'business name',
  ],
  title: ['title', 'job title', 'position', 'role', 'job role', 'designation', 'job position', 'jobtitle'],
  phone: ['phone', 'phone number', 'telephone', 'mobile', 'mobile phone', 'work phone', 'cell', 'tel'],
  industry: ['industry', 'sector', 'vertical', 'business segment', 'industry type'],
  company_size: [
    'company size',
    'employees',
    'number of employees',
    'no of employees',
    'employee count',
    'headcount',
    'size',
    'org size',
  ],
  country: ['country', 'country region', 'country region name', 'nation', 'country name'],
  city: ['city', 'town', 'locality'],
  website: ['website', 'web site', 'url', 'company website', 'domain', 'homepage', 'site'],
  source: ['source', 'lead source', 'origin', 'lead origin', 'utm source', 'channel source'],
  campaign: ['campaign', 'campaign name', 'utm campaign'],
};

const ACTIVITY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  'activity.type': ['type', 'activity', 'activity type', 'event type', 'action', 'interaction', 'event'],
  'activity.asset': [
    'asset',
    'asset name',
    'url',
    'page',
    'page url',
    'content',
    'resource',
    'webinar',
    'webinar name',
    'topic',
    'campaign asset',
    'name of asset',
  ],
  'activity.time': [
    'time',
    'date',
    'timestamp',
    'occurred at',
    'activity date',
    'activity time',
    'date time',
    'datetime',
    'event time',
    'event date',
    'created at',
    'registration time',
    'registration date',
    'visited at',
  ],
  'activity.duration': [
    'duration',
    'duration sec',
    'duration seconds',
    'duration minutes',
    'time in session',
    'time in session minutes',
    'watch time',
    'time spent',
    'seconds',
    'minutes',
  ],
  'event.attended': ['attended', 'attendance', 'did attend', 'attended yes no', 'attendee'],
  'event.join_time': ['join time', 'joined at', 'attended at', 'attendance time', 'check in time', 'check in'],
};

/** Lead imports only: activity logs read "created at" as the activity's time. */
const CREATED_SYNONYMS: readonly string[] = [
  'created date',
  'created',
  'created at',
  'created on',
  'create date',
  'date created',
  'creation date',
  'lead created',
  'lead created date',
  'lead date',
  'date added',
  'first contact date',
  'signup date',
  'sign up date',
];

const KEY_HINTS = /(^| )(id|uid|uuid|key|number|no)$|^(id|prospect id|lead id|contact id|customer id|external id)$/;

function keywordTarget(k: string, kind: ImportKind): ColumnTarget | null {
  if (/e ?mail/.test(k) && !/opt|consent|do not|unsub|open|click|sent/.test(k)) return 'email';
  if (/first ?name|given name/.test(k)) return 'first_name';
  if (/last ?name|surname|family name/.test(k)) return 'last_name';
  if (/job title|^title\b/.test(k)) return 'title';
  if (/company name|organi[sz]ation name|account name/.test(k)) return 'company';
  if (/phone|mobile/.test(k)) return 'phone';
  if (/employees|headcount|company size/.test(k)) return 'company_size';
  if (kind !== 'leads') {
    if (/join time|joined/.test(k)) return 'event.join_time';
    if (/duration|time in session|minutes|seconds/.test(k)) return 'activity.duration';
    if (/(date|time|timestamp)$/.test(k) && !/leave|approval/.test(k)) return 'activity.time';
    if (/url|page|asset/.test(k)) return 'activity.asset';
  }
  return null;
}

export type MappingSuggestion = Readonly<{
  mapping: ColumnMapping;
  /** Columns that look like external ids, offered as identity keys when there is no email. */
  keyCandidates: readonly string[];
}>;

/**
 * Suggests a mapping for the headers of a file. For lead imports without an email column,
 * the first id-like column becomes the identity key (e.g. "Prospect ID", "mql_id").
 */
export function suggestMapping(headers: readonly string[], kind: ImportKind): MappingSuggestion {
  // synonym key -> target and rank (position in its synonym list: lower is better).
  const exact = new Map<string, { target: ColumnTarget; rank: number }>();
  for (const [field, syns] of Object.entries(FIELD_SYNONYMS)) {
    syns.forEach((s, rank) => exact.set(s, { target: field as LeadFieldKey, rank }));
  }
  if (kind === 'leads') CREATED_SYNONYMS.forEach((s, rank) => exact.set(s, { target: 'created_date', rank }));
  if (kind !== 'leads') {
    for (const [target, syns] of Object.entries(ACTIVITY_SYNONYMS)) {
      if (kind === 'event' && target === 'activity.type') continue;
      if (kind === 'activities' && target.startsWith('event.')) continue;
      syns.forEach((s, rank) => {
        if (!exact.has(s) || kind === 'activities') exact.set(s, { target: target as ColumnTarget, rank });
      });
    }
  }

  const mapping: Record<string, ColumnTarget> = {};
  const used = new Set<ColumnTarget>();
  const keyCandidates: string[] = [];
  const candidates: { header: string; target: ColumnTarget; rank: number; index: number }[] = [];
  headers.forEach((h, index) => {
    const k = headerKey(h);
    const hit = exact.get(k);
    if (hit) candidates.push({ header: h, ...hit, index });
    if (KEY_HINTS.test(k)) keyCandidates.push(h);
  });
  candidates.sort((a, b) => a.rank - b.rank || a.index - b.index);
  for (const c of candidates) {
    if (used.has(c.target) || mapping[c.header]) continue;
    mapping[c.header] = c.target;
    used.add(c.target);
  }
  for (const h of headers) {
    if (mapping[h]) continue;
    const t = keywordTarget(headerKey(h), kind);
    if (t && !used.has(t)) {
      mapping[h] = t;
      used.add(t);
    } else {
      mapping[h] = 'custom';
    }
  }
  if (!used.has('email')) {
    const key = keyCandidates.find((h) => mapping[h] === 'custom');
    if (key) mapping[key] = 'key';
  }
  return { mapping, keyCandidates };
}
