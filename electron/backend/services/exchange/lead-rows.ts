/**
 * Loading leads for export, a batch of ids at a time (in the order given), with what the
 * columns need beyond the leads row: the owner, the stage label, the primary model's
 * ledger as readable text. Batches keep memory flat whatever the export's size, and each
 * batch is one indexed query, so a million leads load in a few hundred queries.
 */
import type Database from 'better-sqlite3';
import { DEFAULT_STAGES } from '../../../../shared/domain';
import { ledgerTexts } from '../scoring/explain';
import { customSlots, decodeCustom } from '../leads/custom-store';
import { allLeadColumnsSelectList, leadSelectList } from '../leads/lead-uid-sql';

export type LoadedLead = Readonly<{
  id: number;
  uid: string;
  /** The leads row as stored (every column of the table). */
  row: Readonly<Record<string, unknown>>;
  ownerName: string | null;
  ownerEmail: string | null;
  custom: Readonly<Record<string, unknown>>;
  tags: readonly string[];
  /** The primary score's ledger in words; null when not asked for or not scored. */
  ledger: string | null;
}>;

export type LeadLoader = Readonly<{
  load: (ids: readonly number[]) => LoadedLead[];
  stageLabel: (key: string) => string;
}>;

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Stage key -> label, from the workspace's stage configuration. */
export function stageLabels(db: Database.Database): Map<string, string> {
  const map = new Map<string, string>(DEFAULT_STAGES.map((s) => [s.key, s.label]));
  if (tableExists(db, 'stage_config')) {
    for (const r of db.prepare('SELECT key, label FROM stage_config ORDER BY position').all() as {
      key: string;
      label: string;
    }[]) {
      map.set(r.key, r.label);
    }
  }
  return map;
}

/** Columns of `leads` an export of these column keys reads (every row object costs per key). */
export function leadFieldsFor(db: Database.Database, keys: readonly string[]): string[] {
  const physical = new Set((db.prepare('PRAGMA table_info(leads)').all() as { name: string }[]).map((c) => c.name));
  const wanted = new Set(['id', 'uid', 'stage', 'owner_id', 'updated_at']);
  for (const k of keys) {
    if (k.startsWith('custom.')) wanted.add('custom');
    else if (k === 'name') wanted.add('first_name').add('last_name');
    else if (k === 'suppressed_reason') wanted.add('suppressed_reason').add('manual_suppression');
    else wanted.add(k);
  }
  return [...wanted].filter((c) => physical.has(c));
}

export function createLeadLoader(
  db: Database.Database,
  options: { ledger: boolean; fields?: readonly string[] | undefined },
): LeadLoader {
  const labels = stageLabels(db);
  const fields = options.fields ? leadSelectList(options.fields, 'leads') : allLeadColumnsSelectList(db, 'leads');
  const select = db.prepare(
    // CROSS JOIN pins the join order: walk the batch's ids, look each lead up by key.
    `SELECT ${fields}, o.name AS x_owner_name, o.email AS x_owner_email
     FROM json_each(?) j CROSS JOIN leads ON leads.id = j.value LEFT JOIN owners o ON o.id = leads.owner_id`,
  );
  const primary = options.ledger
    ? (db.prepare('SELECT id FROM models WHERE is_primary = 1 ORDER BY id LIMIT 1').pluck().get() as number | undefined)
    : undefined;
  const withLedgers = primary !== undefined;
  return {
    stageLabel: (key) => labels.get(key) ?? key,
    load: (ids) => {
      const json = JSON.stringify(ids);
      const rows = select.all(json) as Record<string, unknown>[];
      const slots = customSlots(db);
      const byId = new Map<number, Record<string, unknown>>();
      for (const r of rows) byId.set(r.id as number, r);
      // Stored ledgers are compact; the scoring service turns them into words.
      const ledgerText = withLedgers ? ledgerTexts(db, ids, primary) : new Map<number, string>();
      const out: LoadedLead[] = [];
      for (const id of ids) {
        const r = byId.get(id);
        if (!r) continue; // deleted while the export ran
        out.push({
          id,
          uid: r.uid as string,
          row: r,
          ownerName: (r.x_owner_name as string | null) ?? null,
          ownerEmail: (r.x_owner_email as string | null) ?? null,
          custom: decodeCustom(slots, r.custom as string | undefined),
          tags: r.tags === undefined || r.tags === '[]' ? [] : parseJson<string[]>(r.tags, []),
          ledger: ledgerText.get(id) ?? null,
        });
      }
      return out;
    },
  };
}
