/**
 * Saved mappings: a mapping plus its settings, stored under a name with the header
 * signature of the file it was made for, and offered again for files with the same headers.
 */
import type Database from 'better-sqlite3';
import type { MappingSettings, SavedMapping } from '../../../../shared/contract';
import { mappingSettingsSchema } from '../../../../shared/contract/import';
import { headerSignature, normalizeHeaders, type ImportKind } from '../../../../shared/mapping';

type Row = { id: number; name: string; header_signature: string; kind: string; mapping: string; updated_at: number };

function toSaved(r: Row): SavedMapping {
  const parsed = mappingSettingsSchema.safeParse(JSON.parse(r.mapping));
  const settings: MappingSettings = parsed.success ? parsed.data : { kind: r.kind as ImportKind };
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as ImportKind,
    headerSignature: r.header_signature,
    settings,
    updatedAt: r.updated_at,
  };
}

export function listMappings(db: Database.Database, signature?: string): SavedMapping[] {
  const rows = signature
    ? (db
        .prepare('SELECT * FROM saved_mappings WHERE header_signature = ? ORDER BY updated_at DESC, id DESC')
        .all(signature) as Row[])
    : (db.prepare('SELECT * FROM saved_mappings ORDER BY name').all() as Row[]);
  return rows.map(toSaved);
}

/** The most recently saved mapping for this header signature, if any. */
export function findSavedMapping(db: Database.Database, signature: string): SavedMapping | null {
  return listMappings(db, signature)[0] ?? null;
}

export function findMappingByName(db: Database.Database, name: string): SavedMapping | null {
  const r = db.prepare('SELECT * FROM saved_mappings WHERE name = ?').get(name) as Row | undefined;
  return r ? toSaved(r) : null;
}

/** Saves (or replaces, by name) a mapping for files with these headers. */
export function saveMapping(
  db: Database.Database,
  name: string,
  headers: readonly string[],
  settings: MappingSettings,
  now: number,
): SavedMapping {
  const signature = headerSignature(normalizeHeaders(headers));
  db.prepare(
    `INSERT INTO saved_mappings (name, header_signature, kind, mapping, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET header_signature = excluded.header_signature, kind = excluded.kind,
       mapping = excluded.mapping, updated_at = excluded.updated_at`,
  ).run(name, signature, settings.kind, JSON.stringify(settings), now);
  const saved = findMappingByName(db, name);
  if (!saved) throw new Error('saved mapping vanished');
  return saved;
}
