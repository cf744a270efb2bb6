/**
 * The activity types of a workspace: the ten built-in ones, then the workspace types files
 * brought in their own words ("ws:SMS Sent"), each with how many activities it has. The
 * import wizard offers them as targets to merge a file's values onto, and the model editor
 * as types an engagement rule can count.
 */
import type Database from 'better-sqlite3';
import type { ActivityTypeInfo } from '../../../../shared/contract/leads';
import {
  ACTIVITY_TYPES,
  WORKSPACE_TYPE_PREFIX,
  activityTypeLabel,
  type ActivityTypeKey,
} from '../../../../shared/domain';

export function listActivityTypes(db: Database.Database): ActivityTypeInfo[] {
  const counts = new Map(
    (db.prepare('SELECT type, count(*) AS n FROM activities GROUP BY type').all() as { type: string; n: number }[]).map(
      (r) => [r.type, r.n],
    ),
  );
  const builtIn = ACTIVITY_TYPES.map((type) => ({
    type,
    label: activityTypeLabel(type),
    builtIn: true,
    activities: counts.get(type) ?? 0,
  }));
  const workspace = [...counts]
    .filter(([type]) => type.startsWith(WORKSPACE_TYPE_PREFIX))
    .map(([type, activities]) => ({
      type: type as ActivityTypeKey,
      label: activityTypeLabel(type),
      builtIn: false,
      activities,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [...builtIn, ...workspace];
}
