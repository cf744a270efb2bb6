/**
 * Which stored lead a file row is: its identity keys first (lead_keys), then its normalized
 * email; a key and an email pointing at two different leads is a conflict the row reports.
 *
 * Activity logs look up the same people again and again, so with `cache` on every identity
 * seen is remembered (keys prefixed with NUL so they never collide with an email).
 *
 * During a bulk load into an empty leads table the UNIQUE email index is gone until the end
 * (leads/bulk-load.ts): then emails are matched in `LoadEmails`, the emails of the leads the
 * load wrote, kept as the table would hold them (lead-upsert.ts notes every email it sets).
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
 * The normalized emails of the leads a bulk load wrote into an empty table, as that table
 * holds them: what its UNIQUE email index would find.
 */
export class LoadEmails {
  private readonly ids = new Map<string, number>();

  find(emailNorm: string): number | undefined {
    return this.ids.get(emailNorm);
  }

  /** Lead `id`'s email went from `before` to `after` (null: none); a new lead has none before. */
  moved(id: number, before: string | null, after: string | null): void {
    if (before === after) return;
    if (before !== null && this.ids.get(before) === id) this.ids.delete(before);
    // Detached: a cell is a slice of the whole parsed chunk, which it would keep alive.
    if (after !== null) this.ids.set(detached(after), id);
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
