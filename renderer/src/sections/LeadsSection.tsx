/** Leads section. The grid arrives with the leads-workspace work; until then it shows the first-run state. */
import type { WorkspaceInfo } from '../../../shared/contract';
import { FirstRun } from '../components/FirstRun';
import { SectionHeader } from '../components/SectionHeader';
import { formatCount } from '../format';
import type { SectionId } from '../sections';

export function LeadsSection({
  workspace,
  onNavigate,
}: Readonly<{ workspace: WorkspaceInfo | undefined; onNavigate: (id: SectionId) => void }>) {
  return (
    <section className="section">
      <SectionHeader
        title="Leads"
        subtitle={workspace ? `${formatCount(workspace.leadCount)} leads in ${workspace.name}` : undefined}
      />
      {workspace && workspace.leadCount === 0 ? <FirstRun onNavigate={onNavigate} /> : null}
    </section>
  );
}
