/** Leads section: the leads workspace grid, or the first-run state of an empty workspace. */
import type { WorkspaceInfo } from '../../../shared/contract';
import { FirstRun } from '../components/FirstRun';
import { ModelFitBanner, useModelFit, type ModelFitAction } from '../components/ModelFitBanner';
import { SectionHeader } from '../components/SectionHeader';
import { formatCount } from '../format';
import type { SectionId } from '../sections';
import { LeadsWorkspace } from './leads/LeadsWorkspace';

export function LeadsSection({
  workspace,
  onNavigate,
  onModelAction,
}: Readonly<{
  workspace: WorkspaceInfo | undefined;
  onNavigate: (id: SectionId) => void;
  /** The "model doesn't fit" banner's action, carried out in Scoring. */
  onModelAction: (action: ModelFitAction) => void;
}>) {
  const fit = useModelFit();
  return (
    <section className="section section--leads">
      <SectionHeader
        title="Leads"
        subtitle={workspace ? `${formatCount(workspace.leadCount)} leads in ${workspace.name}` : undefined}
      />
      {workspace && workspace.leadCount === 0 ? (
        <FirstRun onNavigate={onNavigate} />
      ) : workspace ? (
        <>
          <ModelFitBanner fit={fit} onAction={onModelAction} />
          <LeadsWorkspace />
        </>
      ) : null}
    </section>
  );
}
