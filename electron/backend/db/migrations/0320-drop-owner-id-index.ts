/**
 * leads_g_owner_id (0040) repeats the first column of leads_owner_stage(owner_id, stage)
 * (0050): every lookup by owner (the queue, exports, owner counts, reassigning) seeks that
 * pair as well, and owner_id is no grid column (the grid sorts by owner_name). One index
 * fewer for every lead written (docs/decisions/grid-score-store.md).
 */
import type { Migration } from '../migrate';

export const migration0320DropOwnerIdIndex: Migration = {
  version: 320,
  name: 'drop-owner-id-index',
  up: (db) => {
    db.exec('DROP INDEX IF EXISTS leads_g_owner_id');
  },
};
