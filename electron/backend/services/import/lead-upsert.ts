/**
 * Writing one file row's lead: a new lead inserted (tagged with the import), or an existing
 * one updated ('fill' blanks or 'overwrite'), its previous values journaled the first time
 * this import changes it, so undo and a failed import can put them back. Identity keys are
 * added (journaled for leads that existed before); custom cells are stored typed.
 */
import type Database from 'better-sqlite3';
import { LEAD_FIELDS, LEAD_SCORE_COLUMNS, type LeadFieldKey } from '../../../../shared/domain';
import type { DateOrder, LeadDraft } from '../../../../shared/mapping';
import { typedCustom, type CustomFieldType, type CustomValue } from '../../../../shared/custom-fields';
import { customEncoder, decodeCustom } from '../leads/custom-store';
import { draftLeadKey } from '../leads/lead-key';
import { leadKeyStore } from '../leads/lead-keys';
import { newUidBytesSql } from '../leads/lead-uid-sql';
import type { LoadEmails } from './lead-identity';
import { newLeadUid } from './lead-uid';
import { UNSAVED_LEAD_ID, UNSCORED_LEAD_COLUMNS, type InPassScoring, type NewLeadRow } from './score-in-pass';

export const FIELD_KEYS = LEAD_FIELDS.map((f) => f.key).filter((k) => k !== 'email') as Exclude<
  LeadFieldKey,
  'email'
>[];
/** The lead columns an import may change, journaled before it does (revertImport restores them). */
export const RESTORE_COLUMNS = ['email', 'email_norm', ...FIELD_KEYS, 'custom', 'updated_at'] as const;

type LeadRow = Record<(typeof RESTORE_COLUMNS)[number], string | number | null> & { id: number };

export type LeadUpsertOptions = Readonly<{
  importId: number;
  update: 'fill' | 'overwrite';
  now: number;
  leadKeyName: string | null;
  customTypes: ReadonlyMap<string, CustomFieldType>;
  dateOrder: DateOrder | undefined;
}>;

export type LeadUpsert = Readonly<{
  /**
   * Inserts the draft as a new lead; returns its id, and whether `scoring` scored it (its
   * scores are written with it; see score-in-pass.ts).
   */
  create: (lead: LeadDraft, scoring: InPassScoring | null) => { id: number; scored: boolean };
  /** Applies the draft to lead `id`; true when something changed (a key added counts). */
  update: (id: number, lead: LeadDraft) => boolean;
  /** Custom fields the written rows carried. */
  customFields: () => ReadonlySet<string>;
  /** From now on, notes in `emails` every email it sets (lead-identity.ts matches on them). */
  noteEmailsIn: (emails: LoadEmails) => void;
}>;

const isBlank = (v: unknown) => v === null || v === undefined || v === '';

