/** Small, readable lead fixtures written straight into a workspace (no import needed). */
import type Database from 'better-sqlite3';
import { customEncoder } from '../../../electron/backend/services/leads/custom-store';

export type SeedLead = Partial<{
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  country: string | null;
  company_size: number | null;
  stage: string;
  owner_id: number | null;
  tags: string[];
  custom: Record<string, string>;
  score_total: number | null;
  score_fit: number | null;
  score_engagement: number | null;
  grade: string | null;
  segment: string | null;
  is_mql: number;
  suppressed_reason: string | null;
  last_activity_at: number | null;
  created_at: number;
}>;

let uid = 0;

export function insertLead(db: Database.Database, l: SeedLead): number {
  uid++;
  const email = l.email === undefined ? `lead${uid}@example.com` : l.email;
  return Number(
    db
      .prepare(
        `INSERT INTO leads (uid, email, email_norm, first_name, last_name, company, title, country, company_size, stage,
           owner_id, tags, custom, score_total, score_fit, score_engagement, grade, segment, is_mql, suppressed_reason,
           last_activity_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        `u-${uid}-${Math.random().toString(36).slice(2)}`,
        email,
        email ? email.toLowerCase() : null,
        l.first_name ?? null,
        l.last_name ?? null,
        l.company ?? null,
        l.title ?? null,
        l.country ?? null,
        l.company_size ?? null,
        l.stage ?? 'new',
        l.owner_id ?? null,
        JSON.stringify(l.tags ?? []),
        customEncoder(db).encode(l.custom ?? {}),
        l.score_total ?? null,
        l.score_fit ?? null,
        l.score_engagement ?? null,
        l.grade ?? null,
        l.segment ?? null,
        l.is_mql ?? 0,
        l.suppressed_reason ?? null,
        l.last_activity_at ?? null,
        l.created_at ?? 1_700_000_000_000,
        l.created_at ?? 1_700_000_000_000,
      ).lastInsertRowid,
  );
}

export function insertOwner(db: Database.Database, name: string): number {
  return Number(
    db
      .prepare('INSERT INTO owners (name, email, created_at) VALUES (?, ?, 0)')
      .run(name, `${name.toLowerCase().replace(/\s+/g, '.')}@corp.test`).lastInsertRowid,
  );
}

export function insertActivity(
  db: Database.Database,
  leadId: number,
  type: string,
  asset: string,
  at: number,
  importId: number | null = null,
): number {
  return Number(
    db
      .prepare('INSERT INTO activities (lead_id, type, asset, occurred_at, import_id) VALUES (?, ?, ?, ?, ?)')
      .run(leadId, type, asset, at, importId).lastInsertRowid,
  );
}

/** The people of the grid tests: varied, with blanks in every column that can be blank. */
export function seedPeople(db: Database.Database): Record<string, number> {
  const ann = insertOwner(db, 'Ann Owner');
  const bob = insertOwner(db, 'Bob Owner');
  const ids: Record<string, number> = { ann, bob };
  ids.alice = insertLead(db, {
    email: 'alice@acme.com',
    first_name: 'Alice',
    last_name: 'Archer',
    company: 'Acme Corp',
    title: 'CTO',
    country: 'US',
    company_size: 500,
    stage: 'new',
    owner_id: ann,
    tags: ['vip', 'q3'],
    custom: { Budget: '50000', Region: 'West' },
    score_total: 90,
    score_fit: 50,
    score_engagement: 40,
    grade: 'A1',
    segment: 'Hot',
    is_mql: 1,
    last_activity_at: 1_700_500_000_000,
  });
  ids.bruno = insertLead(db, {
    email: 'bruno@globex.io',
    first_name: 'Bruno',
    last_name: 'Bauer',
    company: 'Globex',
    title: 'Engineer',
    country: 'DE',
    company_size: 40,
    stage: 'mql',
    owner_id: bob,
    tags: ['q3'],
    custom: { Budget: '1200' },
    score_total: 55,
    score_fit: 30,
    score_engagement: 25,
    grade: 'B2',
    segment: 'Warm',
    last_activity_at: 1_700_100_000_000,
  });
  ids.chen = insertLead(db, {
    email: 'chen@initech.com',
    first_name: 'Chen',
    last_name: 'Cole',
    company: 'Initech',
    title: null,
    country: 'CN',
    company_size: null,
    stage: 'new',
    score_total: 12,
    score_fit: 10,
    score_engagement: 2,
    grade: 'C4',
    segment: 'Cold',
    custom: { Region: 'East' },
  });
  ids.dora = insertLead(db, {
    email: null,
    first_name: 'dora',
    last_name: 'diaz',
    company: null,
    title: 'VP Sales',
    country: null,
    company_size: 12000,
    stage: 'sql',
    owner_id: ann,
    score_total: null,
    suppressed_reason: 'Competitor domain',
    last_activity_at: 1_700_900_000_000,
  });
  ids.eve = insertLead(db, {
    email: 'eve@acme.com',
    first_name: null,
    last_name: null,
    company: 'ACME corp',
    title: 'cto',
    country: 'US',
    company_size: 500,
    stage: 'new',
    score_total: 90,
    score_fit: 45,
    score_engagement: 45,
    grade: 'A2',
    segment: 'Hot',
    is_mql: 1,
    tags: ['vip'],
  });
  return ids;
}
