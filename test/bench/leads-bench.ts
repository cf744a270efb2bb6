/**
 * Leads grid benchmark: a deterministic (seeded) workspace of N leads and M activities
 * written with bulk SQL (grid indexes, search index and mirrors dropped during the load and
 * rebuilt after, exactly as the schema declares them), then the grid's real query function
 * (the same code the handler runs) timed for a page of 100 rows:
 *   - for every sortable column, with each kind of filter the UI offers (values rotate per
 *     run so no count is served from the cache), median of RUNS runs;
 *   - the first page on opening (no filter, newest first, with its count), the counts behind
 *     the chips and grade grid, and a deep scroll page.
 * Figures are milliseconds; `grid.worst_median_ms` is the slowest sort x filter median.
 * LEADS_BENCH_GEN_ONLY=1 stops after generating (to keep a workspace for EXPLAIN work).
 * LEADS_BENCH_DB=/tmp/x.leadbench keeps the workspace at that path: generated there when the
 * file does not exist, reused as is when it does (its generation figures are then absent),
 * so iterating on the grid's queries does not pay minutes of generation each run. A reused
 * file gets the current migrations (new indexes), so it matches a fresh one.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openReadConnection, openWorkspaceDb } from '../../electron/backend/db/open';
import { customEncoder } from '../../electron/backend/services/leads/custom-store';
import { followWritesOf } from '../../electron/backend/services/leads/lead-write-journal';
import { updateLead } from '../../electron/backend/services/leads/lead-page';
import {
  leadCounts,
  prepareAllGridStructures,
  leadsQuery,
  leadTableColumns,
  type LeadPageArgs,
} from '../../electron/backend/services/leads/grid';
import { leadPageArgsSchema, type LeadFilter } from '../../shared/contract/leads';
import { LEAD_FIELD_KEYS, LEAD_SCORE_COLUMNS } from '../../shared/domain';
import { LEAD_COLUMNS, UNSORTABLE_COLUMNS } from '../../shared/lead-columns';
import { dropLeadExtras, seededPicker } from './seed';

const RUNS = 5;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1);

const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Chen',
  'Wei',
  'Aisha',
  'Omar',
  'Lena',
  'Lukas',
  'Sofia',
  'Mateo',
  'Yuki',
  'Hiro',
  'Priya',
  'Arjun',
  'Fatima',
  'Noah',
  'Emma',
  'Olivia',
  'Liam',
  'Ava',
  'Ingrid',
  'Sven',
  'Chloé',
  'José',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Kumar',
  'Singh',
  'Patel',
  'Khan',
  'Ali',
  'Tanaka',
  'Suzuki',
  'Sato',
  'Dubois',
  'Martin',
  'Bernard',
  'Rossi',
  'Russo',
  'Novak',
  'Kowalski',
  'Nielsen',
  'Hansen',
  'Silva',
  'Santos',
];
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyber',
  'Data',
  'Cloud',
  'Net',
  'Soft',
  'Tech',
  'Logic',
  'Quantum',
  'Blue',
  'Green',
  'Red',
  'Nova',
  'Apex',
  'Summit',
  'Vertex',
  'Pixel',
  'Bright',
  'Swift',
  'Iron',
  'Silver',
  'Golden',
  'North',
  'South',
  'Pacific',
  'Atlantic',
  'Alpine',
  'Urban',
  'Prime',
  'Core',
  'Fusion',
  'Orbit',
  'Vector',
];
const SUFFIX = ['Inc', 'Ltd', 'GmbH', 'Labs', 'Systems', 'Group', 'Corp', 'Solutions', 'AG', 'SA', 'Partners', 'Works'];
const TITLES = [
  'CEO',
  'CTO',
  'CFO',
  'VP Sales',
  'VP Marketing',
  'Director of IT',
  'Head of Growth',
  'Marketing Manager',
  'Sales Manager',
  'Software Engineer',
  'Data Analyst',
  'Product Manager',
  'Account Executive',
  'Founder',
  'Consultant',
  'Student',
  'Intern',
  'Operations Director',
  'IT Manager',
  'Procurement Lead',
];
const INDUSTRIES = [
  'Software',
  'Manufacturing',
  'Retail',
  'Finance',
  'Healthcare',
  'Education',
  'Logistics',
  'Energy',
  'Media',
  'Telecom',
  'Government',
  'Hospitality',
  'Construction',
  'Agriculture',
  'Automotive',
  'Insurance',
  'Legal',
  'Real estate',
  'Nonprofit',
  'Pharma',
];
const COUNTRIES = [
  'US',
  'DE',
  'FR',
  'GB',
  'NL',
  'ES',
  'IT',
  'SE',
  'PL',
  'CH',
  'AT',
  'BE',
  'DK',
  'NO',
  'FI',
  'IE',
  'PT',
  'CZ',
  'CA',
  'MX',
  'BR',
  'AR',
  'JP',
  'CN',
  'IN',
  'SG',
  'AU',
  'NZ',
  'ZA',
  'AE',
];
const SOURCES = [
  'Webinar',
  'Trade show',
  'Website',
  'Paid search',
  'LinkedIn',
  'Referral',
  'Partner',
  'Cold outreach',
  'Content',
  'Event',
];
const STAGES: readonly [string, number][] = [
  ['new', 60],
  ['mql', 10],
  ['sal', 8],
  ['sql', 6],
  ['opportunity', 5],
  ['won', 3],
  ['lost', 4],
  ['recycled', 2],
  ['disqualified', 2],
];
const TAGS = [
  'vip',
  'q3',
  'event-2026',
  'partner',
  'churn-risk',
  'upsell',
  'newsletter',
  'beta',
  'enterprise',
  'smb',
  'apac',
  'emea',
  'do-not-call',
  'hot-account',
  'trial',
];
const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Nordics', 'DACH', 'Benelux'];
const ACTIVITY_TYPES = [
  'page_visit',
  'email_open',
  'email_click',
  'download',
  'webinar_registered',
  'webinar_attended',
  'form_fill',
  'video_watched',
];
const ASSETS = [
  '/',
  '/pricing',
  '/features',
  '/demo',
  '/blog/scoring-101',
  'Pricing guide',
  'ROI calculator',
  'Newsletter March',
  'Scoring 101 webinar',
  'Product tour',
];

function generate(db: Database.Database, leads: number, activities: number, seed = 7): Record<string, number> {
  const { rnd, pick } = seededPicker(seed);
  const stageTotal = STAGES.reduce((s, [, w]) => s + w, 0);
  const pickStage = (): string => {
    let r = rnd() * stageTotal;
    for (const [s, w] of STAGES) if ((r -= w) < 0) return s;
    return 'new';
  };
  const hasSla = leadTableColumns(db).has('sla_due_at');
  const t0 = performance.now();
  db.pragma('synchronous = OFF');
  const restoreExtras = dropLeadExtras(db, ['leads', 'owners']);
  const owners: { id: number; name: string }[] = [];
  db.transaction(() => {
    const ins = db.prepare('INSERT INTO owners (name, email, team, created_at) VALUES (?, ?, ?, 0)');
    for (let i = 0; i < 50; i++) {
      const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
      owners.push({
        id: Number(ins.run(name, `owner${i}@corp.test`, i % 2 ? 'EMEA' : 'Americas').lastInsertRowid),
        name,
      });
    }
  })();
  const companies = Array.from(
    { length: 8000 },
    (_, i) => `${pick(WORDS)} ${pick(WORDS)} ${SUFFIX[i % SUFFIX.length]}`,
  );
  // uid, the normalized email, then the standard fields in LEAD_FIELDS order (email first).
  const cols = [
    'uid',
    'email_norm',
    ...LEAD_FIELD_KEYS,
    'custom',
    'stage',
    'owner_id',
    'owner_name',
    'tags',
    'created_at',
    'updated_at',
    'last_activity_at',
    ...LEAD_SCORE_COLUMNS,
    ...(hasSla ? ['sla_due_at'] : []),
  ];
  const insLead = db.prepare(`INSERT INTO leads (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  // Custom values stored as the app stores them (custom-store.ts: by slot), so the grid's
  // custom-field paths and their indexes are the ones it uses on an imported workspace.
  // The encoder writes a new field's slot in the batch transaction that first uses it.
  const encodeCustom = customEncoder(db).encode;
  const BATCH = 50_000;
  for (let start = 0; start < leads; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(leads, start + BATCH); i++) {
        const first = rnd() < 0.03 ? null : pick(FIRST);
        const last = rnd() < 0.05 ? null : pick(LAST);
        const company = rnd() < 0.03 ? null : pick(companies);
        const domain = company
          ? `${company.split(' ')[0]!.toLowerCase()}${company.split(' ')[1]!.toLowerCase()}.com`
          : 'gmail.com';
        const email =
          rnd() < 0.02 ? null : `${(first ?? 'x').toLowerCase()}.${(last ?? 'y').toLowerCase()}.${i}@${domain}`;
        const fit = Math.floor(rnd() * 60);
        const eng = Math.floor(rnd() * rnd() * 60);
        const total = fit + eng;
        const scored = rnd() < 0.97;
        const grade = `${'DCBA'[Math.min(3, Math.floor(fit / 15))]}${4 - Math.min(3, Math.floor(eng / 15))}`;
        const segment = total >= 70 ? 'Hot' : total >= 40 ? 'Warm' : 'Cold';
        const stage = pickStage();
        const owner = rnd() < 0.7 ? pick(owners) : null;
        const created = NOW - Math.floor(rnd() * 730) * DAY - Math.floor(rnd() * DAY);
        const lastAct = rnd() < 0.06 ? null : NOW - Math.floor(rnd() * rnd() * 365 * DAY);
        const tags =
          rnd() < 0.2 ? JSON.stringify(rnd() < 0.5 ? [pick(TAGS)] : [...new Set([pick(TAGS), pick(TAGS)])]) : '[]';
        const custom =
          rnd() < 0.5 ? encodeCustom({ Region: pick(REGIONS), Budget: String(Math.floor(rnd() * 200) * 500) }) : '{}';
        const row: unknown[] = [
          `bench-${i}`,
          email,
          email,
          first,
          last,
          company,
          rnd() < 0.05 ? null : pick(TITLES),
          rnd() < 0.4 ? null : `+1 555 ${String(i).padStart(7, '0')}`,
          rnd() < 0.1 ? null : pick(INDUSTRIES),
          rnd() < 0.1 ? null : Math.floor(Math.exp(rnd() * 10)),
          rnd() < 0.04 ? null : pick(COUNTRIES),
          rnd() < 0.3 ? null : `City ${Math.floor(rnd() * 300)}`,
          company ? `https://${domain}` : null,
          pick(SOURCES),
          `Campaign ${Math.floor(rnd() * 60)}`,
          custom,
          stage,
          owner?.id ?? null,
          owner?.name ?? null,
          tags,
          created,
          created,
          lastAct,
          scored ? total : null,
          scored ? fit : null,
          scored ? eng : null,
          scored ? grade : null,
          scored ? segment : null,
          scored && total >= 70 ? 1 : 0,
          rnd() < 0.02 ? 'Competitor domain' : null,
          scored ? NOW - DAY : null,
        ];
        if (hasSla) row.push(stage === 'mql' || stage === 'sal' ? NOW + Math.floor((rnd() - 0.3) * 3 * DAY) : null);
        insLead.run(...row);
      }
    })();
  }
  const tLeads = performance.now();
  const insAct = db.prepare(
    'INSERT OR IGNORE INTO activities (lead_id, type, asset, occurred_at, duration_sec) VALUES (?, ?, ?, ?, ?)',
  );
  const per = activities / leads;
  let written = 0;
  for (let start = 1; start <= leads; start += BATCH) {
    db.transaction(() => {
      for (let id = start; id < Math.min(leads + 1, start + BATCH); id++) {
        const n = Math.floor(per) + (rnd() < per - Math.floor(per) ? 1 : 0);
        for (let k = 0; k < n; k++) {
          written += insAct.run(
            id,
            pick(ACTIVITY_TYPES),
            pick(ASSETS),
            NOW - Math.floor(rnd() * 365 * DAY) - k,
            rnd() < 0.2 ? Math.floor(rnd() * 600) : null,
          ).changes;
        }
      }
    })();
  }
  const tActs = performance.now();
  restoreExtras();
  const tIndex = performance.now();
  db.pragma('synchronous = NORMAL');
  return {
    'generate.leads_s': (tLeads - t0) / 1000,
    'generate.activities_s': (tActs - tLeads) / 1000,
    'generate.activities_written': written,
    'generate.indexes_and_search_s': (tIndex - tActs) / 1000,
  };
}

function dropStatistics(db: Database.Database): void {
  for (const table of ['sqlite_stat1', 'sqlite_stat4']) db.exec(`DROP TABLE IF EXISTS ${table}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Filter kinds the UI offers; `run` picks a different value per run (no cache hits). */