export function createLeadUpsert(db: Database.Database, o: LeadUpsertOptions): LeadUpsert {
  const getLead = db.prepare(`SELECT id, ${RESTORE_COLUMNS.join(', ')} FROM leads WHERE id = ?`);
  const insertLead = db.prepare(
    `INSERT INTO leads (uid, email, email_norm, ${FIELD_KEYS.join(', ')}, custom, lead_key, created_at, updated_at, import_id,
                        ${LEAD_SCORE_COLUMNS.join(', ')})
     VALUES (${newUidBytesSql('?')}, ?, ?, ${FIELD_KEYS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ${LEAD_SCORE_COLUMNS.map(() => '?').join(', ')})`,
  );
  const updateLead = db.prepare(
    `UPDATE leads SET email = ?, email_norm = ?, ${FIELD_KEYS.map((k) => `${k} = ?`).join(', ')}, custom = ?, updated_at = ?
     WHERE id = ?`,
  );
  const keys = leadKeyStore(db);
  const customStore = customEncoder(db);
  // A lead that had no key (imported by email before) gets this import's as its label.
  const fillLeadKey = db.prepare('UPDATE leads SET lead_key = ? WHERE id = ? AND lead_key IS NULL');
  const journal = db.prepare(
    'INSERT INTO import_journal (import_id, seq, action, lead_id, before) VALUES (?, ?, ?, ?, ?)',
  );
  let seq =
    (db
      .prepare('SELECT coalesce(max(seq), 0) FROM import_journal WHERE import_id = ?')
      .pluck()
      .get(o.importId) as number) + 1;
  const journaled = new Set<number>();
  const created = new Set<number>();
  const customSeen = new Set<string>();
  let emails: LoadEmails | null = null;

  /** The draft's custom cells as stored (typed; no data dropped), noting the fields seen. */
  function storedCustom(lead: LeadDraft): Record<string, CustomValue> {
    for (const k in lead.custom) customSeen.add(k);
    return typedCustom(lead.custom, o.customTypes, o.dateOrder);
  }

  function addKeys(leadId: number, lead: LeadDraft, journalIt: boolean): void {
    for (const [name, value] of lead.keys) {
      if (keys.add(leadId, name, value) && journalIt)
        journal.run(o.importId, seq++, 'key', leadId, JSON.stringify([name, value]));
    }
  }

  /** The draft over the stored row: the row to write, or null when nothing changes. */
  function merged(before: LeadRow, lead: LeadDraft): LeadRow | null {
    const next: LeadRow = { ...before };
    const overwrite = o.update === 'overwrite';
    let changed = false;
    if (lead.emailNorm !== null && (isBlank(before.email_norm) || (overwrite && before.email !== lead.email))) {
      if (before.email !== lead.email) {
        next.email = lead.email;
        next.email_norm = lead.emailNorm;
        changed = true;
      }
    }
    for (const k of FIELD_KEYS) {
      const v = lead.fields[k];
      if (v === undefined) continue;
      if ((overwrite || isBlank(before[k])) && before[k] !== v) {
        next[k] = v;
        changed = true;
      }
    }
    const custom: Record<string, CustomValue> = {
      ...decodeCustom(customStore.slots(), before.custom as string | null),
    };
    let customChanged = false;
    for (const [k, v] of Object.entries(storedCustom(lead))) {
      if ((overwrite || isBlank(custom[k])) && custom[k] !== v) {
        custom[k] = v;
        customChanged = true;
      }
    }
    if (customChanged) {
      next.custom = customStore.encode(custom);
      changed = true;
    }
    return changed ? next : null;
  }

  return {
    create(lead, scoring) {
      const uid = newLeadUid();
      const custom = customStore.encode(storedCustom(lead));
      const leadKey = draftLeadKey(o.leadKeyName, lead);
      // The lead's own created date when the file has one (reports' period filters read it).
      const createdAt = lead.createdAt ?? o.now;
      const score = scoring?.score(
        newLeadRow(lead, uid, custom, leadKey, createdAt, o.now),
        Object.keys(lead.custom),
        customStore.slots(),
      );
      const r = insertLead.run(
        uid,
        lead.email,
        lead.emailNorm,
        ...FIELD_KEYS.map((k) => lead.fields[k] ?? null),
        custom,
        leadKey,
        createdAt,
        o.now,
        o.importId,
        ...(score?.leadColumns ?? UNSCORED_LEAD_COLUMNS),
      );
      const id = Number(r.lastInsertRowid);
      created.add(id);
      emails?.moved(id, null, lead.emailNorm);
      if (score) scoring!.written(id, score);
      addKeys(id, lead, false);
      return { id, scored: score !== null && score !== undefined };
    },
    update(id, lead) {
      const before = getLead.get(id) as LeadRow;
      const next = merged(before, lead);
      const keysBefore = seq;
      addKeys(id, lead, !created.has(id));
      if (seq !== keysBefore) {
        const key = draftLeadKey(o.leadKeyName, lead);
        if (key !== null) fillLeadKey.run(key, id);
      }
      if (next === null) return seq !== keysBefore;
      if (!created.has(id) && !journaled.has(id)) {
        const snapshot: Record<string, unknown> = {};
        for (const c of RESTORE_COLUMNS) snapshot[c] = before[c];
        journal.run(o.importId, seq++, 'update', id, JSON.stringify(snapshot));
        journaled.add(id);
      }
      updateLead.run(next.email, next.email_norm, ...FIELD_KEYS.map((k) => next[k]), next.custom, o.now, id);
      emails?.moved(id, before.email_norm as string | null, next.email_norm as string | null);
      return true;
    },
    customFields: () => customSeen,
    noteEmailsIn: (into) => {
      emails = into;
    },
  };
}

/**
 * The row `create` inserts, as scoring reads it (the columns a Lead has; the others are the
 * table's defaults). Built property by property in one order, not spread: every row then has
 * the same shape, and a spread of a draft's fields cost several microseconds a lead.
 */
function newLeadRow(
  lead: LeadDraft,
  uid: string,
  custom: string,
  leadKey: string | null,
  createdAt: number,
  now: number,
): NewLeadRow {
  const row: Record<string, string | number | null> = {
    id: UNSAVED_LEAD_ID,
    uid,
    email: lead.email,
    custom,
    lead_key: leadKey,
    created_at: createdAt,
    updated_at: now,
  };
  for (const k of FIELD_KEYS) row[k] = lead.fields[k] ?? null;
  return row as NewLeadRow;
}
