/** Number and date formatting for display, in the user's locale. */
const countFormat = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** "1 lead", "2,300 leads". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(ms: number | null | undefined): string {
  return ms == null ? '' : dateFormat.format(ms);
}

export function formatDateTime(ms: number | null | undefined): string {
  return ms == null ? '' : dateTimeFormat.format(ms);
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar day stored as UTC midnight (a file's date without a time zone): "5 Dec 2026". */
export function formatDay(ms: number | null | undefined): string {
  return ms == null ? '' : dayFormat.format(ms);
}