export const FILTER_KINDS: Record<string, (run: number) => { filters: LeadFilter[]; search?: string }> = {
  none: () => ({ filters: [] }),
  'contains.company': (r) => ({
    filters: [
      { column: 'company', op: 'contains', value: ['tech', 'data', 'soft', 'cloud', 'nova', 'labs', 'apex'][r % 7]! },
    ],
  }),
  'contains.title': (r) => ({
    filters: [
      {
        column: 'title',
        op: 'contains',
        value: ['manager', 'vp', 'engineer', 'director', 'head', 'lead', 'chief'][r % 7]!,
      },
    ],
  }),
  'in.stage': (r) => ({
    filters: [
      {
        column: 'stage',
        op: 'in',
        values: [
          ['mql', 'sal'],
          ['new'],
          ['sql', 'opportunity'],
          ['won', 'lost'],
          ['recycled'],
          ['mql'],
          ['sal', 'sql'],
        ][r % 7]!,
      },
    ],
  }),
  'in.country': (r) => ({
    filters: [
      {
        column: 'country',
        op: 'in',
        values: [['US'], ['DE', 'AT', 'CH'], ['FR'], ['GB', 'IE'], ['JP'], ['BR', 'AR'], ['IN']][r % 7]!,
      },
    ],
  }),
  'in.owner': (r) => ({
    filters: [{ column: 'owner_name', op: 'in', values: [`${FIRST[r % 40]} ${LAST[(r * 7) % 40]}`] }],
  }),
  'in.tag': (r) => ({ filters: [{ column: 'tags', op: 'in', values: [TAGS[r % TAGS.length]!] }] }),
  'chip.segment': (r) => ({
    filters: [{ column: 'segment', op: 'in', values: [['Hot'], ['Warm'], ['Cold']][r % 3]! }],
  }),
  'chip.mql': (r) => ({
    filters: [
      { column: 'is_mql', op: 'in', values: [1] },
      { column: 'score_total', op: 'range', min: 70 + r },
    ],
  }),
  'cell.grade': (r) => ({
    filters: [{ column: 'grade', op: 'in', values: [['A1'], ['B2'], ['C3'], ['D4'], ['A4'], ['D1'], ['B3']][r % 7]! }],
  }),
  'range.score': (r) => ({
    filters: [{ column: 'score_total', op: 'range', min: 10 * (r % 8), max: 10 * (r % 8) + 15 }],
  }),
  'date-range.last_activity': (r) => ({
    filters: [{ column: 'last_activity_at', op: 'date-range', from: NOW - (r + 1) * 20 * DAY, to: NOW - r * 20 * DAY }],
  }),
  'blank.title': (r) => ({ filters: [{ column: r % 2 ? 'title' : 'industry', op: 'blank' }] }),
  'not-blank.owner': (r) => ({ filters: [{ column: r % 2 ? 'owner_name' : 'phone', op: 'not-blank' }] }),
  'in.custom': (r) => ({ filters: [{ column: 'custom.Region', op: 'in', values: [REGIONS[r % REGIONS.length]!] }] }),
  search: (r) => ({
    filters: [],
    search: ['smith', 'garcia tech', 'müller', 'wang data', 'nova', 'kumar', 'silva cloud'][r % 7]!,
  }),
};

