/**
 * A real activity log in its source's own words, built from X Education
 * (/work/shared/data/real/xeducation_leads.csv has no separate log): each lead's "Last
 * Activity" and "Last Notable Activity" become two dated activity rows keyed by Prospect ID.
 * Together they use 18 distinct source types (SMS Sent, Olark Chat Conversation, Email
 * Bounced, Modified, Had a Phone Conversation...). Blank types are left out; the dates are
 * fixed (the file has none), one day apart so a lead's two rows never collide.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';

export const ACTIVITY_LOG_HEADERS = ['Prospect ID', 'Activity', 'Activity Date'] as const;
export type ActivityLogRow = Readonly<{ id: string; type: string; date: string }>;

const COLUMNS = [
  ['Last Activity', '2026-01-14'],
  ['Last Notable Activity', '2026-01-15'],
] as const;

/** The log's rows, in file order (each lead's Last Activity, then its Last Notable Activity). */
export function xeducationActivityLog(leadsCsv: string): ActivityLogRow[] {
  const leads = Papa.parse<Record<string, string>>(readFileSync(leadsCsv, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  return leads.flatMap((lead) =>
    COLUMNS.flatMap(([column, date]) => {
      const type = (lead[column] ?? '').trim();
      return type ? [{ id: lead['Prospect ID'] ?? '', type, date }] : [];
    }),
  );
}

/** Writes the log as a CSV file and returns its rows. */
export function writeXeducationActivityLog(leadsCsv: string, path: string): ActivityLogRow[] {
  const rows = xeducationActivityLog(leadsCsv);
  writeFileSync(
    path,
    Papa.unparse({ fields: [...ACTIVITY_LOG_HEADERS], data: rows.map((r) => [r.id, r.type, r.date]) }),
  );
  return rows;
}
