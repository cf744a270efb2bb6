/**
 * The banner under the editor's head: the draft's problems (each a link to where it is), or
 * a reminder that leads are still scored with the published version until this draft is.
 */
import type { ModelIssue } from '../../../../shared/scoring';
import { ScIcon } from './controls';

const SHOWN_ISSUES = 4;

export function DraftIssuesBanner({
  issues,
  onGoTo,
}: Readonly<{ issues: readonly ModelIssue[]; onGoTo: (i: ModelIssue) => void }>) {
  return (
    <div className="sc-banner sc-banner--error" role="alert" data-testid="draft-issues">
      <ScIcon name="alert" />
      <div>
        <strong>
          {issues.length === 1 ? '1 problem' : `${issues.length} problems`} to fix before you can preview or publish
        </strong>
        <ul>
          {issues.slice(0, SHOWN_ISSUES).map((i, n) => (
            <li key={n}>
              <button type="button" className="sc-link" onClick={() => onGoTo(i)}>
                {i.message}
              </button>
            </li>
          ))}
          {issues.length > SHOWN_ISSUES ? <li className="muted">and {issues.length - SHOWN_ISSUES} more</li> : null}
        </ul>
      </div>
    </div>
  );
}

export function DraftDiffersBanner({
  publishedVersion,
  onPreview,
}: Readonly<{ publishedVersion: number; onPreview: () => void }>) {
  return (
    <div className="sc-banner">
      <ScIcon name="edit" />
      <span>
        This draft differs from version {publishedVersion}. Leads are still scored with version {publishedVersion} until
        you publish.
      </span>
      <button type="button" className="btn btn--small" onClick={onPreview}>
        Preview impact
      </button>
    </div>
  );
}
