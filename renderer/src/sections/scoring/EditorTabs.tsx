/** The editor's tab bar: each tab with its rule count and how many problems it holds. */
import type { ModelIssue, ScoringModel } from '../../../../shared/scoring';
import { issueTab, type EditorTab } from './draft';
import { EDITOR_TABS, tabRuleCount } from './editor-state';

export function EditorTabs({
  draft,
  issues,
  tab,
  onTab,
}: Readonly<{ draft: ScoringModel; issues: readonly ModelIssue[]; tab: EditorTab; onTab: (t: EditorTab) => void }>) {
  return (
    <div className="sc-tabs" role="tablist" aria-label="Model parts">
      {EDITOR_TABS.map((t) => {
        const problems = issues.filter((i) => issueTab(i) === t.id).length;
        const count = tabRuleCount(draft, t.id);
        return (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={`sc-tab${tab === t.id ? ' is-on' : ''}`}
            onClick={() => onTab(t.id)}
          >
            {t.label}
            {count !== null ? <span className="sc-tab__count">{count}</span> : null}
            {problems > 0 ? (
              <span className="sc-tab__issues" title={`${problems} problem(s)`}>
                {problems}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}
