/**
 * Reading what scoring needs from the workspace: leads as the scoring module's Lead, their
 * activities in time order, manual adjustments, and which stages are closed (frozen scores).
 */
import type Database from 'better-sqlite3';
import { CLOSED_STAGE_KEYS, LEAD_FIELD_KEYS, type Activity, type Lead } from '../../../../shared/domain';
import type { ScoreAdjustment } from '../../../../shared/scoring';
import { stmt } from '../../db/statements';
import { customSlots, decodeCustom, type CustomSlots } from '../leads/custom-store';
import { leadSelectList } from '../leads/lead-uid-sql';

/** Every column of a Lead (shared/domain.ts), as a SELECT list. */
export const LEAD_COLUMNS = [
  'id',
  'uid',
  ...LEAD_FIELD_KEYS,
  'custom',
  'stage',
  'owner_id',
  'tags',
  'manual_suppression',
  'created_at',
  'updated_at',
  'lead_key',
].join(', ');

export const ACTIVITY_COLUMNS = 'id, lead_id, type, asset, occurred_at, duration_sec';

type LeadRow = Omit<Lead, 'custom' | 'tags'> & { custom: string; tags: string };

const NO_TAGS: readonly string[] = Object.freeze([]);

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A leads row (all or some columns) as the scoring module's Lead; absent columns read as blank. */
export function rowToLead(r: Partial<LeadRow> & { id: number }, slots: CustomSlots): Lead {
  return {
    id: r.id,
    uid: r.uid ?? '',
    email: r.email ?? null,
    first_name: r.first_name ?? null,
    last_name: r.last_name ?? null,
    company: r.company ?? null,
    title: r.title ?? null,
    phone: r.phone ?? null,
    industry: r.industry ?? null,
    company_size: r.company_size ?? null,
    country: r.country ?? null,
    city: r.city ?? null,
    website: r.website ?? null,
    source: r.source ?? null,
    campaign: r.campaign ?? null,
    custom: decodeCustom(slots, r.custom),
    stage: r.stage ?? 'new',
    owner_id: r.owner_id ?? null,
    tags: r.tags === undefined || r.tags === '[]' || !r.tags ? NO_TAGS : parseJson(r.tags, NO_TAGS),
    manual_suppression: r.manual_suppression ?? null,
    created_at: r.created_at ?? 0,
    updated_at: r.updated_at ?? 0,
    lead_key: r.lead_key ?? null,
  };
}

const ALL_COLUMNS = new Set(LEAD_COLUMNS.split(', '));

/** The SELECT column list for the union of the fields some models read. */
export function leadColumnsFor(fields: Iterable<string>): string {
  const cols = new Set<string>(['id', 'uid', 'stage', 'manual_suppression', 'created_at', 'email']);
  for (const f of fields) if (ALL_COLUMNS.has(f)) cols.add(f);
  return [...cols].join(', ');
}

type LeadTuple = (string | number | null)[];

type LeadReader = (r: LeadTuple, slots: CustomSlots) => Lead;

function tupleReader(columns: string): LeadReader {
  const names = columns.split(',').map((c) => c.trim());
  const at = (name: string): number => names.indexOf(name);
  const ix = Object.fromEntries([...ALL_COLUMNS].map((c) => [c, at(c)])) as Record<string, number>;
  const get = (r: LeadTuple, i: number | undefined): string | number | null =>
    i === undefined || i < 0 ? null : (r[i] ?? null);
  const custom = ix.custom!;
  const tags = ix.tags!;
  return (r, slots) => {
    const c = custom >= 0 ? (r[custom] as string | null) : null;
    const t = tags >= 0 ? (r[tags] as string | null) : null;
    return {
      id: r[ix.id!] as number,
      uid: (get(r, ix.uid) as string | null) ?? '',
      email: get(r, ix.email) as string | null,
      first_name: get(r, ix.first_name) as string | null,
      last_name: get(r, ix.last_name) as string | null,
      company: get(r, ix.company) as string | null,
      title: get(r, ix.title) as string | null,
      phone: get(r, ix.phone) as string | null,
      industry: get(r, ix.industry) as string | null,
      company_size: get(r, ix.company_size) as number | null,
      country: get(r, ix.country) as string | null,
      city: get(r, ix.city) as string | null,
      website: get(r, ix.website) as string | null,
      source: get(r, ix.source) as string | null,
      campaign: get(r, ix.campaign) as string | null,
      custom: decodeCustom(slots, c),
      stage: (get(r, ix.stage) as string | null) ?? 'new',
      owner_id: get(r, ix.owner_id) as number | null,
      tags: t === null || t === '[]' || t === '' ? NO_TAGS : parseJson(t, NO_TAGS),
      manual_suppression: get(r, ix.manual_suppression) as string | null,
      created_at: (get(r, ix.created_at) as number | null) ?? 0,
      updated_at: (get(r, ix.updated_at) as number | null) ?? 0,
      lead_key: get(r, ix.lead_key) as string | null,
    };
  };
}

