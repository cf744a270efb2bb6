/** The title row of a section, with optional actions on the right. */
import type { ReactNode } from 'react';

export function SectionHeader({
  title,
  subtitle,
  actions,
}: Readonly<{ title: string; subtitle?: ReactNode; actions?: ReactNode }>) {
  return (
    <header className="section-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="section-header__subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="section-header__actions">{actions}</div> : null}
    </header>
  );
}
