/**
 * Domain vocabulary shared by backend and renderer: the fields a lead has, the kinds of
 * activity we track, and the plain-data shapes that cross the IPC boundary.
 * Timestamps are epoch milliseconds (UTC) everywhere: cheap to sort and index in SQLite,
 * and unambiguous across time zones.
 */
import type { CustomValues } from './custom-fields';

/** Standard lead fields, in the order a user expects to see them. */
export const LEAD_FIELDS = [
  { key: 'email', label: 'Email', kind: 'text' },
  { key: 'first_name', label: 'First name', kind: 'text' },
  { key: 'last_name', label: 'Last name', kind: 'text' },
  { key: 'company', label: 'Company', kind: 'text' },
  { key: 'title', label: 'Job title', kind: 'text' },
  { key: 'phone', label: 'Phone', kind: 'text' },
  { key: 'industry', label: 'Industry', kind: 'text' },
  { key: 'company_size', label: 'Company size', kind: 'number' },
  { key: 'country', label: 'Country', kind: 'text' },
  { key: 'city', label: 'City', kind: 'text' },
  { key: 'website', label: 'Website', kind: 'text' },
  { key: 'source', label: 'Lead source', kind: 'text' },
  { key: 'campaign', label: 'Campaign', kind: 'text' },
] as const;

/** The lead row's score columns, mirroring its primary model's score (grid, rescore save). */
export const LEAD_SCORE_COLUMNS = [
  'score_total',
  'score_fit',
  'score_engagement',
  'grade',
  'segment',
  'is_mql',
  'suppressed_reason',
  'scored_at',
] as const;

export type LeadFieldKey = (typeof LEAD_FIELDS)[number]['key'];

/**
 * Fields that name a person or a company rather than describe the lead: they say nothing
 * about other leads, so neither learning nor the starter model makes rules on them.
 */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set<LeadFieldKey>([
  'email',
  'first_name',
  'last_name',
  'company',
  'phone',
  'website',
]);

/** The standard fields' keys, in LEAD_FIELDS order. */
export const LEAD_FIELD_KEYS: readonly LeadFieldKey[] = LEAD_FIELDS.map((f) => f.key);
export type LeadFieldKind = 'text' | 'number' | 'date';

/** The activity types an activity log row can carry. */
export const ACTIVITY_TYPES = [
  'page_visit',
  'email_open',
  'email_click',
  'download',
  'webinar_registered',
  'webinar_attended',
  'event_attended',
  'form_fill',
  'video_watched',
  'unsubscribe',
] as const;

export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_TYPE_LABELS: Readonly<Record<ActivityType, string>> = {
  page_visit: 'Page visit',
  email_open: 'Email open',
  email_click: 'Email click',
  download: 'Download',
  webinar_registered: 'Webinar registration',
  webinar_attended: 'Webinar attendance',
  event_attended: 'Event attendance',
  form_fill: 'Form fill',
  video_watched: 'Video watched',
  unsubscribe: 'Unsubscribe',
};

/**
 * A workspace activity type: one a file brought in its own words ("SMS Sent", "Olark Chat
 * Conversation"), stored as "ws:" + its name so no row is rejected for its type and rules
 * can target it. The name is the label.
 */
export type WorkspaceActivityType = `ws:${string}`;
/** A built-in or a workspace activity type, as stored on an activity and named by engagement rules. */
export type ActivityTypeKey = ActivityType | WorkspaceActivityType;

export const WORKSPACE_TYPE_PREFIX = 'ws:';
/** Longest workspace type name (it is part of every stored activity's identity). */
export const WORKSPACE_TYPE_NAME_MAX = 100;

/** The workspace type named `name` (trimmed, inner spaces collapsed). */
export function workspaceActivityType(name: string): WorkspaceActivityType {
  return `${WORKSPACE_TYPE_PREFIX}${name.trim().replace(/\s+/g, ' ').slice(0, WORKSPACE_TYPE_NAME_MAX)}`;
}

export function isActivityTypeKey(value: string): value is ActivityTypeKey {
  return (
    (ACTIVITY_TYPES as readonly string[]).includes(value) ||
    (value.startsWith(WORKSPACE_TYPE_PREFIX) && value.trim().length > WORKSPACE_TYPE_PREFIX.length)
  );
}

/** Labels of renamed workspace types by key (the workspace's activity_types table). */
export type ActivityTypeLabels = ReadonlyMap<string, string>;

/**
 * What a type is called on screen: its name in this workspace when it was renamed (`labels`),
 * else the built-in label, or a workspace type's own name.
 */
