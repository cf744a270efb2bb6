/**
 * Outcomes: what happened to a lead in the end. A spreadsheet column can carry it (X
 * Education's `Converted` 0/1, a CRM's "Status" won/lost); the import maps one column as the
 * outcome with the values that count as won. Every other non-blank value is lost, unless the
 * mapping also names the lost values: then a value that is neither (a pipeline's "Engaging",
 * "Prospecting") leaves the lead open. A blank (or a placeholder like "Select") leaves it open. Outcomes become the Won and Lost
 * stages, and learning and model health read them back from the stage: won = 1, lost or
 * disqualified = 0, any other stage = still open.
 */
import { z } from 'zod';

/** The import settings that map a column as the outcome. */
export const outcomeMappingSchema = z
  .object({
    /** The column (header) holding the outcome. */
    column: z.string().trim().min(1).max(1000),
    /** Values that mean won (case-insensitive, trimmed); every other non-blank value is lost. */
    won: z.array(z.string().trim().min(1).max(1000)).min(1).max(100),
    /**
     * Values that mean lost. Given, every value that is neither won nor lost stays open (a CRM
     * pipeline's stages in between; empty: only won values close a lead); omitted, every
     * non-won value is lost (a 0/1 flag).
     */
    lost: z.array(z.string().trim().min(1).max(1000)).max(100).optional(),
    /** Optional column with the date the outcome was decided (stage history is dated from it). */
    dateColumn: z.string().trim().min(1).max(1000).optional(),
    /** Optional column with the deal value (kept with the outcome). */
    valueColumn: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

export type OutcomeMapping = z.infer<typeof outcomeMappingSchema>;

export type Outcome = 'won' | 'lost';

/** Stages that close a lead as lost for learning and model health (disqualified counts as lost). */
export const LOST_STAGES: readonly string[] = ['lost', 'disqualified'];

/** A lead's outcome from its stage: 1 won, 0 lost, null still open. */
export function stageOutcome(stage: string): 1 | 0 | null {
  if (stage === 'won') return 1;
  return LOST_STAGES.includes(stage) ? 0 : null;
}

function listsValue(values: readonly string[], v: string): boolean {
  return values.some((w) => w.trim().toLowerCase() === v);
}

/**
 * Classifies one outcome cell. `blanks` are values meaning "not chosen" (lower-cased), so a
 * placeholder never closes a lead as lost; with `lost` given, only those values close it as lost.
 */
export function classifyOutcome(
  raw: string | null | undefined,
  mapping: Pick<OutcomeMapping, 'won' | 'lost'>,
  blanks: ReadonlySet<string> = new Set(),
): Outcome | null {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || blanks.has(v)) return null;
  if (listsValue(mapping.won, v)) return 'won';
  if (!mapping.lost) return 'lost';
  return listsValue(mapping.lost, v) ? 'lost' : null;
}

/** Parses the CLI's `--outcome-lost LOST[|LOST...]`; null when no value is named. */
export function parseOutcomeValues(text: string): string[] | null {
  const values = text
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : null;
}

/**
 * Parses the CLI's `--outcome COLUMN=WON[|WON...]` ("Converted=1", "y=yes|maybe"). The last
 * '=' splits, so a column name may itself contain '='.
 */
export function parseOutcomeArgument(text: string): Readonly<{ column: string; won: string[] }> | null {
  const at = text.lastIndexOf('=');
  if (at <= 0) return null;
  const column = text.slice(0, at).trim();
  const won = parseOutcomeValues(text.slice(at + 1));
  return column && won ? { column, won } : null;
}
