/**
 * The model editor's plain logic, apart from its components: the tabs, how many rules each
 * holds, the words for the draft's save state, where an issue lives, and a model's file name.
 */
import type { ModelCheck, ModelCheckProblem } from '../../../../shared/contract';
import type { ModelIssue, ScoringModel } from '../../../../shared/scoring';
import { issueTab, type EditorTab } from './draft';

export type SaveState = 'clean' | 'pending' | 'saving' | 'saved' | 'error';

export const EDITOR_TABS: readonly Readonly<{ id: EditorTab; label: string }>[] = [
  { id: 'fit', label: 'Fit' },
  { id: 'engagement', label: 'Engagement' },
  { id: 'negative', label: 'Negative' },
  { id: 'suppression', label: 'Suppression' },
  { id: 'decay', label: 'Decay' },
  { id: 'bands', label: 'Segments' },
  { id: 'settings', label: 'Model' },
  { id: 'versions', label: 'History' },
  { id: 'test', label: 'Test a lead' },
];

/** Tabs that list rules (each row can be expanded to edit it). */
export type RuleTab = 'fit' | 'engagement' | 'negative' | 'suppression';

export function isRuleTab(t: EditorTab): t is RuleTab {
  return t === 'fit' || t === 'engagement' || t === 'negative' || t === 'suppression';
}

/** How many rules a tab holds (shown beside its name), or null for tabs without rules. */
export function tabRuleCount(draft: ScoringModel, tab: EditorTab): number | null {
  switch (tab) {
    case 'fit':
      return draft.fit.length;
    case 'engagement':
      return draft.engagement.length + (draft.fieldEngagement?.length ?? 0);
    case 'negative':
      return draft.negative.length;
    case 'suppression':
      return draft.suppression.rules.length;
    default:
      return null;
  }
}

/** The save-state label beside the model's name. */
export function saveStateWords(state: SaveState, publishedVersion: number | null): string {
  switch (state) {
    case 'clean':
      return publishedVersion ? `Version ${publishedVersion} · no draft` : 'Not published';
    case 'pending':
      return 'Unsaved changes…';
    case 'saving':
      return 'Saving draft…';
    case 'saved':
      return 'Draft saved';
    case 'error':
      return 'Draft not saved';
  }
}

/**
 * The tab an issue is shown on, and the rule row to open when it is about one rule. Field
 * engagement rules follow the activity rules on the engagement tab, so their rows count on
 * from `model`'s engagement rules.
 */
export function issueTarget(
  i: ModelIssue,
  model?: Pick<ScoringModel, 'engagement'>,
): Readonly<{ tab: EditorTab; index: number | null }> {
  const tab = issueTab(i);
  const idx = tab === 'suppression' ? i.path[2] : i.path[1];
  const offset = i.path[0] === 'fieldEngagement' ? (model?.engagement.length ?? 0) : 0;
  return { tab, index: isRuleTab(tab) && typeof idx === 'number' ? idx + offset : null };
}

/** A safe file name for an exported model ("Q3 / EMEA" -> "Q3 - EMEA.json"), or for one of its versions ("Q3 - EMEA-v2.json"). */
export function modelFileName(name: string, version?: number): string {
  const base = name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'model';
  return version === undefined ? `${base}.json` : `${base}-v${version}.json`;
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.every((k, i) => path[i] === k);
}

/** How many leads the rule at `path` matches now, or null when the check has no count for it. */
export function ruleMatches(check: ModelCheck | null, path: readonly (string | number)[]): number | null {
  const r = check?.rules.find((x) => x.path.length === path.length && startsWith(x.path, path));
  return r ? r.matches : null;
}

/** The workspace check's problems about the rule at `path` (shown as warnings in the editor). */
export function ruleWarnings(check: ModelCheck | null, path: readonly (string | number)[]): ModelCheckProblem[] {
  return check ? check.problems.filter((p) => startsWith(p.path, path)) : [];
}
