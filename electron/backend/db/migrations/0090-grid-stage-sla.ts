/**
 * (stage, sla_due_at) for the leads grid: a stage filter sorted by SLA due. Only leads in
 * the stages with a follow-up SLA (MQL, SAL) have a due time, so the matches of any other
 * stage sit behind every due lead in that order (blanks last): walking the sla_due_at index
 * passed 180,000 due leads to reach them (~520 ms for "new" on 1M leads), and sorting the
 * matches of a two-stage list read 70,000-110,000 rows (160-220 ms). With both columns in one
 * index a single stage is walked in order, and a list is sorted in the index alone, each
 * stage read only as far as the page needs (see COVERING_PAIRS in services/leads/grid.ts).
 * Neither column is a score column: a full rescore does not maintain it.
 */
import type { Migration } from '../migrate';

export const migration0090GridStageSla: Migration = {
  version: 90,
  name: 'grid-stage-sla',
  up: (db) => {
    db.exec('CREATE INDEX leads_g_stage_sla_due_at ON leads(stage, sla_due_at)');
  },
};
