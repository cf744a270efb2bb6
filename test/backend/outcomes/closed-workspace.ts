/**
 * A workspace built as a user builds one: a leads CSV with its outcome ("Result", won when
 * "Won", decided on "Decided") and an activity log, both imported through the CLI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from '../helpers';

/** Writes the two files' lines into `dir`, imports them, and returns the workspace's path. */
export async function importClosedLeads(
  dir: string,
  leadLines: readonly string[],
  activityLines: readonly string[],
): Promise<string> {
  const leadFile = join(dir, 'leads.csv');
  const activityFile = join(dir, 'activities.csv');
  writeFileSync(leadFile, leadLines.join('\n'));
  writeFileSync(activityFile, activityLines.join('\n'));
  const db = join(dir, 'ws.leadbench');
  const l = await cli('import', leadFile, '--db', db, '--outcome', 'Result=Won', '--outcome-date', 'Decided');
  expect(l.err).toBe('');
  const a = await cli('import', activityFile, '--db', db, '--kind', 'activities');
  expect(a.err).toBe('');
  return db;
}
