/**
 * What each follow-up figure means, written once. The reports (backend SQL), the screens
 * (labels and hover text), the CSV exports and the CLI all take their wording and their
 * rules from here, so "MQL" on the Leads screen and "MQL" in the funnel can never be read
 * as the same number when they are not. README.md ("Reports: what each number means")
 * says the same in prose.
 */

/**
 * "MQL now": open leads (in a stage not marked closed: not Won, Lost or Disqualified) whose
 * current primary-model score qualifies them (leads.is_mql; suppressed leads never do). A
 * closed lead whose score still qualifies is not counted: it waits for no one. This is what
 * the Leads screen's MQL chip counts and lists (electron/backend/services/leads/mql-now.ts);
 * it changes with every rescore and stage move.
 */
export const MQL_NOW = {
  label: 'MQL now (open leads, by score)',
  short: 'MQL now',
  caption: 'open leads',
  help: 'Open leads whose current score meets the MQL threshold. Won, lost and disqualified leads are not counted, whatever their score. Changes with every rescore and stage move; the funnel counts leads that ever reached the MQL stage instead.',
} as const;

/**
 * The segment chips (Hot, Warm, Cold): leads whose current score under the primary model
 * puts them in that band. A lead that model has no score for has no segment: a lead closed
 * in this workspace before the model was published (it keeps the score it closed with and
 * is not rescored; a lead that arrived closed from an import is, see
 * electron/backend/services/scoring/closed-scores.ts) or one outside the leads the model
 * applies to. Then the chips add up to less
 * than "All leads", and they say they count scored leads.
 */
export const SEGMENT_COUNTS = {
  caption: 'scored leads',
  help: 'Leads whose current score under the primary model puts them in this segment. Leads it has no score for (closed in this workspace before it was published, or outside the leads it applies to) have no segment, so the segments can add up to less than All leads.',
} as const;

/**
 * Grades and segments of closed leads, two figures that must not be confused: the Leads
 * screen's grade grid counts every lead by its stored score under the primary model; Model
 * health (Reports > Model, `leadbench report model`) counts the closed leads by the score the
 * measured model gives each as it stood when it closed. A lead that arrived closed from an
 * import is stored with exactly that score, so for it both say the same; a lead closed in
 * this workspace keeps the score it closed with in the grid.
 */
export const STORED_GRADES = {
  help: 'Leads by their stored score under the primary model. Leads closed in this workspace keep the score they closed with; leads that arrived closed from an import carry the published model’s score as they stood when they closed.',
} as const;

export const CLOSED_GRADES = {
  caption:
    'Closed leads, each scored by this model as it stood when it closed. For leads that arrived closed from an import this is the score the Leads screen shows; leads closed in this workspace show there the score they closed with.',
} as const;

/**
 * "Reached MQL": leads whose stage history ever entered MQL or a later funnel stage, the
 * funnel's MQL step. A lead keeps counting after it moves on (or is lost).
 */
export const REACHED_MQL = {
  label: 'Reached MQL (ever)',
  help: 'Leads whose stage history reached MQL or a later step, whatever their stage or score is now.',
} as const;

/**
 * The funnel steps after "all leads", in lifecycle order. A lead counts for a step when its
 * stage history reached that step or a later one: its current stage, every stage it moved
 * into and every stage it moved out of. Lost, Disqualified and Recycled are exits, not
 * steps: a lead lost from MQL counts for MQL only, never for Opportunity.
 */
export const FUNNEL_STAGE_RANK: Readonly<Record<string, number>> = {
  mql: 1,
  sal: 2,
  sql: 3,
  opportunity: 4,
  won: 5,
};

export const FUNNEL_HELP =
  'Each step counts the leads whose stage history reached it or a later step. Lost, Disqualified and Recycled are exits: a lead lost from MQL counts for MQL only.';

/**
 * "Met SLA": a first attempt (any logged attempt, "No answer" included) at or before the
 * due time of the lead's policy clock. Only leads that had a clock count (it starts when a
 * lead enters MQL through the app; history backfilled from a file starts none). A lead whose
 * follow-up was closed (moved on, dispositioned) before its due time without any attempt
 * did not meet the SLA and did not miss it: it is counted apart and left out of compliance.
 */
export const SLA_MET = {
  label: 'Met SLA',
  help: 'First attempt logged within the policy time. Counts only leads that had an SLA clock (entered MQL in the app).',
} as const;

export const SLA_COMPLIANCE_HELP =
  'Met ÷ (met + breached + overdue). Leads closed before their due time without an attempt, and leads still inside their time, are left out.';

/** Which date a report's period filter reads. */
export const DATE_BASES = ['created', 'imported'] as const;
export type DateBasis = (typeof DATE_BASES)[number];

export const DATE_BASIS_LABELS: Readonly<Record<DateBasis, string>> = {
  created: 'Lead created date',
  imported: 'Import date',
};

export const DATE_BASIS_HELP: Readonly<Record<DateBasis, string>> = {
  created:
    'Periods use each lead\'s created date from its file (a column mapped to "Lead created date"), else the date it was imported.',
  imported: 'Periods use the date each lead was first imported.',
};

export const DEFAULT_DATE_BASIS: DateBasis = 'created';
