/** The panel of the editor's current tab: rule tables, model settings, history or the lead tester. */
import type { ModelCheck, PublishResult } from '../../../../shared/contract';
import type { ModelIssue, ScoringModel } from '../../../../shared/scoring';
import type { EditorTab } from './draft';
import { LeadTester } from './LeadTester';
import { BandsPanel, DecayPanel, SettingsPanel } from './ModelPanels';
import { EngagementPanel, FitPanel, NegativePanel, SuppressionPanel } from './RulePanels';
import { VersionsPanel } from './VersionsPanel';
import type { FieldOption } from './words';

export type ExpandedRule = Readonly<{ tab: EditorTab; index: number }> | null;

export function EditorTabPanel({
  tab,
  modelId,
  modelName,
  draft,
  draftValid,
  published,
  check,
  issues,
  fields,
  expanded,
  hasDraft,
  onChange,
  onExpand,
  notify,
  onRestored,
  onCopyToDraft,
}: Readonly<{
  tab: EditorTab;
  modelId: number;
  modelName: string;
  draft: ScoringModel;
  draftValid: boolean;
  published: ScoringModel | null;
  check: ModelCheck | null;
  issues: readonly ModelIssue[];
  fields: readonly FieldOption[];
  expanded: ExpandedRule;
  hasDraft: boolean;
  onChange: (m: ScoringModel) => void;
  onExpand: (e: ExpandedRule) => void;
  notify: (kind: 'ok' | 'error', text: string) => void;
  onRestored: (r: PublishResult) => void;
  onCopyToDraft: (m: ScoringModel, version: number) => void;
}>) {
  const panelProps = (t: EditorTab) => ({
    model: draft,
    check,
    issues,
    fields,
    onChange,
    expanded: expanded?.tab === t ? expanded.index : null,
    onExpand: (index: number | null) => onExpand(index === null ? null : { tab: t, index }),
  });
  return (
    <div className="sc-tabpanel" role="tabpanel">
      {tab === 'fit' ? <FitPanel {...panelProps('fit')} /> : null}
      {tab === 'engagement' ? <EngagementPanel {...panelProps('engagement')} /> : null}
      {tab === 'negative' ? <NegativePanel {...panelProps('negative')} /> : null}
      {tab === 'suppression' ? <SuppressionPanel {...panelProps('suppression')} /> : null}
      {tab === 'decay' ? <DecayPanel model={draft} issues={issues} onChange={onChange} /> : null}
      {tab === 'bands' ? <BandsPanel model={draft} issues={issues} onChange={onChange} /> : null}
      {tab === 'settings' ? <SettingsPanel model={draft} issues={issues} onChange={onChange} fields={fields} /> : null}
      {tab === 'versions' ? (
        <VersionsPanel
          modelId={modelId}
          modelName={modelName}
          hasDraft={hasDraft}
          notify={notify}
          onRestored={onRestored}
          onCopyToDraft={onCopyToDraft}
        />
      ) : null}
      {tab === 'test' ? (
        <LeadTester modelId={modelId} draft={draft} draftValid={draftValid} published={published} />
      ) : null}
    </div>
  );
}