export function activityTypeLabel(type: string, labels?: ActivityTypeLabels): string {
  const renamed = labels?.get(type);
  if (renamed !== undefined) return renamed;
  if (type.startsWith(WORKSPACE_TYPE_PREFIX)) return type.slice(WORKSPACE_TYPE_PREFIX.length);
  return ACTIVITY_TYPE_LABELS[type as ActivityType] ?? type;
}

/** A lead as the scoring module and the lead page see it. */
/** A lead's standard fields as stored (LEAD_FIELDS): text or a number, blank as null. */
export type LeadFields = Readonly<{
  [F in (typeof LEAD_FIELDS)[number] as F['key']]: F['kind'] extends 'number' ? number | null : string | null;
}>;

export type Lead = LeadFields &
  Readonly<{
    id: number;
    uid: string;
    /** Unmapped spreadsheet columns (column header -> typed value, see shared/custom-fields.ts). */
    custom: CustomValues;
    stage: string;
    owner_id: number | null;
    tags: readonly string[];
    /** A suppression set by hand (bulk action), with its reason. */
    manual_suppression: string | null;
    created_at: number;
    updated_at: number;
    /** The lead's key (e.g. its Prospect ID), when read; part of its label (shared/lead-label.ts). */
    lead_key?: string | null;
  }>;

/** One behavioural event of a lead. */
export type Activity = Readonly<{
  id: number;
  lead_id: number;
  type: ActivityTypeKey;
  /** Asset name or URL (page, whitepaper, webinar title); empty string when none. */
  asset: string;
  occurred_at: number;
  /** Seconds spent (video watched, time on page, time in webinar), when known. */
  duration_sec: number | null;
  /** What its type is called in this workspace when renamed; only words use it (explanations). */
  label?: string;
}>;

/**
 * Characters that show nothing yet make two strings differ: zero-width space and joiners,
 * direction marks, word joiner, BOM, soft hyphen. Pasted emails carry them from web pages.
 */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** The text without invisible characters (see INVISIBLE). */
export function withoutInvisible(raw: string): string {
  return raw.replace(INVISIBLE, '');
}

/**
 * An email domain in one form: IDNA ASCII ("bücher.example" and "xn--bcher-kva.example" are
 * one domain). URL's host parser does the IDNA mapping in Node and in browsers alike.
 */
// shared/ is compiled without DOM or Node types; WHATWG URL exists in both runtimes.
declare const URL: new (url: string) => { readonly hostname: string };

function asciiDomain(domain: string): string {
  try {
    return new URL(`http://${domain}/`).hostname || domain;
  } catch {
    return domain;
  }
}

/**
 * Normalizes an email for identity matching: invisible characters removed, trimmed,
 * case-folded, Unicode NFC, the domain in its ASCII (punycode) form; null when blank.
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  let norm = withoutInvisible(raw).trim().toLowerCase();
  if (norm === '') return null;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(norm)) {
    norm = norm.normalize('NFC');
    const at = norm.lastIndexOf('@');
    if (at > 0 && at < norm.length - 1) norm = norm.slice(0, at + 1) + asciiDomain(norm.slice(at + 1));
  }
  return norm;
}

/** The domain part of an email, lower case, or null. */
export function emailDomain(email: string | null | undefined): string | null {
  const norm = normalizeEmail(email);
  if (!norm) return null;
  const at = norm.lastIndexOf('@');
  return at >= 0 && at < norm.length - 1 ? norm.slice(at + 1) : null;
}

/**
 * Default lifecycle stages. Keys are stable (stored on leads and in stage history); labels
 * and order are configurable per workspace. Closed stages freeze scores.
 */
export const DEFAULT_STAGES = [
  { key: 'new', label: 'New', closed: false },
  { key: 'mql', label: 'MQL', closed: false },
  { key: 'sal', label: 'Accepted by sales (SAL)', closed: false },
  { key: 'sql', label: 'Qualified (SQL)', closed: false },
  { key: 'opportunity', label: 'Opportunity', closed: false },
  { key: 'won', label: 'Won', closed: true },
  { key: 'lost', label: 'Lost', closed: true },
  { key: 'recycled', label: 'Recycled (nurture)', closed: false },
  { key: 'disqualified', label: 'Disqualified', closed: true },
] as const;

/** Stages in which a lead closed in the workspace keeps the score it closed with (scoring/closed-scores.ts). */
export const CLOSED_STAGE_KEYS: readonly string[] = DEFAULT_STAGES.filter((s) => s.closed).map((s) => s.key);
