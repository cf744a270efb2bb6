/** Factories for follow-up tests: owners, leads with a grade, a controllable clock. */
import type Database from 'better-sqlite3';
import { tempBackend } from '../helpers';
import { customEncoder } from '../../../electron/backend/services/leads/custom-store';

export type Clock = { now: number; set: (iso: string) => void; advance: (hours: number) => void };

export function clock(iso: string): Clock {
  const c: Clock = {
    now: Date.parse(iso),
    set: (s) => {
      c.now = Date.parse(s);
    },
    advance: (h) => {
      c.now += h * 3_600_000;
    },
  };
  return c;
}

export function followupBackend(iso = '2026-01-06T09:00:00Z') {
  const c = clock(iso);
  const backend = tempBackend({ now: () => c.now });
  return { backend, db: backend.context.db(), clock: c };
}

let uid = 0;

export type LeadSeed = Partial<{
  email: string;
  first_name: string;
  company: string;
  grade: string;
  segment: string;
  is_mql: number;
  stage: string;
  source: string;
  campaign: string;
  country: string;
  suppressed_reason: string;
  manual_suppression: string;
  owner_id: number;
  created_at: number;
  custom: Record<string, string>;
}>;

export function addLead(db: Database.Database, seed: LeadSeed = {}): number {
  uid++;
  const info = db
    .prepare(
      `INSERT INTO leads (uid, email, email_norm, first_name, company, grade, segment, is_mql, stage, source, campaign,
         country, suppressed_reason, manual_suppression, owner_id, created_at, updated_at, custom)
       VALUES (@uid, @email, lower(@email), @first_name, @company, @grade, @segment, @is_mql, @stage, @source, @campaign,
         @country, @suppressed_reason, @manual_suppression, @owner_id, @created_at, @created_at, @custom)`,
    )
    .run({
      uid: `t-${uid}`,
      email: seed.email ?? null,
      first_name: seed.first_name ?? null,
      company: seed.company ?? null,
      grade: seed.grade ?? null,
      segment: seed.segment ?? null,
      is_mql: seed.is_mql ?? 0,
      stage: seed.stage ?? 'new',
      source: seed.source ?? null,
      campaign: seed.campaign ?? null,
      country: seed.country ?? null,
      suppressed_reason: seed.suppressed_reason ?? null,
      manual_suppression: seed.manual_suppression ?? null,
      owner_id: seed.owner_id ?? null,
      created_at: seed.created_at ?? 0,
      custom: customEncoder(db).encode(seed.custom ?? {}),
    });
  return Number(info.lastInsertRowid);
}

export function addOwner(db: Database.Database, name: string, role: string, team: string | null = null): number {
  return Number(
    db
      .prepare('INSERT INTO owners (name, email, role, team, created_at) VALUES (?, ?, ?, ?, 0)')
      .run(name, `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`, role, team).lastInsertRowid,
  );
}

export function leadRow(db: Database.Database, id: number) {
  return db.prepare('SELECT id, stage, owner_id, sla_due_at FROM leads WHERE id = ?').get(id) as {
    id: number;
    stage: string;
    owner_id: number | null;
    sla_due_at: number | null;
  };
}
