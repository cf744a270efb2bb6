import { describe, expect, it } from 'vitest';
import { nextSortDir } from '../../../renderer/src/sections/leads/sort-cycle';

describe('a column header click cycles its sort', () => {
  it('numbers and dates: largest first, then smallest first, then no sort', () => {
    for (const kind of ['number', 'date'] as const) {
      expect(nextSortDir(kind, false)).toBe('desc');
      expect(nextSortDir(kind, 'desc')).toBe('asc');
      expect(nextSortDir(kind, 'asc')).toBeNull();
    }
  });

  it('text: A to Z, then Z to A, then no sort', () => {
    expect(nextSortDir('text', false)).toBe('asc');
    expect(nextSortDir('text', 'asc')).toBe('desc');
    expect(nextSortDir('text', 'desc')).toBeNull();
  });
});
