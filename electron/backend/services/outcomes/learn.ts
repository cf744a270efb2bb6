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
import type { LearnReport } from '../../../../shared/contract';
import { ACTIVITY_TYPES, LEAD_FIELDS, type ActivityType } from '../../../../shared/domain';
import { modelHealth } from '../../../../shared/learn/health';
import {
  LearnCancelled,
  learnModel,
  MIN_CLOSED,
  MIN_EACH,
  type ActivityColumn,
  type FieldColumn,
} from '../../../../shared/learn/learn';
import { rocAuc, type Auc } from '../../../../shared/learn/stats';
import { fieldLabel, leadContext, validateModel } from '../../../../shared/scoring';
import { fieldGetter } from '../../../../shared/scoring/conditions';
import type { FieldValue } from '../../../../shared/scoring/operators';
import { AppError } from '../../errors';
import { yieldToEventLoop, type Job } from '../../jobs';
import { leadsInRange } from '../scoring/lead-data';
import { primaryModelId, versionDefinition } from '../scoring/models';
import { CLOSED_OUTCOME_STAGES, closedLeads, evaluateLeads } from './evaluate';
import { outcomeColumns } from './record';

export type LearnOptions = Readonly<{
  /** Fields (key or label) to leave out. */
  exclude?: readonly string[] | undefined;
  /** Fields the leakage guard flags that should be used anyway. */
  keep?: readonly string[] | undefined;
  /** Share of the closed leads held out to measure the suggestion (default 0.3). */
  holdout?: number | undefined;
}>;

/** Personal identifiers: they say nothing about other leads. */
const IDENTITY_FIELDS = new Set(['email', 'first_name', 'last_name', 'phone', 'website']);

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
          `SELECT j.key, count(*) FROM leads l, json_each(l.custom) j
            WHERE l.stage NOT IN (${STAGES_SQL}) AND trim(j.value) <> '' GROUP BY j.key`,
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

type Gathered = { fields: FieldColumn[]; activities: ActivityColumn[]; heldOut: Uint8Array };

/** Reads every closed lead's field values and activity counts, in `ids` order. */
async function gather(
  db: Database.Database,
  ids: readonly number[],
  holdout: number,
  job: Job | null,
): Promise<Gathered> {
  const n = ids.length;
  const position = new Map(ids.map((id, i) => [id, i]));
  const skipCustom = new Set([
    ...outcomeColumns(db),
    ...(db.prepare('SELECT DISTINCT key_name FROM lead_keys').pluck().all() as string[]),
  ]);
  const columns = new Map<string, FieldValue[]>();
  const column = (field: string): FieldValue[] => {
    let c = columns.get(field);
    if (!c) {
      c = new Array<FieldValue>(n).fill(null);
      columns.set(field, c);
    }
    return c;
  };
  const standard = LEAD_FIELDS.map((f) => f.key).filter((k) => !IDENTITY_FIELDS.has(k));
  const derived = ['seniority', 'email_domain'];
  const getters = new Map([...standard, ...derived].map((f) => [f, fieldGetter(f)]));
  const heldOut = new Uint8Array(n);
  const keyOf = new Map(
    db.prepare('SELECT lead_id, min(key_value) FROM lead_keys GROUP BY lead_id').raw(true).all() as [number, string][],
  );
  for (let at = 0; at < n; at += 5000) {
    job?.checkCancelled();
    const part = ids.slice(at, at + 5000);
    for (const lead of leadsInRange(db, part[0]!, part.at(-1)!)) {
      const i = position.get(lead.id);
      if (i === undefined) continue;
      heldOut[i] =
        holdoutFraction(keyOf.get(lead.id) ?? lead.email?.trim().toLowerCase() ?? lead.uid) < holdout ? 1 : 0;
      const ctx = leadContext(lead);
      for (const [f, get] of getters) {
        if (f === 'seniority' && !lead.title) continue;
        const v = get(ctx);
        if (v !== null) column(f)[i] = v;
      }
      for (const [k, v] of Object.entries(lead.custom)) {
        if (skipCustom.has(k)) continue;
        const c = column(`custom.${k}`);
        // Typed custom values: yes/no fields compare as the file said them (shared/custom-fields.ts).
        if (typeof v === 'boolean') c[i] = valueText(v);
        else if (v !== null && v !== undefined && String(v).trim() !== '') c[i] = v as FieldValue;
      }
    }
    await yieldToEventLoop();
  }
  const fill = openFillRates(db, [...columns.keys()]);
  const fields: FieldColumn[] = [...columns.entries()].map(([field, values]) => ({
    field,
    label: fieldLabel(field),
    values,
    openFillRate: fill.get(field) ?? null,
  }));

  const counts = new Map<ActivityType, Uint32Array>();
  const known = new Set<string>(ACTIVITY_TYPES);
  for (const [leadId, type, count] of db
    .prepare('SELECT lead_id, type, count(*) FROM activities GROUP BY lead_id, type')
    .raw(true)
    .iterate() as IterableIterator<[number, string, number]>) {
    const i = position.get(leadId);
    if (i === undefined || !known.has(type)) continue;
    let c = counts.get(type as ActivityType);
    if (!c) {
      c = new Uint32Array(n);
      counts.set(type as ActivityType, c);
    }
    c[i] = count;
  }
  const activities = [...counts.entries()].map(([type, c]) => ({ type, counts: c }));
  return { fields, activities, heldOut };
}

