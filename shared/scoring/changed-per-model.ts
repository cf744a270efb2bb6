/**
 * A full rescore's changed scores per model (RescoreOutcome.changedByModel) in words, one
 * wording for the Scoring screen's notice and `leadbench score`: the model the rescore was
 * for first, `812 under "Learned", 0 under "Default"`. Publishing a model that is not primary
 * changes only its own scores, so the primary's number alone would say 0.
 */
import type { RescoreOutcome } from '../contract/scoring';

const count = new Intl.NumberFormat('en-US');

export function changedPerModel(
  outcome: Pick<RescoreOutcome, 'changedByModel'>,
  firstModelId: number | null,
  models: readonly Readonly<{ id: number; name: string }>[],
  /** The screen's number format (the user's locale); the command line's by default. */
  format: (n: number) => string = (n) => count.format(n),
): string {
  const name = (id: number) => models.find((m) => m.id === id)?.name ?? `model ${id}`;
  return [...outcome.changedByModel]
    .sort((a, b) => Number(b.modelId === firstModelId) - Number(a.modelId === firstModelId))
    .map((m) => `${format(m.changed)} under "${name(m.modelId)}"`)
    .join(', ');
}

/** What a changed score is, for the notice's hover text. */
export const CHANGED_SCORES_HELP =
  'Leads whose total, grade, segment or MQL changed under each model (each gets a score history entry).';
