/**
 * Loading leads for export, a batch of ids at a time (in the order given), with what the
 * columns need beyond the leads row: the owner, the stage label, the primary model's
 * ledger as readable text. Batches keep memory flat whatever the export's size, and each
 * batch is one indexed query, so a million leads load in a few hundred queries.
 */
import type Database from 'better-sqlite3';
import { DEFAULT_STAGES } from '../../../../shared/domain';
import { renderLedger, type LedgerEntry } from '../../../../shared/scoring';

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

export function createLeadLoader(db: Database.Database, options: { ledger: boolean }): LeadLoader {
  const labels = stageLabels(db);
  const select = db.prepare(
    `SELECT leads.*, o.name AS x_owner_name, o.email AS x_owner_email
     FROM leads LEFT JOIN owners o ON o.id = leads.owner_id
     WHERE leads.id IN (SELECT value FROM json_each(?))`,
  );
  const primary = options.ledger
    ? (db.prepare('SELECT id FROM models WHERE is_primary = 1 ORDER BY id LIMIT 1').pluck().get() as number | undefined)
    : undefined;
  const ledgers =
    primary !== undefined
      ? db.prepare(
          `SELECT lead_id, total, fit, engagement, grade, segment, is_mql, suppressed_reason, ledger
           FROM lead_scores WHERE model_id = ? AND lead_id IN (SELECT value FROM json_each(?))`,
        )
      : null;

  return {
    stageLabel: (key) => labels.get(key) ?? key,
    load: (ids) => {
      const json = JSON.stringify(ids);
      const rows = select.all(json) as Record<string, unknown>[];
      const byId = new Map<number, Record<string, unknown>>();
      for (const r of rows) byId.set(r.id as number, r);
      const ledgerText = new Map<number, string>();
      if (ledgers) {
        for (const s of ledgers.all(primary, json) as {
          lead_id: number;
          total: number;
          fit: number;
          engagement: number;
          grade: string;
          segment: string;
          is_mql: number;
          suppressed_reason: string | null;
          ledger: string;
        }[]) {
          ledgerText.set(
            s.lead_id,
            renderLedger({
              total: s.total,
              fit: s.fit,
              engagement: s.engagement,
              grade: s.grade,
              segment: s.segment,
              isMql: s.is_mql === 1,
              suppressedReason: s.suppressed_reason,
              ledger: parseJson<LedgerEntry[]>(s.ledger, []),
            }),
          );
        }
      }
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
          custom: parseJson<Record<string, unknown>>(r.custom, {}),
          tags: parseJson<string[]>(r.tags, []),
          ledger: ledgerText.get(id) ?? null,
        });
      }
      return out;
    },
  };
}
