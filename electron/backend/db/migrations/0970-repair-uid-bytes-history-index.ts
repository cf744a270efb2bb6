/**
 * Migration 0710's changes for the workspaces that skipped it. Like 0700 (see 0950), 0710
 * (uids as 16 bytes, score_history's by-lead index keyed by lead alone) landed after 0740:
 * a workspace created or upgraded by a build in between is at 740 with `uid TEXT` in its
 * STRICT leads table, and every import then fails ("cannot store BLOB value in TEXT column
 * leads.uid"): new leads get their uid as bytes. Here leads is rebuilt as 0710 does, only when
 * its uid column is still TEXT (foreign keys are off only then), and the history index is
 * keyed by lead alone only when it is not yet; a no-op where 0710 ran.
 */
import type { Migration } from '../migrate';
import {
  historyIndexByLead,
  historyIndexByLeadAlone,
  leadsUidIsText,
  rebuildLeads,
} from './0710-uid-bytes-history-index';

export const migration0970RepairUidBytesHistoryIndex: Migration = {
  version: 970,
  name: 'repair-uid-bytes-history-index',
  rebuildsReferencedTable: leadsUidIsText,
  up: (db) => {
    if (leadsUidIsText(db)) rebuildLeads(db);
    if (!historyIndexByLeadAlone(db)) historyIndexByLead(db);
  },
};
