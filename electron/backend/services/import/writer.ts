/**
 * The database side of an import: matching people (identity keys, then normalized email),
 * inserting or updating leads (fill blanks vs overwrite), adding activities de-duplicated
 * on (lead, type, asset, time), journaling every change to an existing lead so the import
 * can be undone (or rolled back when it fails or is cancelled) as one step.
 *
 * Leads and activities an import creates carry its import_id; changes to leads that existed
 * before are journaled with their previous values.
 *
 * Activity logs (mode 'activities') queue their activities and insert them in lead order
 * when the caller flushes: an activity log lists people in no particular order, so inserting
 * row by row lands every row on a random page of both activity indexes (lead, type, asset,
 * time) and (lead, time); sorted, each flush sweeps the indexes once (1M rows: about half the
 * SQLite time). The sort is stable, so one person's activities keep their file order (and
 * get ids in that order): the first of two identical rows still wins, and ties in time still
 * break by file order. Across people, ids follow lead order within a flush; nothing orders
 * different people's activities by id.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { LEAD_FIELDS, type LeadFieldKey } from '../../../../shared/domain';
import type { ActivityDraft, LeadDraft } from '../../../../shared/mapping';
import { typedCustom, type CustomFieldType, type CustomValue } from '../../../../shared/custom-fields';
import type { DateOrder } from '../../../../shared/mapping';
import { draftLeadKey } from '../leads/lead-key';
import { revertOutcomeStages } from '../outcomes/record';

const FIELD_KEYS = LEAD_FIELDS.map((f) => f.key).filter((k) => k !== 'email') as Exclude<LeadFieldKey, 'email'>[];
const RESTORE_COLUMNS = ['email', 'email_norm', ...FIELD_KEYS, 'custom', 'updated_at'] as const;

type LeadRow = Record<(typeof RESTORE_COLUMNS)[number], string | number | null> & { id: number };

export type RowOutcome =
  | Readonly<{
      kind: 'inserted' | 'updated' | 'unchanged';
      leadId: number;
      /** Inserted now (leads and event lists); queued activities are counted by flushActivities. */
      activitiesInserted: number;
      activitiesSeen: number;
    }>
  | Readonly<{ kind: 'error'; column: string | null; reason: string }>;

export type ActivityFlush = Readonly<{
  /** Queued activities written by this call (inserted or already stored). */
  seen: number;
  inserted: number;
  /** Leads that got at least one new activity (an id may repeat). */
  leads: readonly number[];
}>;

export type Writer = Readonly<{
  /** Upserts the row's lead (leads/event kinds) and adds or queues its activities. Call inside a transaction. */
  writeRow: (lead: LeadDraft, activities: readonly ActivityDraft[]) => RowOutcome;
  /** Activities queued by writeRow (mode 'activities') and not yet inserted. */
  queuedActivities: () => number;
  /**
   * Inserts up to `max` queued activities in lead order (the queue is sorted on the first
   * call after rows were queued). Call inside a transaction until nothing is queued.
   */
  flushActivities: (max: number) => ActivityFlush;
  /** Sets leads.last_activity_at from the activities added (once, at the end of the import). */
  flushLastActivity: () => void;
  /** Custom fields the written rows carried. */
  customFields: () => ReadonlySet<string>;
}>;

export type WriterOptions = Readonly<{
  importId: number;
  mode: 'upsert' | 'activities';
  update: 'fill' | 'overwrite';
  unknownLeads: 'create' | 'reject';
  now: number;
  /** The workspace's key name (see services/leads/lead-key.ts): new leads' lead_key comes from it. */
  leadKeyName: string | null;
  /** Custom fields' types: values of typed fields are stored typed, others as text (typed after the import). */
  customTypes?: ReadonlyMap<string, CustomFieldType>;
  /** How the file's dates read (custom date fields). */
  dateOrder?: DateOrder;
}>;

const isBlank = (v: unknown) => v === null || v === undefined || v === '';

/**
 * A copy of a string that shares no memory with it. Parsed cells are slices of the chunk of
 * text they were parsed from, so a cell kept for the whole import (an identity cache key)
 * would keep its whole 64 KB chunk alive: 100,000 people in a 100 MB log pinned most of it.
 */
const detached = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/**
 * Activities waiting for a sorted flush, as columns: numbers in typed arrays, type and asset
 * as indexes into a table of distinct strings (copied, see `detached`). The queue thus holds
 * no object per row and no slice of the parsed text, so 100,000 queued rows are a few MB
 * that the garbage collector never has to promote and trace.
 */
