/**
 * The score ledger: one entry per contribution, whose points sum exactly to the total
 * (every entry is a whole number, decay included, so no rounding drift), and the plain words
 * a sales rep reads ("+15 Downloaded 'Pricing guide' on 3 Mar 2026 (Content download)").
 */
import { activityTypeLabel, type ActivityType } from '../domain';

export type LedgerKind =
  'fit' | 'engagement' | 'negative' | 'decay' | 'inactivity' | 'window' | 'adjustment' | 'suppression';

export type LedgerEntry = Readonly<{
  kind: LedgerKind;
  /** The model rule (or adjustment id) behind the entry; null for model-wide effects. */
  ruleId: string | null;
  ruleName: string;
  /** Whole points this entry adds (negative subtracts); decay entries carry their delta. */
  points: number;
  /** The entry in plain words, points first. */
  text: string;
  /** The activity it came from (engagement, negative on activity). */
  activityId?: number;
  at?: number;
  /** The lead field and value it came from (fit, negative on profile, suppression). */
  field?: string;
  value?: string | null;
}>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "3 Mar 2026" in UTC: stable across machines, no locale or Intl needed. */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "+15", "-20", "0". */
export function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}

const VERBS: Readonly<Record<ActivityType, string>> = {
  page_visit: 'Visited',
  email_open: 'Opened email',
  email_click: 'Clicked email',
  download: 'Downloaded',
  webinar_registered: 'Registered for webinar',
  webinar_attended: 'Attended webinar',
  event_attended: 'Attended event',
  form_fill: 'Filled in form',
  video_watched: 'Watched video',
  unsubscribe: 'Unsubscribed',
};

/** "Downloaded 'Pricing guide' on 3 Mar 2026"; a workspace type by its label ("SMS Sent on ..."). */
export function describeActivity(type: string, asset: string, at: number, label?: string): string {
  const verb = VERBS[type as ActivityType] ?? label ?? activityTypeLabel(type);
  return asset ? `${verb} '${asset}' on ${formatDay(at)}` : `${verb} on ${formatDay(at)}`;
}

/** Whole days between two instants, rounded down (never negative). */
export function daysBetween(from: number, to: number): number {
  return Math.max(0, Math.floor((to - from) / 86_400_000));
}

/** A multiplier in short form: 0.5, 0.25, 0.12. */
export function formatFactor(f: number): string {
  return String(Number(f.toFixed(2)));
}

/** What renderLedger needs of a score (a ScoreResult or a stored row). */
export type LedgerSummary = Readonly<{
  total: number;
  fit: number;
  engagement: number;
  grade: string;
  segment: string;
  isMql: boolean;
  suppressedReason: string | null;
  ledger: readonly LedgerEntry[];
}>;

/** The ledger as plain text, one line per entry, for the CLI and exports. */
export function renderLedger(s: LedgerSummary, heading?: string): string {
  const lines: string[] = [];
  if (heading) lines.push(heading);
  const flags = [s.isMql ? 'MQL' : null, s.suppressedReason ? `suppressed: ${s.suppressedReason}` : null].filter(
    Boolean,
  );
  lines.push(
    `Score ${s.total} (fit ${s.fit}, engagement ${s.engagement}), grade ${s.grade}, segment ${s.segment}${flags.length ? `, ${flags.join(', ')}` : ''}`,
  );
  if (s.ledger.length === 0) lines.push('  (no rule applies)');
  for (const e of s.ledger) lines.push(`  ${e.text}`);
  lines.push(`  = ${s.total}`);
  return lines.join('\n');
}
