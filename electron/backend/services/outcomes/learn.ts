/**
 * "Suggest a model from outcomes": gathers the closed leads' fields and activity counts,
 * holds a fixed share out (chosen by a hash of each lead's uid, so the same leads are held
 * out every time), learns a model on the rest (shared/learn) and measures it on the
 * held-out leads beside the current primary model, scoring both through the same compiled
 * scoring as everything else. Nothing is written: the caller saves the suggestion as a
 * draft or a file.
 */
import type Database from 'better-sqlite3';
import { valueText } from '../../../../shared/custom-fields';
import { ColumnCoder } from '../../../../shared/learn/features';
import type { LearnReport } from '../../../../shared/contract';
import {
  IDENTITY_FIELDS,
  LEAD_FIELDS,
  activityTypeLabel,
  isActivityTypeKey,
  type ActivityTypeKey,
  type Lead,
} from '../../../../shared/domain';
import { modelHealth } from '../../../../shared/learn/health';
import {
  LearnCancelled,
  MIN_CLOSED,
  MIN_EACH,
  type ActivityColumn,
  type FieldColumn,
  type Learned,
} from '../../../../shared/learn/learn';
import { rocAuc, type Auc } from '../../../../shared/learn/stats';
import { fieldLabel, leadContext, validateModel } from '../../../../shared/scoring';
import { fieldGetter } from '../../../../shared/scoring/conditions';
import type { FieldValue } from '../../../../shared/scoring/operators';
import { AppError } from '../../errors';
import { yieldToEventLoop, type Job } from '../../jobs';
import { primaryModelId, versionDefinition } from '../scoring/models';
import {
  CLOSED_AT_SQL,
  CLOSED_OUTCOME_STAGES,
  closedLeads,
  closedSubset,
  evaluateLeads,
  measuredAt,
  type ClosedSet,
} from './evaluate';
import { fitOnThisThread, type LearnFitter } from './learn-threads';
import { outcomeColumns } from './record';
import { activityTypeLabels } from '../leads/activity-types';
import { customFieldTypes } from '../leads/custom-fields';
import { customEntriesSql, customSlots, decodeCustom } from '../leads/custom-store';
import { keyNamesInUse, smallestKeyByLead } from '../leads/lead-keys';
import { leadSelectList } from '../leads/lead-uid-sql';

export type LearnOptions = Readonly<{
  /** Fields (key or label) to leave out. */
  exclude?: readonly string[] | undefined;
  /** Fields the leakage guard flags that should be used anyway. */
  keep?: readonly string[] | undefined;
  /** Share of the closed leads held out to measure the suggestion (default 0.3). */
  holdout?: number | undefined;
}>;

/**
 * FNV-1a of a lead's stable identity, as a fraction in [0, 1): the held-out share is the same
 * leads every time, even in another workspace importing the same file (the identity is the
 * lead's key value, e.g. its Prospect ID, else its email, else its uid).
 */
