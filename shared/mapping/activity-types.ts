/**
 * Activity type values as tools export them ("Page View", "Email Clicked", "Attended",
 * "Whitepaper Download") mapped to our ACTIVITY_TYPES. Matching is on a normalized key
 * (lower case, words only), first exact synonyms, then keyword rules.
 */
import { ACTIVITY_TYPES, type ActivityType } from '../domain';
import { headerKey } from './headers';

const SYNONYMS: Readonly<Record<ActivityType, readonly string[]>> = {
  page_visit: [
    'page visit',
    'page view',
    'pageview',
    'page viewed',
    'visited page',
    'visit',
    'web visit',
    'website visit',
    'site visit',
    'viewed page',
    'page visited',
  ],
  email_open: ['email open', 'email opened', 'opened email', 'open', 'opened', 'email opens', 'mail opened'],
  email_click: [
    'email click',
    'email clicked',
    'clicked email',
    'click',
    'clicked',
    'email link clicked',
    'clicked link in email',
    'link click',
  ],
  download: ['download', 'downloaded', 'file download', 'asset download', 'content download', 'whitepaper download'],
  webinar_registered: [
    'webinar registered',
    'webinar registration',
    'registered',
    'registration',
    'registered for webinar',
    'webinar signup',
  ],
  webinar_attended: ['webinar attended', 'webinar attendance', 'attended webinar', 'attended', 'webinar joined'],
  event_attended: ['event attended', 'event attendance', 'attended event', 'event visit', 'booth visit', 'trade show'],
  form_fill: [
    'form fill',
    'form filled',
    'form submit',
    'form submitted',
    'form submission',
    'filled out form',
    'contact form',
    'submitted form',
  ],
  video_watched: ['video watched', 'video view', 'video viewed', 'watched video', 'video play', 'video played'],
  unsubscribe: ['unsubscribe', 'unsubscribed', 'email unsubscribed', 'opt out', 'opted out', 'optout'],
};

const EXACT = new Map<string, ActivityType>();
for (const t of ACTIVITY_TYPES) {
  EXACT.set(headerKey(t), t);
  for (const s of SYNONYMS[t]) EXACT.set(headerKey(s), t);
}

/** Maps an activity type cell to an ActivityType; null when it names none. */
export function parseActivityType(raw: string): ActivityType | null {
  const k = headerKey(raw);
  if (k === '') return null;
  const exact = EXACT.get(k);
  if (exact) return exact;
  if (/unsubscri|opt ?out/.test(k)) return 'unsubscribe';
  if (/webinar/.test(k)) return /attend|join|watch/.test(k) ? 'webinar_attended' : 'webinar_registered';
  if (/email|mail/.test(k)) return /click/.test(k) ? 'email_click' : /open/.test(k) ? 'email_open' : null;
  if (/download/.test(k)) return 'download';
  if (/video/.test(k)) return 'video_watched';
  if (/form/.test(k)) return 'form_fill';
  if (/event|conference|trade ?show|meetup/.test(k)) return 'event_attended';
  if (/page|visit|view/.test(k)) return 'page_visit';
  return null;
}
