/**
 * Writing one file row's lead: a new lead inserted (tagged with the import), or an existing
 * one updated ('fill' blanks or 'overwrite'), its previous values journaled the first time
 * this import changes it, so undo and a failed import can put them back. Identity keys are
 * added (journaled for leads that existed before); custom cells are stored typed.
 */
import type Database from 'better-sqlite3';
import { LEAD_FIELDS, type LeadFieldKey } from '../../../../shared/domain';
import type { DateOrder, LeadDraft } from '../../../../shared/mapping';
import { typedCustom, type CustomFieldType, type CustomValue } from '../../../../shared/custom-fields';
import { draftLeadKey } from '../leads/lead-key';
import { leadKeyStore } from '../leads/lead-keys';
import { newLeadUid } from './lead-uid';

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
  /** Inserts the draft as a new lead; returns its id. */
  create: (lead: LeadDraft) => number;
  /** Applies the draft to lead `id`; true when something changed (a key added counts). */
  update: (id: number, lead: LeadDraft) => boolean;
  /** Custom fields the written rows carried. */
  customFields: () => ReadonlySet<string>;
}>;

const isBlank = (v: unknown) => v === null || v === undefined || v === '';

export function createLeadUpsert(db: Database.Database, o: LeadUpsertOptions): LeadUpsert {
  const getLead = db.prepare(`SELECT id, ${RESTORE_COLUMNS.join(', ')} FROM leads WHERE id = ?`);
  const insertLead = db.prepare(
    `INSERT INTO leads (uid, email, email_norm, ${FIELD_KEYS.join(', ')}, custom, lead_key, created_at, updated_at, import_id)
     VALUES (?, ?, ?, ${FIELD_KEYS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`,
  );
  const updateLead = db.prepare(
    `UPDATE leads SET email = ?, email_norm = ?, ${FIELD_KEYS.map((k) => `${k} = ?`).join(', ')}, custom = ?, updated_at = ?
     WHERE id = ?`,
  );
  const keys = leadKeyStore(db);
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
    const custom = JSON.parse(String(before.custom ?? '{}')) as Record<string, CustomValue>;
    let customChanged = false;
    for (const [k, v] of Object.entries(storedCustom(lead))) {
      if ((overwrite || isBlank(custom[k])) && custom[k] !== v) {
        custom[k] = v;
        customChanged = true;
      }
    }
    if (customChanged) {
      next.custom = JSON.stringify(custom);
      changed = true;
    }
    return changed ? next : null;
  }

  return {
    create(lead) {
      const r = insertLead.run(
        newLeadUid(),
        lead.email,
        lead.emailNorm,
        ...FIELD_KEYS.map((k) => lead.fields[k] ?? null),
        JSON.stringify(storedCustom(lead)),
        draftLeadKey(o.leadKeyName, lead),
        // The lead's own created date when the file has one (reports' period filters read it).
        lead.createdAt ?? o.now,
        o.now,
        o.importId,
      );
      const id = Number(r.lastInsertRowid);
      created.add(id);
      addKeys(id, lead, false);
      return id;
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
      return true;
    },
    customFields: () => customSeen,
  };
}
