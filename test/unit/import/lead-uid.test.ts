import { describe, expect, it } from 'vitest';
import { newLeadUid } from '../../../electron/backend/services/import/lead-uid';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('new leads uids (UUID version 7)', () => {
  it('are version 7 UUIDs whose first 48 bits are the milliseconds', () => {
    const uid = newLeadUid(Date.UTC(2030, 0, 1));
    expect(uid).toMatch(V7);
    expect(parseInt(uid.slice(0, 8) + uid.slice(9, 13), 16)).toBe(Date.UTC(2030, 0, 1));
  });

  it('increase with every call: within one millisecond, past 4,096 in one, and when the clock steps back', () => {
    const t = Date.UTC(2031, 5, 1);
    const clock = [...Array<number>(5000).fill(t), t - 60_000, t - 1, t + 5, t + 5];
    const uids = clock.map((ms) => newLeadUid(ms));
    for (let i = 1; i < uids.length; i++) expect(uids[i]! > uids[i - 1]!).toBe(true);
    for (const u of uids) expect(u).toMatch(V7);
    expect(new Set(uids).size).toBe(uids.length);
    // The 4,097th uid of one millisecond borrows the next one.
    expect(uids[4096]!.slice(0, 13)).toBe(newLeadUidPrefix(t + 1));
  });
});

/** The first 13 characters (48 bits of milliseconds and a dash) of a uid made at `ms`. */
function newLeadUidPrefix(ms: number): string {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}`;
}
