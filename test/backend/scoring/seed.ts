/** Seeding helpers for scoring tests: leads and activities straight into a real workspace. */
import type Database from 'better-sqlite3';
import type { ActivityType } from '../../../shared/domain';
import { customEncoder } from '../../../electron/backend/services/leads/custom-store';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 3, 1, 12);

export type SeedLead = {
  email: string;
  title?: string | null;
  stage?: string;
  company_size?: number | null;
  country?: string | null;
  custom?: Record<string, string>;
  activities?: readonly [ActivityType, string, number, number?][];
};

/** Inserts leads (with [type, asset, daysAgo, duration?] activities); returns their ids in order. */
export function seedLeads(db: Database.Database, leads: readonly SeedLead[]): number[] {
  const insLead = db.prepare(
    `INSERT INTO leads (uid, email, email_norm, first_name, last_name, title, company_size, country, custom, stage, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'Test', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAct = db.prepare(
    'INSERT INTO activities (lead_id, type, asset, occurred_at, duration_sec) VALUES (?, ?, ?, ?, ?)',
  );
  const ids: number[] = [];
  const custom = customEncoder(db);
  db.transaction(() => {
    for (const l of leads) {
      const local = l.email.split('@')[0]!;
      const id = Number(
        insLead.run(
          `U-${local}`,
          l.email,
          l.email.toLowerCase(),
          local,
          l.title ?? null,
          l.company_size ?? null,
          l.country ?? null,
          custom.encode(l.custom ?? {}),
          l.stage ?? 'new',
          NOW - 60 * DAY,
          NOW - 60 * DAY,
        ).lastInsertRowid,
      );
      for (const [type, asset, daysAgo, duration] of l.activities ?? []) {
        insAct.run(id, type, asset, NOW - daysAgo * DAY, duration ?? null);
      }
      ids.push(id);
    }
  })();
  return ids;
}

/** A varied population: every seniority, suppressed leads, closed stages, many activity kinds. */
export function seedPopulation(db: Database.Database, n = 60): number[] {
  const titles = ['CEO', 'VP Sales', 'Director IT', 'Manager', 'Engineer', 'Student', null];
  const stages = ['new', 'new', 'new', 'recycled', 'won', 'lost'];
  const pages = ['/pricing', '/careers', '/blog', '/demo', '/free-trial', '/'];
  const types: ActivityType[] = [
    'page_visit',
    'download',
    'email_open',
    'email_click',
    'webinar_registered',
    'webinar_attended',
    'video_watched',
    'form_fill',
    'unsubscribe',
  ];
  const leads: SeedLead[] = [];
  for (let i = 0; i < n; i++) {
    const acts: [ActivityType, string, number, number?][] = [];
    for (let k = 0; k < (i * 7) % 13; k++) {
      const type = types[(i + k * 3) % types.length]!;
      acts.push([
        type,
        type === 'page_visit' ? pages[(i + k) % pages.length]! : `Asset ${(i + k) % 4}`,
        ((i * 31 + k * 17) % 200) + 1,
        (k * 97) % 700,
      ]);
    }
    leads.push({
      email: `p${i}@${i % 9 === 0 ? 'gmail.com' : 'acme.com'}`,
      title: titles[i % titles.length]!,
      stage: stages[i % stages.length]!,
      company_size: (i * 37) % 400,
      custom: i % 11 === 0 ? { 'Lead type': 'Competitor' } : {},
      activities: acts,
    });
  }
  return seedLeads(db, leads);
}

/** lead_scores rows without the write time, for comparing two scoring runs. */
export function scoreRows(db: Database.Database): unknown[] {
  return db
    .prepare(
      `SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger
         FROM lead_scores ORDER BY lead_id, model_id`,
    )
    .all();
}

/** The primary-model columns of every lead. */
export function leadScoreColumns(db: Database.Database): unknown[] {
  return db
    .prepare(
      'SELECT id, score_total, score_fit, score_engagement, grade, segment, is_mql, suppressed_reason FROM leads ORDER BY id',
    )
    .all();
}
