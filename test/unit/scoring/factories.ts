/** Test factories: a blank lead, activities by age, and a minimal model to add rules to. */
import type { Activity, ActivityType, Lead } from '../../../shared/domain';
import type { ScoringModel } from '../../../shared/scoring';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 3, 1, 12);

/** What makes makeLead's lead a person (name, email, company, dates), blanked: a lead known by nothing but its data. */
export const BLANK_PERSON = {
  email: null,
  first_name: null,
  last_name: null,
  company: null,
  created_at: 0,
  updated_at: 0,
} as const satisfies Partial<Lead>;

export function makeLead(over: Partial<Lead> = {}): Lead {
  return {
    id: 1,
    uid: 'L1',
    email: 'ann@acme.com',
    first_name: 'Ann',
    last_name: 'Lee',
    company: 'Acme',
    title: null,
    phone: null,
    industry: null,
    company_size: null,
    country: null,
    city: null,
    website: null,
    source: null,
    campaign: null,
    custom: {},
    stage: 'new',
    owner_id: null,
    tags: [],
    manual_suppression: null,
    created_at: NOW - 10 * DAY,
    updated_at: NOW - 10 * DAY,
    ...over,
  };
}

let nextId = 1;

/** An activity `daysAgo` days before NOW. */
export function act(type: ActivityType, asset = '', daysAgo = 1, duration: number | null = null, leadId = 1): Activity {
  return { id: nextId++, lead_id: leadId, type, asset, occurred_at: NOW - daysAgo * DAY, duration_sec: duration };
}

/** A valid model without rules, decay or suppression; bands easy to reason about. */
export function baseModel(over: Partial<ScoringModel> = {}): ScoringModel {
  return {
    schemaVersion: 1,
    name: 'Test',
    fit: [],
    engagement: [],
    negative: [],
    suppression: { rules: [], emails: [], domains: [] },
    decay: {},
    grades: { fit: { A: 30, B: 20, C: 10 }, engagement: { '1': 30, '2': 20, '3': 10 } },
    segments: {
      basis: 'total',
      bands: [
        { key: 'hot', label: 'Hot', min: 50 },
        { key: 'warm', label: 'Warm', min: 20 },
        { key: 'cold', label: 'Cold' },
      ],
    },
    mql: { threshold: 50 },
    ...over,
  };
}

/** Sum of a ledger's points. */
export function ledgerSum(ledger: readonly { points: number }[]): number {
  return ledger.reduce((s, e) => s + e.points, 0);
}
