/**
 * Which stored lead a file row is: its identity keys first (lead_keys), then its normalized
 * email; a key and an email pointing at two different leads is a conflict the row reports.
 *
 * Activity logs look up the same people again and again, so with `cache` on every identity
 * seen is remembered (keys prefixed with NUL so they never collide with an email).
 *
 * During a bulk load into an empty leads table the UNIQUE email index is gone until the end
 * (leads/bulk-load.ts): then emails are matched in `LoadEmails`, the leads the load wrote by
 * a key of their email as the table holds it (lead-upsert.ts notes every email it sets), each
 * candidate checked against its row.
 */
import type Database from 'better-sqlite3';
import type { LeadDraft } from '../../../../shared/mapping';
import { leadKeyStore } from '../leads/lead-keys';
import { detached } from './activity-queue';

export type FoundLead = Readonly<{ id: number | null; conflict: string | null; cached?: true }>;

export type LeadIdentity = Readonly<{
  find: (lead: LeadDraft) => FoundLead;
  /** Notes the row's identities as lead `id` (a no-op without the cache). */
  remember: (lead: LeadDraft, id: number) => void;
  /** From now on, emails are matched in `emails` instead of the table (its email index is gone). */
  matchEmailsIn: (emails: LoadEmails) => void;
}>;

/**
 * The key an email is kept under in `LoadEmails`: FNV-1a over its UTF-16 code units, cut to
 * 30 bits so that it is a small integer for V8 (no heap number per key). Emails that share a
 * key are told apart by their lead's row. An object so that a test can make every key collide.
 */
export const loadEmailKeys = {
  key(email: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < email.length; i++) h = Math.imul(h ^ email.charCodeAt(i), 0x01000193);
    return h & 0x3fffffff;
  },
};

/**
 * The leads a bulk load wrote into an empty table, by their normalized email as that table
 * holds it: what its UNIQUE email index would find. Kept as (email key, lead id) pairs in an
 * open-addressing table of typed arrays, not as the emails themselves: a parsed cell is a
 * slice of its whole chunk, so keeping the email meant copying it first (`detached`), and a
 * Map of 100,000 copied emails cost about 0.1 s of the writing thread (1,000,000: 1.4 s, and
 * tens of MB of strings that every full garbage collection traces). A key is not the email:
 * `find` reads the email_norm of each lead noted under the key from its row (an id lookup,
 * so only for an email seen before or a shared key), and noting an email drops a lead noted
 * under the same key whose row holds that email too, so at most one lead is found per email,
 * the last one noted, as the index (and the Map this replaced) would.
 */
export class LoadEmails {
  /** Email key per slot; a slot is empty while its id is 0, dropped when it is -1. */
  private keys = new Int32Array(1 << 12);
  private ids = new Float64Array(1 << 12);
  /** Slots taken (dropped ones included): the table doubles when they reach half of it. */
  private taken = 0;
  /** Lead `id`'s email_norm as its row now holds it (undefined: no such row). */
  private readonly emailOf: (id: number) => string | null | undefined;

  constructor(db: Database.Database) {
    const read = db.prepare('SELECT email_norm FROM leads WHERE id = ?').pluck();
    this.emailOf = (id) => read.get(id) as string | null | undefined;
  }

  /** The last email keyed and its key: a new lead's email is looked up, then noted. */
  private lastEmail = '';
  private lastKey = loadEmailKeys.key('');

  private keyOf(email: string): number {
    if (email !== this.lastEmail) {
      this.lastKey = loadEmailKeys.key(email);
      this.lastEmail = email;
    }
    return this.lastKey;
  }

  find(emailNorm: string): number | undefined {
    const slot = this.slotOf(this.keyOf(emailNorm), emailNorm);
    return slot < 0 ? undefined : this.ids[slot];
  }

  /** Lead `id`'s email went from `before` to `after` (null: none); a new lead has none before. */
  moved(id: number, before: string | null, after: string | null): void {
    if (before === after) return;
    const mask = this.keys.length - 1;
    if (before !== null) {
      const key = this.keyOf(before);
      for (let i = key & mask; this.ids[i] !== 0; i = (i + 1) & mask) {
        if (this.keys[i] === key && this.ids[i] === id) this.ids[i] = -1;
      }
    }
    if (after === null) return;
    const key = this.keyOf(after);
    // A lead noted under this key whose row holds `after` too no longer has it here.
    const other = this.slotOf(key, after, id);
    if (other >= 0) this.ids[other] = -1;
    this.add(key, id);
  }

  /** The slot of the lead (other than `except`) noted under `key` whose row holds `email`; -1 if none. */
  private slotOf(key: number, email: string, except = 0): number {
    const mask = this.keys.length - 1;
    for (let i = key & mask; this.ids[i] !== 0; i = (i + 1) & mask) {
      const id = this.ids[i]!;
      if (this.keys[i] === key && id > 0 && id !== except && this.emailOf(id) === email) return i;
    }
    return -1;
  }

  private add(key: number, id: number): void {
    if (2 * (this.taken + 1) > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = key & mask;
    while (this.ids[i] !== 0) i = (i + 1) & mask;
    this.keys[i] = key;
    this.ids[i] = id;
    this.taken++;
  }

  /** Twice the slots (or as many, only dropping the dropped ones), every noted lead placed again. */
  private grow(): void {
    const { keys, ids } = this;
    let live = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i]! > 0) live++;
    const size = 4 * live >= keys.length ? 2 * keys.length : keys.length;
    this.keys = new Int32Array(size);
    this.ids = new Float64Array(size);
    this.taken = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i]! > 0) this.add(keys[i]!, ids[i]!);
  }
}

const keyOf = (name: string, value: string) => `\u0000${name}\u0000${value}`;

export function createLeadIdentity(db: Database.Database, options: Readonly<{ cache: boolean }>): LeadIdentity {
  const byEmail = db.prepare('SELECT id FROM leads WHERE email_norm = ?').pluck();
  const keys = leadKeyStore(db);
  const cache = options.cache ? new Map<string, number>() : null;
  let loadEmails: LoadEmails | null = null;
  const findByEmail = (emailNorm: string) =>
    loadEmails ? loadEmails.find(emailNorm) : (byEmail.get(emailNorm) as number | undefined);
  return {
    find(lead) {
      // Activity logs: the common case is a person already seen in this file.
      if (cache && lead.keys.length === 0 && lead.emailNorm !== null) {
        const hit = cache.get(lead.emailNorm);
        if (hit !== undefined) return { id: hit, conflict: null, cached: true };
      }
      let id: number | null = null;
      for (const [name, value] of lead.keys) {
        const hit = cache?.get(keyOf(name, value)) ?? keys.find(name, value);
        if (hit !== undefined) {
          id = hit;
          break;
        }
      }
      if (lead.emailNorm !== null) {
        const hit = cache?.get(lead.emailNorm) ?? findByEmail(lead.emailNorm);
        if (hit !== undefined && id !== null && hit !== id) {
          return {
            id,
            conflict: `The email ${lead.email ?? ''} already belongs to another lead than the one with this key.`,
          };
        }
        if (id === null && hit !== undefined) id = hit;
      }
      return { id, conflict: null };
    },
    remember(lead, id) {
      if (!cache) return;
      for (const [name, value] of lead.keys) {
        const key = keyOf(name, value);
        if (!cache.has(key)) cache.set(detached(key), id);
      }
      if (lead.emailNorm !== null && !cache.has(lead.emailNorm)) cache.set(detached(lead.emailNorm), id);
    },
    matchEmailsIn(emails) {
      loadEmails = emails;
    },
  };
}
