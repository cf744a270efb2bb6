/**
 * What a click on a column header sorts by next: numbers and dates start with the largest
 * (a rep wants the best scores, the newest dates first), text starts A to Z; a second click
 * turns the direction around, a third clears the sort.
 */
import type { LeadColumnInfo } from '../../../../shared/contract';

export type SortDir = 'asc' | 'desc';

export function nextSortDir(kind: LeadColumnInfo['kind'], current: SortDir | false): SortDir | null {
  const first: SortDir = kind === 'number' || kind === 'date' ? 'desc' : 'asc';
  if (current === false) return first;
  return current === first ? (first === 'asc' ? 'desc' : 'asc') : null;
}
