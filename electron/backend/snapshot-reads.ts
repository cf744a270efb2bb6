/**
 * Requests answered from the snapshot connection while a write window is open (see
 * write-window.ts): they only read, or touch no data at all (a cancel). One that turns out
 * to need a write after all (a first-use grid index, recovering an interrupted import) is
 * refused by the read-only connection before it changes anything, and runs again once the
 * window closes.
 */
import type { HandlerName } from '../../shared/contract';

export const SNAPSHOT_READS: ReadonlySet<HandlerName> = new Set<HandlerName>([
  'workspace-info',
  'backups-list',
  'sample-list',
  'job-cancel',
  'export-cancel',
  'leads-query',
  'leads-counts',
  'leads-columns',
  'leads-distinct',
  'lead-get',
  'lead-activities',
  'lead-explain',
  'views-list',
  'models-list',
  'model-get',
  'model-versions',
  'model-validate',
  'owners-list',
  'routing-rules-list',
  'sla-policies-list',
  'stages-list',
  'disposition-reasons-list',
  'followup-settings-get',
  'followup-queue',
  'followup-waiting',
  'followup-lead',
  'followup-due-soon',
  'report-funnel',
  'report-grades',
  'report-sla',
  'report-outcomes',
  'report-dispositions',
  'report-filter-options',
  'imports-list',
  'import-errors',
  'import-profile',
  'exports-list',
  'export-options',
  'mappings-list',
]);

/** Whether an error is SQLite refusing a write on a read-only connection. */
export function isReadOnlyRefusal(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('SQLITE_READONLY')
  );
}