export function holdoutFraction(uid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < uid.length; i++) {
    h ^= uid.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

const STAGES_SQL = CLOSED_OUTCOME_STAGES.map((s) => `'${s}'`).join(', ');

/** Per field, the share of OPEN leads that have it filled in (null with fewer than 30 open leads). */
function openFillRates(db: Database.Database, fields: readonly string[]): Map<string, number | null> {
  const open = db.prepare(`SELECT count(*) FROM leads WHERE stage NOT IN (${STAGES_SQL})`).pluck().get() as number;
  const out = new Map<string, number | null>();
  if (open < 30) {
    for (const f of fields) out.set(f, null);
    return out;
  }
  const custom = new Map(
    (
      db
        .prepare(
          `SELECT f.name, count(*) FROM leads l, ${customEntriesSql('l')}
            WHERE l.stage NOT IN (${STAGES_SQL}) AND trim(j.value) <> '' GROUP BY f.name`,
        )
        .raw(true)
        .all() as [string, number][]
    ).map(([k, n]) => [k, n]),
  );
  const standard = new Set<string>(LEAD_FIELDS.map((f) => f.key));
  for (const f of fields) {
    if (f.startsWith('custom.')) out.set(f, (custom.get(f.slice(7)) ?? 0) / open);
    else if (standard.has(f))
      out.set(
        f,
        (db
          .prepare(`SELECT count(*) FROM leads WHERE stage NOT IN (${STAGES_SQL}) AND trim(${f}) <> ''`)
          .pluck()
          .get() as number) / open,
      );
    else out.set(f, null);
  }
  return out;
}

/**
 * Per activity type, each closed lead's count and last time of the activities it had BEFORE
 * it closed (evaluate.ts scores a closed lead the same way): activity after the outcome (a
 * won customer's logins, a lost lead's unsubscribe) would teach the model the outcome
 * itself. One statement: the closed leads with their close time (CLOSED_AT_SQL, all of a
 * lead's activities when its history does not say), each lead's activities read from the
 * (lead, type, asset, time) index, which covers the count.
 */
function activityColumns(db: Database.Database, n: number, position: ReadonlyMap<number, number>): ActivityColumn[] {
  const byType = new Map<ActivityTypeKey, { counts: Uint32Array; lastAt: Float64Array }>();
  const rows = db
    .prepare(
      `WITH closed(id, at) AS MATERIALIZED (
         SELECT l.id, ${CLOSED_AT_SQL} FROM leads l WHERE l.stage IN (${STAGES_SQL}))
       SELECT a.lead_id, a.type, count(*), max(a.occurred_at)
         FROM closed c CROSS JOIN activities a INDEXED BY activities_identity
        WHERE a.lead_id = c.id AND a.occurred_at < coalesce(c.at, 8.64e15)
        GROUP BY a.lead_id, a.type`,
    )
    .raw(true)
    .iterate() as IterableIterator<[number, string, number, number]>;
  for (const [leadId, type, count, last] of rows) {
    const i = position.get(leadId);
    // Built-in and workspace types ("ws:SMS Sent") alike: both are engagement a rule can count.
    if (i === undefined || !isActivityTypeKey(type)) continue;
    let c = byType.get(type);
    if (!c) {
      c = { counts: new Uint32Array(n), lastAt: new Float64Array(n).fill(-Infinity) };
      byType.set(type, c);
    }
    c.counts[i] = count;
    c.lastAt[i] = last;
  }
  const labels = activityTypeLabels(db);
  return [...byType.entries()].map(([type, c]) => ({ type, label: activityTypeLabel(type, labels), ...c }));
}

/**
 * Why a date field is not learned from: ranges of a date ("engaged before 19 March 2017")
 * rank the closed leads by when they came, and every new lead comes after all of them, so
 * such a rule would put every lead still to come in the same range.
 */
const DATE_FIELD =
  'a date: new leads all come after the dates learned from, so ranges of it would score every new lead alike';

type Gathered = { fields: FieldColumn[]; activities: ActivityColumn[]; heldOut: Uint8Array };

/** Rows read per statement: small enough to yield (progress, cancel) often. */
const READ_CHUNK = 10_000;

/**
 * Reads every closed lead's field values (as coded columns) and, per activity type, its
 * activity count and last activity time before it closed, in `ids` order. One pass over the
 * closed leads reading only the columns learning uses, then the activities (activityColumns).
 */
async function gather(
  db: Database.Database,
  { ids }: ClosedSet,
  holdout: number,
  job: Job | null,
  onProgress: (fraction: number) => void,
): Promise<Gathered> {
  const n = ids.length;
  const position = new Map(ids.map((id, i) => [id, i]));
  const skipCustom = new Set([...outcomeColumns(db), ...keyNamesInUse(db)]);
  const columns = new Map<string, ColumnCoder>();
  const column = (field: string): ColumnCoder => {
    let c = columns.get(field);
    if (!c) {
      c = new ColumnCoder(n);
      columns.set(field, c);
    }
    return c;
  };
  const standard = LEAD_FIELDS.map((f) => f.key).filter((k) => !IDENTITY_FIELDS.has(k));
  // `+stage`: walk the leads in id order (the rowid), never the stage index and a sort per chunk.
  // Fields read through the scoring module's own getters, so a value is what a rule on it sees.
  const getters = [...standard, 'seniority', 'email_domain'].map((f) => [f, fieldGetter(f)] as const);
  const read = ['id', 'uid', 'email', ...standard.filter((f) => f !== 'title'), 'title', 'custom'];
  const select = db
    .prepare(
      `SELECT ${leadSelectList(read)} FROM leads WHERE id > ? AND +stage IN (${STAGES_SQL}) ORDER BY id LIMIT ${READ_CHUNK}`,
    )
    .raw(true);
  const heldOut = new Uint8Array(n);
  const keyOf = smallestKeyByLead(db);
  const customAt = read.indexOf('custom');
  const slots = customSlots(db);
  // One lead object, refilled per row: the getters read it before the next row.
  const lead: Record<string, unknown> = {};
  let after = -Infinity;
  let done = 0;
  for (;;) {
    job?.checkCancelled();
    const rows = select.all(after) as (string | number | null)[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      const id = row[0] as number;
      const i = position.get(id);
      if (i === undefined) continue;
      for (let c = 1; c < customAt; c++) lead[read[c]!] = row[c];
      const email = lead.email as string | null;
      heldOut[i] =
        holdoutFraction(keyOf.get(id) ?? email?.trim().toLowerCase() ?? (lead.uid as string)) < holdout ? 1 : 0;
      const ctx = leadContext(lead as Lead);
      for (const [f, get] of getters) {
        if (f === 'seniority' && !lead.title) continue;
        const v = get(ctx);
        if (v !== null) column(f).set(i, v);
      }
      const values = decodeCustom(slots, row[customAt] as string | null);
      for (const k in values) {
        const v = values[k];
        if (skipCustom.has(k) || v === undefined) continue;
        // Typed custom values: yes/no fields compare as the file said them (shared/custom-fields.ts).
        column(`custom.${k}`).set(i, typeof v === 'boolean' ? valueText(v) : (v as FieldValue));
      }
    }
    after = rows.at(-1)![0] as number;
    done += rows.length;
    onProgress(done / Math.max(1, n));
    await yieldToEventLoop();
  }
  const fill = openFillRates(db, [...columns.keys()]);
  const types = customFieldTypes(db);
  const fields: FieldColumn[] = [...columns.entries()].map(([field, coded]) => ({
    field,
    label: fieldLabel(field),
    codes: coded.codes,
    dictionary: coded.dictionary,
    openFillRate: fill.get(field) ?? null,
    unlearnable: field.startsWith('custom.') && types.get(field.slice(7)) === 'date' ? DATE_FIELD : null,
    // A field rule (points per unit) may use a custom field the workspace types as a number.
    perUnit: field.startsWith('custom.') && types.get(field.slice(7)) === 'number',
  }));

  job?.checkCancelled();
  const activities = activityColumns(db, n, position);
  return { fields, activities, heldOut };
}

/**
 * A plain word when the suggestion is not worth publishing: its held-out interval reaches a
 * coin toss (0.5), or it ranks the held-out leads no better than the current model does.
 * Null when it is better than both.
 */
export function weakSuggestion(suggested: Auc, current: Auc, currentName: string | null): string | null {
  if (suggested.auc === null) return null;
  if (suggested.low! <= 0.5)
    return (
      `Not worth publishing: on the held-out leads it ranks no better than a coin toss could (its interval reaches 0.50). ` +
      'The fields learned from say little about which leads convert; import fields or activity that tell them apart, or close more leads.'
    );
  if (current.auc !== null && suggested.auc <= current.auc)
    return `Not worth publishing: on the held-out leads it ranks no better than the current model${currentName ? ` "${currentName}"` : ''} (${current.auc.toFixed(2)}). Keep the current model.`;
  return null;
}

const fmt = (a: Auc): string =>
  a.auc === null ? 'not measurable' : `${a.auc.toFixed(2)} (95% interval ${a.low!.toFixed(2)}–${a.high!.toFixed(2)})`;

/**
 * Learns a suggested model from the closed leads; the job reports progress and can cancel it.
 * `fit` runs the regression: the backend passes its learn thread's (learn-threads.ts).
 */
export async function learnFromOutcomes(
  db: Database.Database,
  options: LearnOptions,
  now: number,
  job: Job | null = null,
  fit: LearnFitter = fitOnThisThread,
): Promise<LearnReport> {
  const started = Date.now();
  const report = (phase: string, fraction: number): void =>
    job?.progress({ phase, done: Math.round(fraction * 100), total: 100, fraction, ratePerSec: null });
  const closed = closedLeads(db);
  const { ids, outcome } = closed;
  let won = 0;
  for (const y of outcome) won += y;
  const lost = ids.length - won;
  if (ids.length < MIN_CLOSED || won < MIN_EACH || lost < MIN_EACH)
    throw new AppError(
      'VALIDATION',
      `Too few closed leads to learn from: ${ids.length} (${won} won, ${lost} lost). Learning needs at least ` +
        `${MIN_CLOSED} closed leads with ${MIN_EACH} of each outcome: mark more leads Won or Lost, or import an outcome column.`,
    );
  const holdout = options.holdout ?? 0.3;
  report('Reading closed leads', 0);
  const data = await gather(db, closed, holdout, job, (f) => report('Reading closed leads', 0.2 * f));
  let learned: Learned;
  try {
    learned = await fit(
      {
        fields: data.fields,
        activities: data.activities,
        outcome,
        heldOut: data.heldOut,
        now,
        asOf: Float64Array.from(closed.closedAt, (t) => measuredAt(t, now)),
      },
      {
        exclude: options.exclude,
        keep: options.keep,
        progress: (fraction, phase) => report(phase, 0.2 + 0.5 * fraction),
      },
      job?.signal,
    );
  } catch (err) {
    if (err instanceof LearnCancelled) throw new AppError('CANCELLED', 'Cancelled by the user. Nothing was changed.');
    throw err;
  }
  const valid = validateModel(learned.model);
  if (!valid.ok) throw new AppError('INTERNAL', `The learned model is not valid: ${valid.issues[0]!.message}`);

  // The held-out leads: the suggestion's totals (as its rules score them) and the current
  // model's, scored through the compiled model as each lead stood when it closed; the current
  // model's rules' verdicts on the same leads.
  const primary = primaryModelId(db);
  const version =
    primary === null
      ? null
      : (db.prepare('SELECT published_version FROM models WHERE id = ?').pluck().get(primary) as number | null);
  const current = primary !== null && version !== null ? versionDefinition(db, primary, version) : null;
  const heldRows: number[] = [];
  for (let i = 0; i < ids.length; i++) if (data.heldOut[i] === 1) heldRows.push(i);
  const held = closedSubset(closed, heldRows);
  const heldIds = held.ids;
  const heldOutcome = held.outcome;
  // A sample of held-out leads also goes through the suggestion's compiled rules: they must
  // give exactly the totals the AUC is computed from.
  const step = Math.max(1, Math.floor(heldRows.length / 500));
  const checkedRows = heldRows.filter((_, j) => j % step === 0);
  report('Measuring on held-out leads', 0.7);
  const [byCurrent, bySuggestion] = await Promise.all([
    current
      ? evaluateLeads(db, [current], held, now, job, (done) =>
          report('Measuring on held-out leads', 0.7 + (0.3 * done) / heldIds.length),
        ).then((e) => e[0]!)
      : Promise.resolve(null),
    evaluateLeads(db, [learned.model], closedSubset(closed, checkedRows), now, job).then((e) => e[0]!),
  ]);
  checkedRows.forEach((row, k) => {
    const expected = learned.totals[row]!;
    if (bySuggestion.total[k] !== expected)
      throw new AppError(
        'INTERNAL',
        `The learned rules score lead ${ids[row]} ${bySuggestion.total[k]} instead of ${expected}: the suggestion is not saved.`,
      );
  });
  const suggestedAuc = rocAuc(
    heldRows.map((i) => learned.totals[i]!),
    heldOutcome,
  );
  const currentAuc = byCurrent ? rocAuc(byCurrent.total, heldOutcome) : rocAuc([], []);
  const heldOutLeads = data.heldOut.reduce((s, v) => s + v, 0);
  const intervalWide = suggestedAuc.auc === null || suggestedAuc.high! - suggestedAuc.low! > 0.15;
  const leaks = learned.fields.filter((f) => f.status === 'leak');
  const weak = weakSuggestion(suggestedAuc, currentAuc, current?.name ?? null);
  const summary = [
    `Learned from ${learned.trainLeads.toLocaleString('en-US')} closed leads; measured on ${heldOutLeads.toLocaleString('en-US')} others it was not fitted on.`,
    `Suggested model: AUC ${fmt(suggestedAuc)} on the held-out leads; current model${current ? ` "${current.name}"` : ''}: ${fmt(currentAuc)} on the same leads.`,
    ...(weak ? [weak] : []),
    ...(intervalWide
      ? [
          `The interval is wide: with only ${heldOutLeads} held-out leads the suggestion's real accuracy is uncertain. Treat it as a starting point and check it again when more leads have closed.`,
        ]
      : []),
    ...leaks.map((f) => `Left out ${f.label}: ${f.reason}. Keep it only if it is known before the first contact.`),
  ];
  job?.progress({ phase: 'Done', done: 100, total: 100, fraction: 1, ratePerSec: null, finished: true });
  return {
    model: learned.model,
    reasons: learned.reasons,
    fields: learned.fields,
    closedLeads: ids.length,
    trainLeads: learned.trainLeads,
    trainWon: learned.trainWon,
    heldOutLeads,
    suggestedAuc,
    currentAuc,
    currentModel: current && version !== null ? { name: current.name, version } : null,
    currentRules: byCurrent ? modelHealth(byCurrent).rules : [],
    intervalWide,
    pointsPerLogit: learned.pointsPerLogit,
    rankAgreement: learned.rankAgreement,
    summary,
    durationMs: Date.now() - started,
  };
}