const fmt = (a: Auc): string =>
  a.auc === null ? 'not measurable' : `${a.auc.toFixed(2)} (95% interval ${a.low!.toFixed(2)}–${a.high!.toFixed(2)})`;

/** Learns a suggested model from the closed leads; the job reports progress and can cancel it. */
export async function learnFromOutcomes(
  db: Database.Database,
  options: LearnOptions,
  now: number,
  job: Job | null = null,
): Promise<LearnReport> {
  const started = Date.now();
  const report = (phase: string, fraction: number): void =>
    job?.progress({ phase, done: Math.round(fraction * 100), total: 100, fraction, ratePerSec: null });
  const { ids, outcome } = closedLeads(db);
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
  const data = await gather(db, ids, holdout, job);
  const learned = (() => {
    try {
      return learnModel(
        { fields: data.fields, activities: data.activities, outcome, heldOut: data.heldOut },
        {
          exclude: options.exclude,
          keep: options.keep,
          progress: (fraction, phase) => {
            report(phase, 0.2 + 0.5 * fraction);
            return !job?.signal.aborted;
          },
        },
      );
    } catch (err) {
      if (err instanceof LearnCancelled) throw new AppError('CANCELLED', 'Cancelled by the user. Nothing was changed.');
      throw err;
    }
  })();
  const valid = validateModel(learned.model);
  if (!valid.ok) throw new AppError('INTERNAL', `The learned model is not valid: ${valid.issues[0]!.message}`);

  // The held-out leads: the suggestion's totals (as its rules score them) and the current
  // model's, scored now through the compiled model; its rules' verdicts on the same leads.
  const primary = primaryModelId(db);
  const version =
    primary === null
      ? null
      : (db.prepare('SELECT published_version FROM models WHERE id = ?').pluck().get(primary) as number | null);
  const current = primary !== null && version !== null ? versionDefinition(db, primary, version) : null;
  const heldIds: number[] = [];
  const heldRows: number[] = [];
  for (let i = 0; i < ids.length; i++)
    if (data.heldOut[i] === 1) {
      heldIds.push(ids[i]!);
      heldRows.push(i);
    }
  const heldOutcome = Uint8Array.from(heldRows, (i) => outcome[i]!);
  // A sample of held-out leads also goes through the suggestion's compiled rules: they must
  // give exactly the totals the AUC is computed from.
  const checked = new Set(heldIds.filter((_, j) => j % Math.max(1, Math.floor(heldIds.length / 500)) === 0));
  report('Measuring on held-out leads', 0.7);
  const [byCurrent, bySuggestion] = await Promise.all([
    current
      ? evaluateLeads(db, [current], heldIds, heldOutcome, now, job, (done) =>
          report('Measuring on held-out leads', 0.7 + (0.3 * done) / heldIds.length),
        ).then((e) => e[0]!)
      : Promise.resolve(null),
    evaluateLeads(
      db,
      [learned.model],
      heldIds.filter((id) => checked.has(id)),
      new Uint8Array(checked.size),
      now,
      job,
    ).then((e) => e[0]!),
  ]);
  let k = 0;
  heldIds.forEach((id, j) => {
    if (!checked.has(id)) return;
    const expected = learned.totals[heldRows[j]!]!;
    if (bySuggestion.total[k] !== expected)
      throw new AppError(
        'INTERNAL',
        `The learned rules score lead ${id} ${bySuggestion.total[k]} instead of ${expected}: the suggestion is not saved.`,
      );
    k++;
  });
  const suggestedAuc = rocAuc(
    heldRows.map((i) => learned.totals[i]!),
    heldOutcome,
  );
  const currentAuc = byCurrent ? rocAuc(byCurrent.total, heldOutcome) : rocAuc([], []);
  const heldOutLeads = data.heldOut.reduce((s, v) => s + v, 0);
  const intervalWide = suggestedAuc.auc === null || suggestedAuc.high! - suggestedAuc.low! > 0.15;
  const leaks = learned.fields.filter((f) => f.status === 'leak');
  const summary = [
    `Learned from ${learned.trainLeads.toLocaleString('en-US')} closed leads; measured on ${heldOutLeads.toLocaleString('en-US')} others it was not fitted on.`,
    `Suggested model: AUC ${fmt(suggestedAuc)} on the held-out leads; current model${current ? ` "${current.name}"` : ''}: ${fmt(currentAuc)} on the same leads.`,
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
