/** Display helpers for follow-up: status badges, relative due times, outcome labels. */
import type { SlaStatus } from '../../../../shared/contract';

export const STATUS_CLASS: Readonly<Record<SlaStatus, string>> = {
  on_time: 'fu-status--on-time',
  due_soon: 'fu-status--due-soon',
  overdue: 'fu-status--overdue',
  breached: 'fu-status--breached',
  met: 'fu-status--met',
  no_attempt: 'fu-status--no-attempt',
};

function span(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 6) / 10;
  if (h < 48) return `${h % 1 === 0 ? h.toFixed(0) : h.toFixed(1)} h`;
  return `${Math.round(h / 24)} days`;
}

/** "in 3 h", "2 h ago". */
export function relative(at: number, now: number): string {
  return at >= now ? `in ${span(at - now)}` : `${span(now - at)} ago`;
}

const dueFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatDue(ms: number): string {
  return dueFormat.format(ms);
}

/**
 * The one due date a lead shows, in the queue row and the panel alike: when the next
 * action is due (first contact by the SLA, then the next attempt by the policy's spacing).
 */
export function nextDue(
  item: Readonly<{ nextAt: number }>,
  now: number,
): { at: number; text: string; relative: string } {
  return { at: item.nextAt, text: formatDue(item.nextAt), relative: relative(item.nextAt, now) };
}

/** Is the keyboard event typed into a field (so section shortcuts must not fire)? */
export function typingInField(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}
