/** Handlers for the leads domain: the grid, counts, views, bulk actions, the lead page. */
import type { leadsArgs } from '../../../shared/contract/leads';
import { listActivityTypes, mergeActivityType, renameActivityType } from '../services/leads/activity-types';
import { startFullRescore } from '../services/scoring/rescore-job';
import { countSelection, runBulk, undoBulk } from '../services/leads/bulk';
import { distinctValues, gridMeta, leadCounts, leadsQuery } from '../services/leads/grid';
import { setLeadKeyName } from '../services/leads/lead-key';
import { addNote, deleteNote, getLead, leadActivities, updateLead } from '../services/leads/lead-page';
import { deleteView, getGridLayout, listViews, saveGridLayout, saveView } from '../services/leads/views';
import { autoBackup } from '../services/exchange/backup';
import { primarySegmentLabels } from '../services/scoring/models';
import type { HandlerGroup } from './types';

export const leadsHandlers: HandlerGroup<keyof typeof leadsArgs> = {
  'leads-query': (ctx, args) => leadsQuery(ctx.db(), args),
  'leads-counts': (ctx) => ({ ...leadCounts(ctx.db()), segmentLabels: primarySegmentLabels(ctx.db()) }),
  'leads-columns': (ctx) => gridMeta(ctx.db()),
  'leads-show-by': (ctx, { name }) => {
    const changed = setLeadKeyName(ctx.db(), name);
    ctx.emit('data-changed', { tables: ['leads'] });
    return { changed };
  },
  'activity-types': (ctx) => listActivityTypes(ctx.db()),
  'activity-type-rename': (ctx, { type, label }) => {
    const renamed = renameActivityType(ctx.db(), type, label);
    ctx.emit('data-changed', { tables: ['activities', 'models'] });
    return renamed;
  },
  'activity-type-merge': async (ctx, { from, into }) => {
    // No undo for a merge (the UI confirms it): keep a copy of the workspace as it was.
    await autoBackup(ctx, 'activity type merge');
    const merged = mergeActivityType(ctx.db(), from, into, ctx.now());
    ctx.emit('data-changed', { tables: ['activities', 'models'] });
    const changed = merged.moved + merged.duplicates > 0 || merged.models.length > 0;
    return { ...merged, jobId: changed ? startFullRescore(ctx, { replace: true }).jobId : null };
  },
  'leads-distinct': (ctx, { column, search, limit }) => distinctValues(ctx.db(), column, search, limit),
  'leads-select': (ctx, { selection }) => ({ count: countSelection(ctx.db(), selection) }),
  'leads-bulk': async (ctx, { selection, action, confirmCount }) => {
    // A confirmed bulk delete is destructive: keep a copy of the workspace as it was first
    // (a confirmation that no longer matches the selection is refused below, without one).
    if (action.kind === 'delete' && confirmCount === countSelection(ctx.db(), selection)) {
      await autoBackup(ctx, 'bulk delete');
    }
    const result = runBulk(ctx.db(), selection, action, { confirmCount, now: ctx.now() });
    if (result.affected > 0) ctx.emit('data-changed', { tables: ['leads', 'scores', 'followup'] });
    return result;
  },
  'leads-bulk-undo': (ctx, { batchId }) => {
    const result = undoBulk(ctx.db(), batchId, ctx.now());
    ctx.emit('data-changed', { tables: ['leads', 'activities', 'scores', 'followup'] });
    return result;
  },
  'lead-get': (ctx, { id }) => getLead(ctx.db(), id),
  'lead-activities': (ctx, { id, before, limit }) => leadActivities(ctx.db(), id, before, limit),
  'lead-update': (ctx, { id, fields, custom, tags }) => {
    const detail = updateLead(ctx.db(), id, { fields, custom, tags }, ctx.now());
    ctx.emit('data-changed', { tables: ['leads', 'scores'] });
    return detail;
  },
  'lead-note-add': (ctx, { leadId, body }) => addNote(ctx.db(), leadId, body, ctx.now()),
  'lead-note-delete': (ctx, { id }) => ({ deleted: deleteNote(ctx.db(), id) }),
  'views-list': (ctx) => listViews(ctx.db()),
  'view-save': (ctx, v) => saveView(ctx.db(), v, ctx.now()),
  'view-delete': (ctx, { id }) => ({ deleted: deleteView(ctx.db(), id) }),
  'grid-layout-get': (ctx) => getGridLayout(ctx.db()),
  'grid-layout-save': (ctx, layout) => saveGridLayout(ctx.db(), layout),
};
