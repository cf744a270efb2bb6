/**
 * "The model doesn't fit your data": shown on the Leads and Scoring screens when the primary
 * model leaves 95% or more of the leads at 0 points (computed once, in the backend's
 * model-fit; leads closed here that keep an older version's score are not counted). It offers to learn a model from outcomes when enough leads are closed, else
 * to start a model from the workspace's own columns.
 */
import type { ModelFit } from '../../../shared/contract';
import { useApi } from '../api';
import { formatCount } from '../format';

export type ModelFitAction = 'suggest' | 'starter';

const pct = (x: number): string => `${Math.floor(x * 100)}%`;

function explanation(f: ModelFit): string {
  const share =
    f.atZero === f.leads
      ? `It gives every one of your ${formatCount(f.leads)} leads 0 points`
      : `It gives ${pct(f.shareAtZero)} of your leads (${formatCount(f.atZero)} of ${formatCount(f.leads)}) 0 points`;
  const next = f.canLearn
    ? `${formatCount(f.closedLeads)} leads are closed as won or lost: Leadbench can learn a model from what converted.`
    : `Too few leads are closed as won or lost to learn from (${formatCount(f.closedLeads)}; at least 100 are needed), so start from your own columns and give points to the values that matter.`;
  // Leads closed here under an older model keep that score: they are not this model's verdict.
  const left =
    f.frozenOlder > 0
      ? ` (Not counted: ${formatCount(f.frozenOlder)} leads closed in this workspace that keep the score an older version gave them.)`
      : '';
  return `${share}: the fields it scores are missing or empty in your data.${left} ${next}`;
}

/** The backend's verdict on the primary model, kept fresh as leads, imports, scores and models change. */
export function useModelFit(): ModelFit | undefined {
  return useApi('model-fit', {}, { refreshOn: ['leads', 'imports', 'scores', 'models'] }).data;
}

/** True when the banner is up and its action is "Suggest a model from outcomes…". */
export const bannerOffersSuggest = (f: ModelFit | undefined): boolean => f?.misfit === true && f.canLearn;

export function ModelFitBanner({
  fit: f,
  onAction,
}: Readonly<{ fit: ModelFit | undefined; onAction: (action: ModelFitAction) => void }>) {
  if (!f?.misfit) return null;
  return (
    <div className="fit-banner" role="status" data-testid="model-fit-banner">
      <div className="fit-banner__text">
        <strong>
          {f.modelName
            ? `The scoring model "${f.modelName}" doesn't fit your data.`
            : 'No scoring model fits your data.'}
        </strong>{' '}
        {explanation(f)}
      </div>
      <button
        type="button"
        className="btn btn--primary fit-banner__action"
        onClick={() => onAction(f.canLearn ? 'suggest' : 'starter')}
      >
        {f.canLearn ? 'Suggest a model from outcomes…' : 'Start a model from your columns'}
      </button>
    </div>
  );
}
