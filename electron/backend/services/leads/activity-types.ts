/**
 * The activity types of a workspace (table activity_types, migration 0410): the ten built-in
 * ones, then the workspace types files brought in their own words ("ws:SMS Sent"), each with
 * how many activities it has (kept by triggers). The import wizard offers them as targets to
 * map a file's values onto, the model editor as types an engagement rule can count, and
 * Scoring > Activity types (and `leadbench activity-types`) renames and merges them.
 *
 * A type's key is what activities and rules store and never changes: a rename sets its label
 * only. A merge moves the activities to the other type and points the rules at it; the merged
 * key stays as an alias, so a later file with the old word lands on the type it went into.
 */
import type Database from 'better-sqlite3';
import type { ActivityTypeInfo, ActivityTypeMerge } from '../../../../shared/contract/leads';
import {
  ACTIVITY_TYPES,
  WORKSPACE_TYPE_PREFIX,
  activityTypeLabel,
  workspaceActivityType,
  type Activity,
  type ActivityTypeKey,
  type ActivityTypeLabels,
} from '../../../../shared/domain';
import { retargetActivityType, type RetargetedRule } from '../../../../shared/scoring/retarget';
import { AppError } from '../../errors';
import { markRescorePending } from '../scoring/pending';
import { publishVersion, requireValidModel } from '../scoring/models';

type TypeRow = { key: string; label: string | null; activities: number; merged_into: string | null };

function typeRows(db: Database.Database): TypeRow[] {
  return db.prepare('SELECT key, label, activities, merged_into FROM activity_types').all() as TypeRow[];
}

const isBuiltIn = (key: string): boolean => !key.startsWith(WORKSPACE_TYPE_PREFIX);

function info(
  row: Pick<TypeRow, 'key' | 'label' | 'activities'>,
  aliases: readonly ActivityTypeKey[] = [],
): ActivityTypeInfo {
  return {
    type: row.key as ActivityTypeKey,
    label: row.label ?? activityTypeLabel(row.key),
    builtIn: isBuiltIn(row.key),
    activities: row.activities,
    aliases,
  };
}

/** The built-in types, then the workspace's own (merged ones left out), by label. */
export function listActivityTypes(db: Database.Database): ActivityTypeInfo[] {
  const all = typeRows(db);
  const rows = new Map(all.map((r) => [r.key, r]));
  const aliasesOf = new Map<string, ActivityTypeKey[]>();
  for (const [alias, target] of Object.entries(aliasesOfRows(all))) {
    aliasesOf.set(target, [...(aliasesOf.get(target) ?? []), alias as ActivityTypeKey]);
  }
  const infoOf = (row: Pick<TypeRow, 'key' | 'label' | 'activities'>) => info(row, aliasesOf.get(row.key));
  const builtIn = ACTIVITY_TYPES.map((key) => infoOf(rows.get(key) ?? { key, label: null, activities: 0 }));
  const workspace = [...rows.values()]
    .filter((r) => !isBuiltIn(r.key) && r.merged_into === null)
    .map(infoOf)
    .sort((a, b) => a.label.localeCompare(b.label));
  return [...builtIn, ...workspace];
}

/** One type as the list shows it (its count and aliases as they are now). */
function listedType(db: Database.Database, key: string): ActivityTypeInfo {
  const found = listActivityTypes(db).find((t) => t.type === key);
  if (!found) throw new AppError('NOT_FOUND', `This workspace has no activity type '${activityTypeLabel(key)}'.`);
  return found;
}

/** The labels of renamed types, by key: what activityTypeLabel is given to show them. */
export function activityTypeLabels(db: Database.Database): ActivityTypeLabels {
  const rows = db.prepare('SELECT key, label FROM activity_types WHERE label IS NOT NULL').all() as {
    key: string;
    label: string;
  }[];
  return new Map(rows.map((r) => [r.key, r.label]));
}

/** The activities with their renamed types' labels, for explanations in words (describeActivity). */
export function withTypeLabels(labels: ActivityTypeLabels, list: readonly Activity[]): readonly Activity[] {
  if (labels.size === 0) return list;
  return list.map((a) => {
    const label = labels.get(a.type);
    return label === undefined ? a : { ...a, label };
  });
}

