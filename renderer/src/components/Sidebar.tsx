/**
 * Left navigation: the sections, with keyboard shortcuts shown on hover. In a browser, where
 * there is no native menu bar, the File menu's commands are listed here too.
 */
import type { MenuCommand } from '../../../shared/contract';
import { MENU_COMMANDS, MENU_LABELS } from '../../../shared/menu';
import { useState } from 'react';
import { SECTIONS, type SectionId } from '../sections';
import { Icon } from './Icon';

export function Sidebar({
  current,
  onSelect,
  workspaceName,
  onMenuCommand,
}: Readonly<{
  current: SectionId;
  onSelect: (id: SectionId) => void;
  workspaceName: string;
  /** Set where no native menu exists: the File commands appear in the sidebar. */
  onMenuCommand?: ((command: MenuCommand) => void) | undefined;
}>) {
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
      {onMenuCommand && <FileMenu onCommand={onMenuCommand} />}
      <div className="sidebar__workspace" title="Current workspace">
        <Icon name="database" size={16} />
        <span data-testid="sidebar-workspace">{workspaceName}</span>
      </div>
    </nav>
  );
}

/** The File menu's screen commands, for a browser (no native menu bar); Import is a section already. */
function FileMenu({ onCommand }: Readonly<{ onCommand: (command: MenuCommand) => void }>) {
  const [open, setOpen] = useState(false);
  return (
    <div
      className="sidebar__file"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      {open && (
        <ul className="sidebar__list sidebar__menu" role="menu" aria-label="File">
          {MENU_COMMANDS.filter((c) => c !== 'import').map((command) => (
            <li key={command} role="none">
              <button
                type="button"
                role="menuitem"
                className="sidebar__item sidebar__item--small"
                onClick={() => {
                  setOpen(false);
                  onCommand(command);
                }}
              >
                {MENU_LABELS[command]}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="sidebar__item sidebar__item--small"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        File
      </button>
    </div>
  );
}
