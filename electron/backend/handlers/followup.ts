/**
 * Handlers for the follow-up domain: configuration CRUD, the queue and the work on it
 * (attempts, dispositions, stage changes, assignment), and the reports with CSV export.
 * Every write tells the window which tables changed so open screens refetch.
 */
import { writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { followupArgs } from '../../../shared/contract/followup';
import {
  reportTable,
  toCsv,
  type ReportData,
  type ReportFilter,
  type ReportKind,
} from '../../../shared/followup/reports';
import type { BackendContext } from '../context';
import { AppError } from '../errors';
import {
  deleteOwner,
  deleteRoutingRule,
  deleteSlaPolicy,
  listOwners,
  reorderRoutingRules,
  reorderSlaPolicies,
  setPoliciesZone,
  saveDispositionReason,
  saveOwner,
  saveRoutingRule,
  saveSlaPolicy,
  saveStages,
} from '../services/followup/admin';
import { listAttempts, listStageChanges, logAttempt, setDisposition, type Actor } from '../services/followup/attempts';
import {
  listDispositionReasons,
  listPolicies,
  listRoutingRules,
  listStages,
  readSettings,
  writeSettings,
} from '../services/followup/config';
import { stageFromField } from '../services/followup/history';
import { queueItem, queueQuery, takeDueSoon } from '../services/followup/queue';
import {
  dispositionsReport,
  funnelReport,
  gradesReport,
  outcomesReport,
  reportFilterOptions,
  slaReport,
} from '../services/followup/reports';
import { assignOwner, changeStage, routeLeads } from '../services/followup/stages';
import { countUnassignedWaiting, ensureMeOwner, routeWaiting } from '../services/followup/waiting';
import { osUser } from '../os-user';
import type { HandlerGroup } from './types';

function changed(ctx: BackendContext, ...tables: ('leads' | 'followup')[]): void {
  ctx.emit('data-changed', { tables });
}

/** Who is acting: the workspace's "me" owner when set, else a generic user. */
export function currentActor(db: Database.Database): Actor {
  const me = readSettings(db).meOwnerId;
  if (me !== null) {
    const o = db.prepare('SELECT id, email FROM owners WHERE id = ?').get(me) as
      { id: number; email: string } | undefined;
    if (o) return { name: o.email, ownerId: o.id };
  }
  return { name: 'user', ownerId: null };
}

/** Computes one report over the filter. */
export function computeReport<K extends ReportKind>(
  db: Database.Database,
  kind: K,
  filter: ReportFilter,
  now: number,
): ReportData[K] {
  const byKind: { [P in ReportKind]: () => ReportData[P] } = {
    funnel: () => funnelReport(db, filter),
    grades: () => gradesReport(db, filter),
    sla: () => slaReport(db, filter, now, readSettings(db).dueSoonFraction),
    outcomes: () => outcomesReport(db, filter),
    dispositions: () => dispositionsReport(db, filter),
  };
  return byKind[kind]();
}

function report<K extends ReportKind>(ctx: BackendContext, kind: K, filter: ReportFilter) {
  const data = computeReport(ctx.db(), kind, filter, ctx.now());
  return { data, table: reportTable(kind, data) };
}

export const followupHandlers: HandlerGroup<keyof typeof followupArgs> = {
  'owners-list': (ctx) => listOwners(ctx.db()),
  'owner-save': (ctx, a) => {
    const o = saveOwner(ctx.db(), a, ctx.now());
    changed(ctx, 'followup');
    return o;
  },
  'owner-delete': (ctx, { id }) => {
    deleteOwner(ctx.db(), id);
    changed(ctx, 'followup', 'leads');
    return { deleted: true };
  },

  'routing-rules-list': (ctx) => listRoutingRules(ctx.db()),
  'routing-rule-save': (ctx, a) => {
    const r = saveRoutingRule(ctx.db(), a, ctx.now());
    changed(ctx, 'followup');
    return r;
  },
  'routing-rule-delete': (ctx, { id }) => {
    deleteRoutingRule(ctx.db(), id);
    changed(ctx, 'followup');
    return { deleted: true };
  },
  'routing-rules-reorder': (ctx, { ids }) => {
    const r = reorderRoutingRules(ctx.db(), ids);
    changed(ctx, 'followup');
    return r;
  },

  'owner-me-ensure': (ctx) => {
    const r = ensureMeOwner(ctx.db(), osUser(), ctx.now());
    if (r.created) changed(ctx, 'followup', 'leads');
    return r;
  },
  'followup-waiting': (ctx) => ({ unassigned: countUnassignedWaiting(ctx.db()) }),
  'followup-route-waiting': (ctx) => {
    const r = routeWaiting(ctx.db(), ctx.now());
    if (r.routed > 0) changed(ctx, 'followup', 'leads');
    return r;
  },

  'sla-policies-list': (ctx) => listPolicies(ctx.db()),
  'sla-policy-save': (ctx, a) => {
    const p = saveSlaPolicy(ctx.db(), a, ctx.now());
    changed(ctx, 'followup', 'leads');
    return p;
  },
  'sla-policy-delete': (ctx, { id }) => {
    deleteSlaPolicy(ctx.db(), id);
    changed(ctx, 'followup', 'leads');
    return { deleted: true };
  },
  'sla-policies-reorder': (ctx, { ids }) => {
    const r = reorderSlaPolicies(ctx.db(), ids);
    changed(ctx, 'followup', 'leads');
    return r;
  },

  'sla-policies-set-zone': (ctx, { timeZone }) => {
    const r = setPoliciesZone(ctx.db(), timeZone, ctx.now());
    changed(ctx, 'followup', 'leads');
    return r;
  },

  'stages-list': (ctx) => listStages(ctx.db()),
  'stages-save': (ctx, { stages }) => {
    const s = saveStages(ctx.db(), stages);
    changed(ctx, 'followup', 'leads');
    return s;
  },

  'disposition-reasons-list': (ctx) => listDispositionReasons(ctx.db()),
  'disposition-reason-save': (ctx, a) => {
    const r = saveDispositionReason(ctx.db(), a);
    changed(ctx, 'followup');
    return r;
  },

  'followup-settings-get': (ctx) => readSettings(ctx.db()),
  'followup-settings-save': (ctx, a) => {
    const db = ctx.db();
    if (a.meOwnerId != null && !db.prepare('SELECT 1 FROM owners WHERE id = ?').get(a.meOwnerId)) {
      throw new AppError('VALIDATION', `Owner ${a.meOwnerId} does not exist.`);
    }
    const s = writeSettings(db, a);
    changed(ctx, 'followup');
    return s;
  },

  'followup-queue': (ctx, a) => {
    const db = ctx.db();
    let ownerId: number | null = null;
    if (a.scope === 'mine') {
      ownerId = readSettings(db).meOwnerId;
      if (ownerId === null) {
        throw new AppError('VALIDATION', 'Choose who you are (Follow-up settings) to see your own leads.');
      }
    } else if (a.scope === 'owner') {
      if (a.ownerId === undefined) throw new AppError('BAD_ARGUMENT', 'scope "owner" needs ownerId.');
      ownerId = a.ownerId;
    }
    const page = queueQuery(
      db,
      { ownerId, statuses: a.statuses, search: a.search, limit: a.limit, offset: a.offset },
      ctx.now(),
    );
    return { ...page, ownerId };
  },
  'followup-lead': (ctx, { leadId }) => {
    const db = ctx.db();
    if (!db.prepare('SELECT 1 FROM leads WHERE id = ?').get(leadId)) {
      throw new AppError('NOT_FOUND', `Lead ${leadId} does not exist.`);
    }
    const dispositions = db
      .prepare(
        `SELECT d.id, d.reason_id, CASE WHEN p.label IS NULL THEN r.label ELSE p.label || ': ' || r.label END AS label,
           d.note, d.decided_at, d.actor
         FROM dispositions d JOIN disposition_reasons r ON r.id = d.reason_id
         LEFT JOIN disposition_reasons p ON p.id = r.parent_id
         WHERE d.lead_id = ? ORDER BY d.decided_at DESC, d.id DESC`,
      )
      .all(leadId) as {
      id: number;
      reason_id: number;
      label: string;
      note: string | null;
      decided_at: number;
      actor: string;
    }[];
    return {
      item: queueItem(db, leadId, ctx.now()),
      attempts: listAttempts(db, leadId),
      stageChanges: listStageChanges(db, leadId),
      dispositions: dispositions.map((d) => ({
        id: d.id,
        reasonId: d.reason_id,
        label: d.label,
        note: d.note,
        decidedAt: d.decided_at,
        actor: d.actor,
      })),
    };
  },
  'followup-due-soon': (ctx) => {
    const db = ctx.db();
    const s = readSettings(db);
    if (!s.notifyDueSoon || s.meOwnerId === null) return [];
    return takeDueSoon(db, s.meOwnerId, ctx.now());
  },

  'attempt-log': (ctx, a) => {
    const db = ctx.db();
    const attempt = logAttempt(db, a, currentActor(db), ctx.now());
    changed(ctx, 'followup', 'leads');
    return { attempt, item: queueItem(db, a.leadId, ctx.now()) };
  },
  'disposition-set': (ctx, a) => {
    const db = ctx.db();
    const r = setDisposition(db, a.leadIds, a.reasonId, a.note ?? null, currentActor(db), ctx.now());
    changed(ctx, 'followup', 'leads');
    return r;
  },
  'stage-change': (ctx, a) => {
    const db = ctx.db();
    const r = changeStage(db, a.leadIds, a.toStage, currentActor(db).name, a.reason?.trim() || null, ctx.now());
    changed(ctx, 'followup', 'leads');
    return r;
  },
  'lead-assign': (ctx, a) => {
    const r = assignOwner(ctx.db(), a.leadIds, a.ownerId, ctx.now());
    changed(ctx, 'followup', 'leads');
    return { changed: r };
  },
  'stage-from-field': (ctx, a) => {
    const db = ctx.db();
    const r = stageFromField(db, { ...a, actor: currentActor(db).name }, ctx.now());
    changed(ctx, 'followup', 'leads');
    return r;
  },
  'lead-route': (ctx, a) => {
    const routed = routeLeads(ctx.db(), a.leadIds, ctx.now());
    changed(ctx, 'followup', 'leads');
    return { routed };
  },

  'report-funnel': (ctx, { filter }) => report(ctx, 'funnel', filter),
  'report-grades': (ctx, { filter }) => report(ctx, 'grades', filter),
  'report-sla': (ctx, { filter }) => report(ctx, 'sla', filter),
  'report-outcomes': (ctx, { filter }) => report(ctx, 'outcomes', filter),
  'report-dispositions': (ctx, { filter }) => report(ctx, 'dispositions', filter),
  'report-filter-options': (ctx) => ({ ...reportFilterOptions(ctx.db()), owners: listOwners(ctx.db()) }),
  'report-export': (ctx, { report: kind, filter, path }) => {
    const { table } = report(ctx, kind, filter);
    try {
      writeFileSync(path, toCsv(table), 'utf8');
    } catch (err) {
      throw new AppError(
        'EXPORT_FAILED',
        `Could not write ${path}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return { path, rows: table.rows.length };
  },
};