const readers = new Map<string, LeadReader>();

/** A column list as SQL, the uid read as text (lead-uid-sql.ts). */
function selectSql(columns: string): string {
  return leadSelectList(columns.split(',').map((c) => c.trim()));
}

function readerFor(columns: string): LeadReader {
  let read = readers.get(columns);
  if (!read) {
    read = tupleReader(columns);
    readers.set(columns, read);
  }
  return read;
}

/**
 * The leads with ids in [fromId, toId], in id order; only `columns` are read (see
 * leadColumnsFor). Raw rows, turned into Leads here: the cheapest way through the driver.
 */
export function leadsInRange(db: Database.Database, fromId: number, toId: number, columns = LEAD_COLUMNS): Lead[] {
  const read = readerFor(columns);
  const rows = stmt(db, `SELECT ${selectSql(columns)} FROM leads WHERE id BETWEEN ? AND ? ORDER BY id`)
    .raw(true)
    .all(fromId, toId) as LeadTuple[];
  const slots = customSlots(db);
  const out = new Array<Lead>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = read(rows[i]!, slots);
  return out;
}

/** The given leads (missing ids are skipped), in id order; only `columns` are read (see leadColumnsFor). */
export function leadsByIds(db: Database.Database, ids: readonly number[], columns = LEAD_COLUMNS): Lead[] {
  const rows = stmt(
    db,
    `SELECT ${selectSql(columns)} FROM leads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  )
    .raw(true)
    .all(JSON.stringify(ids)) as LeadTuple[];
  const read = readerFor(columns);
  const slots = customSlots(db);
  return rows.map((r) => read(r, slots));
}

type ActivityTuple = [number, number, string, string, number, number | null];

/**
 * Groups activity rows (sorted by lead, then time) by lead id. Rows are read in raw
 * (array) mode and turned into objects here: measurably cheaper than letting the driver
 * build keyed objects, and this is the hottest read of a full rescore.
 */
function groupByLead(rows: readonly ActivityTuple[]): Map<number, Activity[]> {
  const out = new Map<number, Activity[]>();
  let current: Activity[] = [];
  let currentId = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r[1] !== currentId) {
      currentId = r[1];
      const existing = out.get(currentId);
      if (existing) current = existing;
      else {
        current = [];
        out.set(currentId, current);
      }
    }
    current.push({
      id: r[0],
      lead_id: r[1],
      type: r[2] as Activity['type'],
      asset: r[3],
      occurred_at: r[4],
      duration_sec: r[5],
    });
  }
  return out;
}

/**
 * Activities of leads with ids in [fromId, toId], sorted by lead then time, in one flat
 * array; the activities of the leads in `skip` (frozen leads, whose score is kept) are left
 * out, so their rows are never fetched nor turned into objects. Both queries walk the
 * (lead_id, occurred_at) index in order: no sort.
 */
export function activitiesInRangeFlat(
  db: Database.Database,
  fromId: number,
  toId: number,
  skip: readonly number[] = [],
): Activity[] {
  const range = `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE lead_id BETWEEN ? AND ?`;
  const order = 'ORDER BY lead_id, occurred_at, id';
  const rows = (
    skip.length === 0
      ? stmt(db, `${range} ${order}`).raw(true).all(fromId, toId)
      : stmt(db, `${range} AND lead_id NOT IN (SELECT value FROM json_each(?)) ${order}`)
          .raw(true)
          .all(fromId, toId, JSON.stringify(skip))
  ) as ActivityTuple[];
  return activityObjects(rows);
}

/**
 * Activities of the given leads only (ids ascending), sorted by lead then time: for leads
 * spread thinly over a long id range (a held-out share), where reading the range would
 * fetch mostly other leads' rows.
 */
export function activitiesOfLeadsFlat(db: Database.Database, ids: readonly number[]): Activity[] {
  const rows = stmt(
    db,
    `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE lead_id IN (SELECT value FROM json_each(?))
      ORDER BY lead_id, occurred_at, id`,
  )
    .raw(true)
    .all(JSON.stringify(ids)) as ActivityTuple[];
  return activityObjects(rows);
}

function activityObjects(rows: readonly ActivityTuple[]): Activity[] {
  const out = new Array<Activity>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out[i] = {
      id: r[0],
      lead_id: r[1],
      type: r[2] as Activity['type'],
      asset: r[3],
      occurred_at: r[4],
      duration_sec: r[5],
    };
  }
  return out;
}

/**
 * Walks a flat, lead-sorted activity array alongside leads visited in increasing id order:
 * `next(leadId)` returns that lead's activities.
 */
export function activityCursor(flat: readonly Activity[]): (leadId: number) => readonly Activity[] {
  let at = 0;
  return (leadId) => {
    while (at < flat.length && flat[at]!.lead_id < leadId) at++;
    const start = at;
    while (at < flat.length && flat[at]!.lead_id === leadId) at++;
    return start === at ? NO_ACTIVITIES : flat.slice(start, at);
  };
}

const NO_ACTIVITIES: readonly Activity[] = Object.freeze([]);

/** Activities of the given leads, grouped by lead, each in time order. */
export function activitiesOfLeads(db: Database.Database, ids: readonly number[]): Map<number, Activity[]> {
  const rows = stmt(
    db,
    `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY lead_id, occurred_at, id`,
  )
    .raw(true)
    .all(JSON.stringify(ids)) as ActivityTuple[];
  return groupByLead(rows);
}

type AdjustmentRow = {
  id: number;
  lead_id: number;
  points: number;
  reason: string;
  actor: string | null;
  created_at: number;
};

function groupAdjustments(rows: readonly AdjustmentRow[]): Map<number, ScoreAdjustment[]> {
  const out = new Map<number, ScoreAdjustment[]>();
  for (const r of rows) {
    const list = out.get(r.lead_id) ?? [];
    list.push({ id: r.id, points: r.points, reason: r.reason, at: r.created_at, by: r.actor });
    out.set(r.lead_id, list);
  }
  return out;
}

/** Manual adjustments of leads with ids in [fromId, toId], by lead, oldest first. */
export function adjustmentsInRange(
  db: Database.Database,
  fromId: number,
  toId: number,
): Map<number, ScoreAdjustment[]> {
  return groupAdjustments(
    stmt(
      db,
      'SELECT id, lead_id, points, reason, actor, created_at FROM score_adjustments WHERE lead_id BETWEEN ? AND ? ORDER BY lead_id, created_at, id',
    ).all(fromId, toId) as AdjustmentRow[],
  );
}

/** Manual adjustments of the given leads, by lead, oldest first. */
export function adjustmentsOfLeads(db: Database.Database, ids: readonly number[]): Map<number, ScoreAdjustment[]> {
  return groupAdjustments(
    stmt(
      db,
      'SELECT id, lead_id, points, reason, actor, created_at FROM score_adjustments WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY lead_id, created_at, id',
    ).all(JSON.stringify(ids)) as AdjustmentRow[],
  );
}

/**
 * Stages whose leads keep their score (won, lost, disqualified by default). The follow-up
 * stage configuration, when present, can mark other stages closed.
 */
export function closedStages(db: Database.Database): ReadonlySet<string> {
  const hasConfig = stmt(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'stage_config'").get();
  if (!hasConfig) return new Set(CLOSED_STAGE_KEYS);
  const rows = db.prepare('SELECT key FROM stage_config WHERE closed = 1').all() as { key: string }[];
  return new Set(rows.length ? rows.map((r) => r.key) : CLOSED_STAGE_KEYS);
}
