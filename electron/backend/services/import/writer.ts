/**
 * The database side of an import, one file row at a time: find the row's lead
 * (lead-identity.ts), insert or update it with its changes journaled (lead-upsert.ts), and add
 * its activities de-duplicated on (lead, type, asset, time), so the import can be undone (or
 * rolled back when it fails or is cancelled) as one step (`revertImport` below).
 *
 * Leads and activities an import creates carry its import_id; changes to leads that existed
 * before are journaled with their previous values.
 *
 * Activity logs (mode 'activities') queue their activities (activity-queue.ts) and insert
 * them in lead order when the caller flushes: an activity log lists people in no particular
 * order, so inserting row by row lands every row on a random page of both activity indexes
 * (lead, type, asset, time) and (lead, time); sorted, each flush sweeps the indexes once (1M
 * rows: about half the SQLite time). The sort is stable, so one person's activities keep
 * their file order (and get ids in that order): the first of two identical rows still wins,
 * and ties in time still break by file order. Across people, ids follow lead order within a
 * flush; nothing orders different people's activities by id.
 */
import type Database from 'better-sqlite3';
import type { ActivityDraft, DateOrder, LeadDraft } from '../../../../shared/mapping';
import type { CustomFieldType } from '../../../../shared/custom-fields';
import { revertOutcomeStages } from '../outcomes/record';
import { forgetUnusedKeyNames, leadKeyStore } from '../leads/lead-keys';
import { createActivityQueue, type ActivityFields } from './activity-queue';
import { createLeadIdentity, LoadEmails } from './lead-identity';
import { createLeadUpsert, RESTORE_COLUMNS } from './lead-upsert';
import type { InPassScoring } from './score-in-pass';

export type RowOutcome =
  | Readonly<{
      kind: 'inserted' | 'updated' | 'unchanged';
      leadId: number;
      /** Inserted now (leads and event lists); queued activities are counted by flushActivities. */
      activitiesInserted: number;
      activitiesSeen: number;
      /** A new lead scored as it was inserted (score-in-pass.ts): the rescore after the import need not. */
      scoredInPass: boolean;
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
  /**
   * The leads table's UNIQUE email index is gone until the end of a bulk load into an empty
   * table (leads/bulk-load.ts): from now on, leads are matched by email in memory. Call before
   * the first lead is written.
   */
  matchEmailsInMemory: () => void;
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
  /** Scores new leads as they are inserted (score-in-pass.ts); absent, the rescore after the import scores them. */
  inPass?: InPassScoring | null;
}>;

type ActivityInsert = Readonly<{
  /** Inserts one activity unless stored already; true when inserted. */
  add: (...activity: ActivityFields) => boolean;
  /** Raises each touched lead's last_activity_at to its newest added activity. */
  flushLastActivity: () => void;
}>;

/**
 * The next id of `table` (SQL): the floor an import records when it starts (migration 0700),
 * the lowest id a row it creates there can get.
 */
export const NEXT_ID_SQL = (table: 'leads' | 'activities') => `(SELECT coalesce(max(id), 0) + 1 FROM ${table})`;

type IdFloorColumn = 'lead_ids_from' | 'activity_ids_from';

/**
 * Keeps the import's floor of `column` at or below every id it creates: lowered (rarely) when
 * rows above the floor were deleted meanwhile, so ids below it were given out again.
 */
function idFloorKeeper(db: Database.Database, importId: number, column: IdFloorColumn): (id: number) => void {
  let floor = db.prepare(`SELECT ${column} FROM imports WHERE id = ?`).pluck().get(importId) as number | null;
  const lower = db.prepare(`UPDATE imports SET ${column} = ? WHERE id = ?`);
  return (id) => {
    if (floor === null || id >= floor) return;
    floor = id;
    lower.run(id, importId);
  };
}

