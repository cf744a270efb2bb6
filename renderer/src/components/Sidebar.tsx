/** Left navigation: the sections, with keyboard shortcuts shown on hover. */
import { SECTIONS, type SectionId } from '../sections';
import { Icon } from './Icon';

export function Sidebar({
  current,
  onSelect,
  workspaceName,
}: Readonly<{ current: SectionId; onSelect: (id: SectionId) => void; workspaceName: string }>) {
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden="true">
          L
        </span>
        <span>Leadbench</span>
      </div>
      <ul className="sidebar__list">
        {SECTIONS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className={`sidebar__item${s.id === current ? ' is-active' : ''}`}
              aria-current={s.id === current ? 'page' : undefined}
              title={`${s.label} (Ctrl+${s.shortcut})`}
              onClick={() => onSelect(s.id)}
            >
              <Icon name={s.id} />
              <span>{s.label}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar__workspace" title="Current workspace">
        <Icon name="database" size={16} />
        <span data-testid="sidebar-workspace">{workspaceName}</span>
      </div>
    </nav>
  );
}