/**
 * Where an import's workspace type really lands: a merged type's final target, and a renamed
 * type for its new name ("Text message" after "SMS Sent" was renamed so). Keys not listed
 * land as they are.
 */
export function activityTypeAliases(db: Database.Database): Record<string, ActivityTypeKey> {
  return aliasesOfRows(typeRows(db));
}

/** activityTypeAliases over the type rows already read. */
function aliasesOfRows(rows: readonly TypeRow[]): Record<string, ActivityTypeKey> {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const out: Record<string, ActivityTypeKey> = {};
  for (const r of rows) {
    let target = r;
    for (let hops = 0; target.merged_into !== null && hops < rows.length; hops++) {
      target = byKey.get(target.merged_into) ?? target;
    }
    if (target !== r) out[r.key] = target.key as ActivityTypeKey;
    if (r.label !== null && !isBuiltIn(r.key)) {
      const byName = workspaceActivityType(r.label);
      if (!byKey.has(byName)) out[byName] = target.key as ActivityTypeKey;
    }
  }
  return out;
}

function typeRow(db: Database.Database, key: string): TypeRow | null {
  const row = db.prepare('SELECT key, label, activities, merged_into FROM activity_types WHERE key = ?').get(key) as
    TypeRow | undefined;
  if (row) return row;
  return (ACTIVITY_TYPES as readonly string[]).includes(key)
    ? { key, label: null, activities: 0, merged_into: null }
    : null;
}

/** A type that exists and was not merged away; NOT_FOUND / VALIDATION otherwise. */
function liveType(db: Database.Database, key: string): TypeRow {
  const row = typeRow(db, key);
  if (!row) throw new AppError('NOT_FOUND', `This workspace has no activity type '${activityTypeLabel(key)}'.`);
  if (row.merged_into !== null) {
    const into = typeRow(db, row.merged_into);
    throw new AppError(
      'VALIDATION',
      `The activity type '${row.label ?? activityTypeLabel(key)}' was merged into '${into ? info(into).label : row.merged_into}'.`,
    );
  }
  return row;
}

/**
 * The type a user names on the command line: its key ("ws:SMS Sent", "email_open") or its
 * label, in any case ("sms sent", "Email open").
 */
export function findActivityType(db: Database.Database, name: string): ActivityTypeInfo {
  const wanted = name.trim().toLowerCase();
  const all = listActivityTypes(db);
  const found =
    all.find((t) => t.type === name.trim()) ??
    all.find((t) => t.type.toLowerCase() === wanted || t.label.toLowerCase() === wanted);
  if (!found) {
    throw new AppError('NOT_FOUND', `No activity type '${name}'. Types: ${all.map((t) => t.label).join(', ')}.`);
  }
  return found;
}

/**
 * Renames workspace type `key` to `label`. Only the label changes: activities and rules keep
 * the key, so scores stay exactly as they were. A name another type already has is refused
 * (merge the two instead).
 */
export function renameActivityType(db: Database.Database, key: ActivityTypeKey, label: string): ActivityTypeInfo {
  const name = label.trim().replace(/\s+/g, ' ');
  return db
    .transaction(() => {
      const row = liveType(db, key);
      if (isBuiltIn(key)) {
        throw new AppError(
          'VALIDATION',
          `'${activityTypeLabel(key)}' is a built-in activity type; only workspace types can be renamed.`,
        );
      }
      const clash = listActivityTypes(db).find((t) => t.type !== key && t.label.toLowerCase() === name.toLowerCase());
      if (clash) {
        throw new AppError(
          'VALIDATION',
          `Another activity type is called '${clash.label}'. To make them one type, merge '${info(row).label}' into it.`,
        );
      }
      // The key's own name is its default label: store none, so the two never drift apart.
      const stored = name === activityTypeLabel(key) ? null : name;
      db.prepare('UPDATE activity_types SET label = ? WHERE key = ?').run(stored, key);
      return listedType(db, key);
    })
    .immediate();
}

