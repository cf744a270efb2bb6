/**
 * Learning benchmark: a deterministic workspace of N closed leads with 40 custom fields
 * (categories, numbers, mostly blank ones) and 10 activities per lead on average, whose
 * outcome follows a known signal (5 fields, 2 numbers and 2 activity counts drive the log-
 * odds). Each lead closed on a day of the last 30-90 (its stage history says when) and about
 * a tenth of the activities came after that: learning must leave those out (they are not
 * part of the signal), so the leads with late activity are counted again. Measures learning from outcomes end to end (read, fit, round, score the held-out
 * share with the suggestion and the current model): learnSec, the suggestion's held-out
 * AUC (learnHeldOutAuc) and, for reference, the AUC of the true signal on the same leads
 * (learnTrueAuc): the best any model could do.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspaceDb } from '../../electron/backend/db/open';
import { holdoutFraction, learnFromOutcomes } from '../../electron/backend/services/outcomes/learn';
import { rocAuc } from '../../shared/learn/stats';
import { mulberry32 } from '../support/seeded-random';
import { customEncoder } from '../../electron/backend/services/leads/custom-store';

const NOW = Date.UTC(2026, 2, 1);
const DAY = 86_400_000;
const TYPES = ['page_visit', 'email_open', 'email_click', 'download', 'webinar_attended', 'form_submit'] as const;

export async function benchLearn(o: {
  dir: string;
  leads: number;
  activitiesPerLead: number;
}): Promise<Record<string, number>> {
  mkdirSync(o.dir, { recursive: true });
  const path = join(o.dir, 'learn.leadbench');
  const db = openWorkspaceDb(path, { create: true });
  const rnd = mulberry32(12);
  const insertLead = db.prepare(
    'INSERT INTO leads (id, uid, stage, custom, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const customStore = customEncoder(db);
  const insertActivity = db.prepare(
    'INSERT OR IGNORE INTO activities (lead_id, type, asset, occurred_at) VALUES (?, ?, ?, ?)',
  );
  const insertClose = db.prepare(
    "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, actor) VALUES (?, 'new', ?, ?, 'bench')",
  );
  const trueLogit = new Float64Array(o.leads);
  const t0 = Date.now();
  db.transaction(() => {
    for (let i = 0; i < o.leads; i++) {
      const custom: Record<string, string> = {};
      let z = -1.2;
      for (let f = 0; f < 25; f++) {
        const levels = 3 + (f % 10) * 3;
        const v = Math.floor(Math.pow(rnd(), 1.5) * levels);
        custom[`Category ${f + 1}`] = `value ${v}`;
        // Fields 1-5 carry the signal: their low values convert more.
        if (f < 5) z += v === 0 ? 0.9 : v === 1 ? 0.3 : v >= levels - 2 ? -0.6 : 0;
      }
      for (let f = 0; f < 10; f++) {
        const x = Math.round(rnd() * 1000);
        custom[`Number ${f + 1}`] = String(x);
        if (f === 0) z += (x - 500) / 400;
        if (f === 1) z -= x > 800 ? 0.8 : 0;
      }
      for (let f = 0; f < 5; f++) if (rnd() < 0.15) custom[`Sparse ${f + 1}`] = rnd() < 0.5 ? 'yes' : 'no';
      const id = i + 1;
      const count = Math.floor(rnd() * o.activitiesPerLead * 2);
      let downloads = 0;
      let webinars = 0;
      const closedAt = NOW - (30 + Math.floor(rnd() * 60)) * DAY;
      const acts: [string, number][] = [];
      for (let a = 0; a < count; a++) {
        const type = TYPES[Math.floor(rnd() * rnd() * TYPES.length)]!;
        const at = NOW - Math.floor(rnd() * 365) * DAY - a * 1000;
        // Only what happened before the lead closed can have driven its outcome.
        if (at < closedAt && type === 'download') downloads++;
        if (at < closedAt && type === 'webinar_attended') webinars++;
        acts.push([type, at]);
      }
      z += 0.25 * Math.min(downloads, 4) + (webinars > 0 ? 0.7 : 0);
      trueLogit[i] = z;
      const won = rnd() < 1 / (1 + Math.exp(-z));
      const stage = won ? 'won' : 'lost';
      insertLead.run(id, `bench-${id}`, stage, customStore.encode(custom), NOW - 400 * DAY, closedAt);
      insertClose.run(id, stage, closedAt);
      acts.forEach(([type, at], a) => insertActivity.run(id, type, `asset-${a % 7}`, at));
    }
  })();
  const generateSec = (Date.now() - t0) / 1000;
  const activities = db.prepare('SELECT count(*) FROM activities').pluck().get() as number;
  const lateActivities = db
    .prepare(
      `SELECT count(*) FROM activities a JOIN stage_changes c ON c.lead_id = a.lead_id WHERE a.occurred_at >= c.changed_at`,
    )
    .pluck()
    .get() as number;

  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const report = await learnFromOutcomes(db, { holdout: 0.3 }, NOW);
  const learnSec = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);

  // The true signal's AUC on the same held-out leads (found again by the same hash).
  const held = db.prepare('SELECT id, stage FROM leads ORDER BY id').raw(true).all() as [number, string][];
  const scores: number[] = [];
  const outcomes: number[] = [];
  for (const [id, stage] of held) {
    if (holdoutFraction(`bench-${id}`) >= 0.3) continue;
    scores.push(trueLogit[id - 1]!);
    outcomes.push(stage === 'won' ? 1 : 0);
  }
  db.close();
  return {
    learnLeads: o.leads,
    learnActivities: activities,
    learnActivitiesAfterClose: lateActivities,
    learnFields: 40,
    learnGenerateSec: generateSec,
    learnSec,
    learnCpuSec: (cpu.user + cpu.system) / 1e6,
    learnHeldOutLeads: report.heldOutLeads,
    learnHeldOutAuc: report.suggestedAuc.auc ?? 0,
    learnTrueAuc: rocAuc(scores, outcomes).auc ?? 0,
    learnFitRules: report.model.fit.length,
    learnEngagementRules: report.model.engagement.length,
  };
}