type ActivityQueue = {
  size: number;
  lead: Float64Array;
  at: Float64Array;
  /** NaN: no duration. */
  duration: Float64Array;
  type: Uint32Array;
  asset: Uint32Array;
  /** Row -> detail, for the few rows that carry one. */
  detail: Map<number, string>;
  strings: string[];
  stringIds: Map<string, number>;
};

function emptyQueue(capacity = 4096): ActivityQueue {
  return {
    size: 0,
    lead: new Float64Array(capacity),
    at: new Float64Array(capacity),
    duration: new Float64Array(capacity),
    type: new Uint32Array(capacity),
    asset: new Uint32Array(capacity),
    detail: new Map(),
    strings: [],
    stringIds: new Map(),
  };
}

function grown<T extends Float64Array | Uint32Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

function stringId(q: ActivityQueue, v: string): number {
  let id = q.stringIds.get(v);
  if (id === undefined) {
    id = q.strings.length;
    const copy = detached(v);
    q.strings.push(copy);
    q.stringIds.set(copy, id);
  }
  return id;
}

function enqueue(q: ActivityQueue, leadId: number, a: ActivityDraft): void {
  const i = q.size;
  if (i === q.lead.length) {
    const capacity = i * 2;
    q.lead = grown(q.lead, capacity);
    q.at = grown(q.at, capacity);
    q.duration = grown(q.duration, capacity);
    q.type = grown(q.type, capacity);
    q.asset = grown(q.asset, capacity);
  }
  q.lead[i] = leadId;
  q.at[i] = a.occurredAt;
  q.duration[i] = a.durationSec ?? NaN;
  q.type[i] = stringId(q, a.type);
  q.asset[i] = stringId(q, a.asset);
  if (a.detail !== null) q.detail.set(i, a.detail);
  q.size = i + 1;
}