type ModelRow = { id: number; name: string; draft: string | null; published_version: number | null };

/**
 * Merges workspace type `from` into `into` in one transaction: its activities become `into`
 * activities (one the lead already has as `into`, same asset and time, is dropped as a
 * duplicate), and every model's rules on `from` are pointed at `into`: in the draft as saved,
 * and for a published version by publishing the next version with the change (the earlier
 * versions stay in the history as they were). Scores are marked stale; the caller rescores.
 */
export function mergeActivityType(
  db: Database.Database,
  from: ActivityTypeKey,
  into: ActivityTypeKey,
  now: number,
): Omit<ActivityTypeMerge, 'jobId'> {
  return db
    .transaction(() => {
      const source = liveType(db, from);
      const target = liveType(db, into);
      if (isBuiltIn(from)) {
        throw new AppError(
          'VALIDATION',
          `'${activityTypeLabel(from)}' is a built-in activity type; only workspace types can be merged into another.`,
        );
      }
      if (from === into) throw new AppError('VALIDATION', 'A type cannot be merged into itself.');
      // The target may be a built-in type with no activities yet (no row): give it one.
      db.prepare('INSERT INTO activity_types (key) VALUES (?) ON CONFLICT (key) DO NOTHING').run(into);
      const moved = db.prepare('UPDATE OR IGNORE activities SET type = ? WHERE type = ?').run(into, from).changes;
      const duplicates = db.prepare('DELETE FROM activities WHERE type = ?').run(from).changes;
      // The source's row may have gone with its last activity (the delete trigger): keep it as the alias.
      db.prepare(
        `INSERT INTO activity_types (key, label, merged_into, merged_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET merged_into = excluded.merged_into, merged_at = excluded.merged_at`,
      ).run(from, source.label, into, now);
      const note = `Activity type '${info(source).label}' merged into '${info(target).label}'`;
      const models = retargetModels(db, from, into, note, now);
      if (moved + duplicates > 0 || models.length > 0) markRescorePending(db);
      return {
        from: info(source),
        into: listedType(db, into),
        moved,
        duplicates,
        models,
      };
    })
    .immediate();
}

function retargetModels(
  db: Database.Database,
  from: ActivityTypeKey,
  into: ActivityTypeKey,
  note: string,
  now: number,
) {
  const out: {
    modelId: number;
    name: string;
    draftRules: RetargetedRule[];
    publishedRules: RetargetedRule[];
    publishedVersion: number | null;
  }[] = [];
  const models = db.prepare('SELECT id, name, draft, published_version FROM models ORDER BY id').all() as ModelRow[];
  const publishedOf = db.prepare('SELECT definition FROM model_versions WHERE model_id = ? AND version = ?').pluck();
  for (const m of models) {
    let draftRules: RetargetedRule[] = [];
    if (m.draft !== null) {
      const d = retargetActivityType(JSON.parse(m.draft) as unknown, from, into);
      draftRules = d.rules;
      if (d.rules.length)
        db.prepare('UPDATE models SET draft = ? WHERE id = ?').run(JSON.stringify(d.definition), m.id);
    }
    let publishedRules: RetargetedRule[] = [];
    let publishedVersion: number | null = null;
    if (m.published_version !== null) {
      const p = retargetActivityType(
        JSON.parse(publishedOf.get(m.id, m.published_version) as string) as unknown,
        from,
        into,
      );
      publishedRules = p.rules;
      if (p.rules.length) {
        const draft = db.prepare('SELECT draft FROM models WHERE id = ?').pluck().get(m.id) as string | null;
        publishedVersion = publishVersion(db, m.id, requireValidModel(p.definition), note, now);
        // Publishing clears the draft; the user's draft (already pointed at `into`) stays.
        if (draft !== null) db.prepare('UPDATE models SET draft = ? WHERE id = ?').run(draft, m.id);
      }
    }
    if (draftRules.length || publishedRules.length) {
      out.push({ modelId: m.id, name: m.name, draftRules, publishedRules, publishedVersion });
    }
  }
  return out;
}