function timeQuery(db: Database.Database, input: Record<string, unknown>): { ms: number; total: number | null } {
  const args: LeadPageArgs = leadPageArgsSchema.parse(input);
  const t = performance.now();
  const page = leadsQuery(db, args);
  return { ms: performance.now() - t, total: page.total };
}

/**
 * Edits one lead's company size on the workspace connection, then times the first page
 * sorted by score read from a read connection that had its score store before the edit.
 */
function firstReadAfterEdit(db: Database.Database, leads: number): number {
  const reader = openReadConnection(db.name);
  try {
    followWritesOf(reader, db);
    const sorted = { sort: { column: 'score_total', dir: 'desc' }, limit: 100 };
    timeQuery(reader, sorted);
    const id = 1 + Math.floor(leads / 3);
    updateLead(db, id, { fields: { company_size: 4242 }, custom: {} }, NOW);
    return timeQuery(reader, sorted).ms;
  } finally {
    reader.close();
  }
}

export async function benchLeads(opts: {
  dir: string;
  leads: number;
  activities: number;
}): Promise<Record<string, number>> {
  mkdirSync(opts.dir, { recursive: true });
  const kept = process.env.LEADS_BENCH_DB;
  const reuse = kept !== undefined && kept !== '' && existsSync(kept);
  const db = openWorkspaceDb(kept || join(opts.dir, 'leads-bench.leadbench'), { create: true });
  const out: Record<string, number> = {};
  try {
    if (reuse) console.log(`  reusing the workspace ${kept} (LEADS_BENCH_DB)`);
    else Object.assign(out, generate(db, opts.leads, opts.activities));
    // The app never runs ANALYZE: measure the plans SQLite picks without statistics, as in a
    // user's workspace (a workspace kept from an older bench run may hold some).
    dropStatistics(db);
    out.leads = opts.leads;
    if (process.env.LEADS_BENCH_GEN_ONLY) return out;

    // Opening the grid: first page, newest first, with its count (cold: nothing cached).
    out['open.first_page_ms'] = timeQuery(db, { limit: 100 }).ms;
    let t = performance.now();
    leadCounts(db);
    out['open.counts_ms'] = performance.now() - t;
    out['scroll.page_at_middle_ms'] = timeQuery(db, {
      offset: Math.floor(opts.leads / 2),
      limit: 100,
      withTotal: false,
    }).ms;

    // Grid structures built on first use (migrations 0550, 0610): a workspace fresh from an
    // import has none of them. Time the first sort by company and the first quick search (each
    // builds its own), then build the rest, so every median below is steady state.
    t = performance.now();
    timeQuery(db, { sort: { column: 'company', dir: 'asc' } });
    out['first_use.sort_index_ms'] = performance.now() - t;
    t = performance.now();
    timeQuery(db, { search: 'garcia tech' });
    out['first_use.search_build_ms'] = performance.now() - t;
    t = performance.now();
    prepareAllGridStructures(db);
    out['first_use.all_the_rest_ms'] = performance.now() - t;
    out['scroll.page_at_middle_sorted_ms'] = timeQuery(db, {
      offset: Math.floor(opts.leads / 2),
      limit: 100,
      withTotal: false,
      sort: { column: 'company', dir: 'asc' },
    }).ms;
    // The last page, default order and sorted (deep pages skip their offset in an index).
    out['scroll.page_at_last_ms'] = timeQuery(db, { offset: opts.leads - 100, limit: 100, withTotal: false }).ms;
    out['scroll.page_at_last_sorted_ms'] = timeQuery(db, {
      offset: opts.leads - 100,
      limit: 100,
      withTotal: false,
      sort: { column: 'score_total', dir: 'desc' },
    }).ms;

    // The first grid read after an edit, as the app reads: from the read connection, which
    // keeps its own score store (patched from the edit's lead, not read again whole).
    out['edit.first_read_after_edit_ms'] = firstReadAfterEdit(db, opts.leads);

    // Custom field indexes are built on first use; time that once.
    t = performance.now();
    timeQuery(db, { sort: { column: 'custom.Region', dir: 'asc' } });
    out['custom_field.first_use_index_ms'] = performance.now() - t;

    // The index of a column a fresh grid hides is built on its first use (migration 0550,
    // kept from then on): time one such first sort.
    db.exec('DROP INDEX IF EXISTS leads_g_city');
    t = performance.now();
    timeQuery(db, { sort: { column: 'city', dir: 'asc' } });
    out['hidden_column.first_use_index_ms'] = performance.now() - t;

    const physical = leadTableColumns(db);
    const sortable = [
      ...LEAD_COLUMNS.filter(
        (c) => !UNSORTABLE_COLUMNS.has(c.key) && (c.key !== 'sla_due_at' || physical.has('sla_due_at')),
      ),
      { key: 'custom.Budget', kind: 'text' },
    ];
    t = performance.now();
    timeQuery(db, { sort: { column: 'custom.Budget', dir: 'asc' } });
    out['custom_field.first_use_index_ms'] = Math.max(out['custom_field.first_use_index_ms'], performance.now() - t);

    const perSort: Record<string, number> = {};
    const perFilter: Record<string, number> = {};
    const all: { key: string; ms: number }[] = [];
    let runCounter = 0;
    for (const col of sortable) {
      const dir = col.kind === 'number' || col.kind === 'date' || col.kind === 'bool' ? 'desc' : 'asc';
      for (const [kind, make] of Object.entries(FILTER_KINDS)) {
        const times: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const f = make(runCounter++);
          times.push(timeQuery(db, { ...f, sort: { column: col.key, dir }, limit: 100 }).ms);
        }
        const m = median(times);
        all.push({ key: `${col.key} ${dir} + ${kind}`, ms: m });
        perSort[col.key] = Math.max(perSort[col.key] ?? 0, m);
        perFilter[kind] = Math.max(perFilter[kind] ?? 0, m);
      }
    }
    for (const [k, v] of Object.entries(perSort)) out[`sort.${k}.worst_median_ms`] = v;
    for (const [k, v] of Object.entries(perFilter)) out[`filter.${k}.worst_median_ms`] = v;
    const medians = all.map((a) => a.ms);
    out['grid.combinations'] = all.length;
    out['grid.median_of_medians_ms'] = median(medians);
    out['grid.worst_median_ms'] = Math.max(...medians);
    out['grid.combinations_over_50ms'] = medians.filter((m) => m >= 50).length;
    const worst = [...all].sort((a, b) => b.ms - a.ms).slice(0, 8);
    console.log('  slowest sort + filter medians:');
    for (const w of worst) console.log(`    ${w.key.padEnd(60)} ${w.ms.toFixed(1)} ms`);
  } finally {
    db.close();
  }
  return out;
}