export function createWriter(db: Database.Database, o: WriterOptions): Writer {
  const byEmail = db.prepare('SELECT id FROM leads WHERE email_norm = ?').pluck();
  const byKey = db.prepare('SELECT lead_id FROM lead_keys WHERE key_name = ? AND key_value = ?').pluck();
  const getLead = db.prepare(`SELECT id, ${RESTORE_COLUMNS.join(', ')} FROM leads WHERE id = ?`);
  const insertLead = db.prepare(
    `INSERT INTO leads (uid, email, email_norm, ${FIELD_KEYS.join(', ')}, custom, lead_key, created_at, updated_at, import_id)
     VALUES (?, ?, ?, ${FIELD_KEYS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`,
  );
  const updateLead = db.prepare(
    `UPDATE leads SET email = ?, email_norm = ?, ${FIELD_KEYS.map((k) => `${k} = ?`).join(', ')}, custom = ?, updated_at = ?
     WHERE id = ?`,
  );
  const insertKey = db.prepare('INSERT OR IGNORE INTO lead_keys (lead_id, key_name, key_value) VALUES (?, ?, ?)');
  // A lead that had no key (imported by email before) gets this import's as its label.
  const fillLeadKey = db.prepare('UPDATE leads SET lead_key = ? WHERE id = ? AND lead_key IS NULL');
  const journal = db.prepare(
    'INSERT INTO import_journal (import_id, seq, action, lead_id, before) VALUES (?, ?, ?, ?, ?)',
  );
  const insertActivity = db.prepare(
    `INSERT OR IGNORE INTO activities (lead_id, type, asset, occurred_at, duration_sec, import_id, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const bumpLastActivity = db.prepare(
    'UPDATE leads SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)',
  );

  let seq =
    (db
      .prepare('SELECT coalesce(max(seq), 0) FROM import_journal WHERE import_id = ?')
      .pluck()
      .get(o.importId) as number) + 1;
  const journaled = new Set<number>();
  const created = new Set<number>();
  const lastActivity = new Map<number, number>();
  // Activity imports look up the same people again and again: cache identity -> lead id.
  const cache = o.mode === 'activities' ? new Map<string, number>() : null;
  // Activities queued in file order (mode 'activities'); `order` is the lead-ordered
  // permutation being inserted, `next` how far it got.
  const queue = emptyQueue();
  let order: Uint32Array | null = null;
  let next = 0;

  function findLead(lead: LeadDraft): { id: number | null; conflict: string | null; cached?: true } {
    // Activity logs: the common case is a person already seen in this file.
    if (cache && lead.keys.length === 0 && lead.emailNorm !== null) {
      const hit = cache.get(lead.emailNorm);
      if (hit !== undefined) return { id: hit, conflict: null, cached: true };
    }
    let id: number | null = null;
    for (const [name, value] of lead.keys) {
      const hit = cache?.get(`\u0000${name}\u0000${value}`) ?? (byKey.get(name, value) as number | undefined);
      if (hit !== undefined) {
        id = hit;
        break;
      }
    }
    if (lead.emailNorm !== null) {
      const hit = cache?.get(lead.emailNorm) ?? (byEmail.get(lead.emailNorm) as number | undefined);
      if (hit !== undefined && id !== null && hit !== id) {
        return {
          id,
          conflict: `The email ${lead.email ?? ''} already belongs to another lead than the one with this key.`,
        };
      }
      if (id === null && hit !== undefined) id = hit;
    }
    return { id, conflict: null };
  }

  function remember(lead: LeadDraft, id: number): void {
    if (!cache) return;
    // Keys are prefixed with NUL so they never collide with an email.
    for (const [name, value] of lead.keys) {
      const key = `\u0000${name}\u0000${value}`;
      if (!cache.has(key)) cache.set(detached(key), id);
    }
    if (lead.emailNorm !== null && !cache.has(lead.emailNorm)) cache.set(detached(lead.emailNorm), id);
  }

  function addKeys(leadId: number, lead: LeadDraft, journalIt: boolean): void {
    for (const [name, value] of lead.keys) {
      const r = insertKey.run(leadId, name, value);
      if (r.changes > 0 && journalIt) journal.run(o.importId, seq++, 'key', leadId, JSON.stringify([name, value]));
    }
  }

  const customTypes = o.customTypes ?? new Map<string, CustomFieldType>();
  const customSeen = new Set<string>();
  /** The draft's custom cells as stored (typed; no data dropped), noting the fields seen. */
  function storedCustom(lead: LeadDraft): Record<string, CustomValue> {
    for (const k in lead.custom) customSeen.add(k);
    return typedCustom(lead.custom, customTypes, o.dateOrder);
  }

  function create(lead: LeadDraft): number {
    const r = insertLead.run(
      randomUUID(),
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
  }

  /** Applies the draft to an existing lead; true when something changed. */
  function update(id: number, lead: LeadDraft): boolean {
    const before = getLead.get(id) as LeadRow;
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
    const keysBefore = seq;
    addKeys(id, lead, !created.has(id));
    if (seq !== keysBefore) {
      const key = draftLeadKey(o.leadKeyName, lead);
      if (key !== null) fillLeadKey.run(key, id);
    }
    if (!changed) return seq !== keysBefore;
    if (!created.has(id) && !journaled.has(id)) {
      const snapshot: Record<string, unknown> = {};
      for (const c of RESTORE_COLUMNS) snapshot[c] = before[c];
      journal.run(o.importId, seq++, 'update', id, JSON.stringify(snapshot));
      journaled.add(id);
    }
    updateLead.run(next.email, next.email_norm, ...FIELD_KEYS.map((k) => next[k]), next.custom, o.now, id);
    return true;
  }

  /** Inserts one activity unless stored already; true when inserted. */
  function addActivity(
    id: number,
    type: string,
    asset: string,
    at: number,
    duration: number | null,
    detail: string | null,
  ): boolean {
    const r = insertActivity.run(id, type, asset, at, duration, o.importId, detail);
    if (r.changes === 0) return false;
    const prev = lastActivity.get(id);
    if (prev === undefined || at > prev) lastActivity.set(id, at);
    return true;
  }

  return {
    writeRow(lead, activities) {
      const found = findLead(lead);
      if (found.conflict) return { kind: 'error', column: null, reason: found.conflict };
      let kind: 'inserted' | 'updated' | 'unchanged';
      let id = found.id;
      if (id === null) {
        if (o.mode === 'activities' && o.unknownLeads === 'reject') {
          return {
            kind: 'error',
            column: null,
            reason: 'No lead matches this row (email or key); import the leads first.',
          };
        }
        id = create(lead);
        kind = 'inserted';
      } else if (o.mode === 'upsert') {
        kind = update(id, lead) ? 'updated' : 'unchanged';
      } else {
        kind = 'unchanged';
      }
      if (!found.cached) remember(lead, id);
      let inserted = 0;
      for (const a of activities) {
        if (o.mode === 'activities') {
          if (order !== null) throw new Error('Flush the queued activities before writing more rows.');
          enqueue(queue, id, a);
        } else if (addActivity(id, a.type, a.asset, a.occurredAt, a.durationSec, a.detail)) {
          inserted++;
        }
      }
      return { kind, leadId: id, activitiesInserted: inserted, activitiesSeen: activities.length };
    },
    queuedActivities: () => queue.size - next,
    flushActivities(max) {
      const q = queue;
      if (order === null) {
        order = new Uint32Array(q.size);
        for (let i = 0; i < order.length; i++) order[i] = i;
        const leads = q.lead;
        order.sort((a, b) => (leads[a] as number) - (leads[b] as number) || a - b);
      }
      const end = Math.min(order.length, next + max);
      const leads: number[] = [];
      let inserted = 0;
      for (let i = next; i < end; i++) {
        const k = order[i] as number;
        const id = q.lead[k] as number;
        const duration = q.duration[k] as number;
        const added = addActivity(
          id,
          q.strings[q.type[k] as number] as string,
          q.strings[q.asset[k] as number] as string,
          q.at[k] as number,
          Number.isNaN(duration) ? null : duration,
          q.detail.get(k) ?? null,
        );
        if (added) {
          inserted++;
          leads.push(id);
        }
      }
      const seen = end - next;
      next = end;
      if (next >= order.length) {
        // The arrays keep their capacity for the next flush; the strings go.
        q.size = 0;
        q.detail = new Map();
        q.strings = [];
        q.stringIds = new Map();
        order = null;
        next = 0;
      }
      return { seen, inserted, leads };
    },
    customFields: () => customSeen,
    flushLastActivity() {
      // In id order: the updates walk the leads table and its last_activity_at index once.
      const ids = Float64Array.from(lastActivity.keys()).sort();
      for (const id of ids) {
        const t = lastActivity.get(id) as number;
        bumpLastActivity.run(t, id, t);
      }
      lastActivity.clear();
    },
  };
}

/**
 * Reverts an import: journaled lead changes restored (newest first), added keys removed,
 * its activities and the leads it created deleted, last_activity_at recomputed for the
 * leads that keep existing. Returns the ids of restored leads (to rescore). Synchronous;
 * wrap in a transaction.
 */
export function revertImport(
  db: Database.Database,
  importId: number,
): { restored: number[]; leadsDeleted: number; activitiesDeleted: number } {
  const touched = db
    .prepare('SELECT DISTINCT lead_id FROM activities WHERE import_id = ?')
    .pluck()
    .all(importId) as number[];
  const entries = db
    .prepare('SELECT action, lead_id, before FROM import_journal WHERE import_id = ? ORDER BY seq DESC')
    .all(importId) as { action: string; lead_id: number; before: string }[];
  const restore = db.prepare(
    `UPDATE leads SET ${RESTORE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
  );
  const dropKey = db.prepare('DELETE FROM lead_keys WHERE lead_id = ? AND key_name = ? AND key_value = ?');
  const dropLeadKey = db.prepare('UPDATE leads SET lead_key = NULL WHERE id = ? AND lead_key = ?');
  // The outcomes' stage moves first: they were the import's last writes.
  const restored = new Set<number>(revertOutcomeStages(db, importId));
  for (const e of entries) {
    if (e.action === 'update') {
      restore.run({ ...(JSON.parse(e.before) as Record<string, unknown>), id: e.lead_id });
      restored.add(e.lead_id);
    } else if (e.action === 'key') {
      const [name, value] = JSON.parse(e.before) as [string, string];
      dropKey.run(e.lead_id, name, value);
      dropLeadKey.run(e.lead_id, value);
    }
  }
  const activitiesDeleted = db.prepare('DELETE FROM activities WHERE import_id = ?').run(importId).changes;
  const leadsDeleted = db.prepare('DELETE FROM leads WHERE import_id = ?').run(importId).changes;
  db.prepare('DELETE FROM import_journal WHERE import_id = ?').run(importId);
  const recompute = db.prepare(
    'UPDATE leads SET last_activity_at = (SELECT max(occurred_at) FROM activities WHERE lead_id = leads.id) WHERE id = ?',
  );
  for (const id of touched) {
    recompute.run(id);
    restored.add(id);
  }
  const exists = db.prepare('SELECT 1 FROM leads WHERE id = ?').pluck();
  return {
    restored: [...restored].filter((id) => exists.get(id) !== undefined),
    leadsDeleted,
    activitiesDeleted,
  };
}