function createActivityInsert(db: Database.Database, importId: number): ActivityInsert {
  const insertActivity = db.prepare(
    `INSERT OR IGNORE INTO activities (lead_id, type, asset, occurred_at, duration_sec, import_id, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const bumpLastActivity = db.prepare(
    'UPDATE leads SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)',
  );
  const lastActivity = new Map<number, number>();
  const noteId = idFloorKeeper(db, importId, 'activity_ids_from');
  return {
    add(leadId, type, asset, at, duration, detail) {
      const r = insertActivity.run(leadId, type, asset, at, duration, importId, detail);
      if (r.changes === 0) return false;
      noteId(Number(r.lastInsertRowid));
      const prev = lastActivity.get(leadId);
      if (prev === undefined || at > prev) lastActivity.set(leadId, at);
      return true;
    },
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

export function createWriter(db: Database.Database, o: WriterOptions): Writer {
  const activityLog = o.mode === 'activities';
  const identity = createLeadIdentity(db, { cache: activityLog });
  const leads = createLeadUpsert(db, {
    importId: o.importId,
    update: o.update,
    now: o.now,
    leadKeyName: o.leadKeyName,
    customTypes: o.customTypes ?? new Map<string, CustomFieldType>(),
    dateOrder: o.dateOrder,
  });
  const activities = createActivityInsert(db, o.importId);
  const queue = createActivityQueue();
  const noteLeadId = idFloorKeeper(db, o.importId, 'lead_ids_from');

  return {
    writeRow(lead, rowActivities) {
      const found = identity.find(lead);
      if (found.conflict) return { kind: 'error', column: null, reason: found.conflict };
      let kind: 'inserted' | 'updated' | 'unchanged';
      let id = found.id;
      let scoredInPass = false;
      if (id === null) {
        if (activityLog && o.unknownLeads === 'reject') {
          return {
            kind: 'error',
            column: null,
            reason: 'No lead matches this row (email or key); import the leads first.',
          };
        }
        // A row with activities is scored with them, by the rescore after the import.
        ({ id, scored: scoredInPass } = leads.create(lead, rowActivities.length === 0 ? (o.inPass ?? null) : null));
        noteLeadId(id);
        kind = 'inserted';
      } else if (!activityLog) {
        kind = leads.update(id, lead) ? 'updated' : 'unchanged';
      } else {
        kind = 'unchanged';
      }
      if (!found.cached) identity.remember(lead, id);
      let inserted = 0;
      for (const a of rowActivities) {
        if (activityLog) queue.add(id, a);
        else if (activities.add(id, a.type, a.asset, a.occurredAt, a.durationSec, a.detail)) inserted++;
      }
      // A lead this import scored as it created it, changed by a later row: the rescore scores it.
      if (kind !== 'inserted' && (kind === 'updated' || inserted > 0)) o.inPass?.unscore(id);
      return { kind, leadId: id, activitiesInserted: inserted, activitiesSeen: rowActivities.length, scoredInPass };
    },
    queuedActivities: () => queue.pending(),
    flushActivities(max) {
      const touched: number[] = [];
      let inserted = 0;
      const seen = queue.drain(max, (leadId, type, asset, at, duration, detail) => {
        if (activities.add(leadId, type, asset, at, duration, detail)) {
          inserted++;
          touched.push(leadId);
        }
      });
      return { seen, inserted, leads: touched };
    },
    customFields: () => leads.customFields(),
    flushLastActivity: () => activities.flushLastActivity(),
    matchEmailsInMemory() {
      const emails = new LoadEmails(db);
      identity.matchEmailsIn(emails);
      leads.noteEmailsIn(emails);
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
  // From the import's first rows on (migration 0700), not through whole tables; before it: all.
  const floors = db.prepare('SELECT lead_ids_from, activity_ids_from FROM imports WHERE id = ?').get(importId) as
    { lead_ids_from: number | null; activity_ids_from: number | null } | undefined;
  const leadsFrom = floors?.lead_ids_from ?? Number.MIN_SAFE_INTEGER;
  const activitiesFrom = floors?.activity_ids_from ?? Number.MIN_SAFE_INTEGER;
  const touched = db
    .prepare('SELECT DISTINCT lead_id FROM activities WHERE id >= ? AND import_id = ?')
    .pluck()
    .all(activitiesFrom, importId) as number[];
  const entries = db
    .prepare('SELECT action, lead_id, before FROM import_journal WHERE import_id = ? ORDER BY seq DESC')
    .all(importId) as { action: string; lead_id: number; before: string }[];
  const restore = db.prepare(
    `UPDATE leads SET ${RESTORE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
  );
  const keys = leadKeyStore(db);
  const dropLeadKey = db.prepare('UPDATE leads SET lead_key = NULL WHERE id = ? AND lead_key = ?');
  // The outcomes' stage moves first: they were the import's last writes.
  const restored = new Set<number>(revertOutcomeStages(db, importId));
  for (const e of entries) {
    if (e.action === 'update') {
      restore.run({ ...(JSON.parse(e.before) as Record<string, unknown>), id: e.lead_id });
      restored.add(e.lead_id);
    } else if (e.action === 'key') {
      const [name, value] = JSON.parse(e.before) as [string, string];
      keys.drop(e.lead_id, name, value);
      dropLeadKey.run(e.lead_id, value);
    }
  }
  const activitiesDeleted = db
    .prepare('DELETE FROM activities WHERE id >= ? AND import_id = ?')
    .run(activitiesFrom, importId).changes;
  const leadsDeleted = db.prepare('DELETE FROM leads WHERE id >= ? AND import_id = ?').run(leadsFrom, importId).changes;
  forgetUnusedKeyNames(db);
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
