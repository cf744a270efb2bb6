/** The "nothing here yet" panel: says what is missing and what to do next. */
import type { ReactNode } from 'react';
import { Icon } from './Icon';

export function EmptyState({
  icon,
  title,
  children,
  actions,
}: Readonly<{ icon: string; title: string; children?: ReactNode; actions?: ReactNode }>) {
  return (
    <div className="empty-state" role="status">
      <div className="empty-state__icon">
        <Icon name={icon} size={28} />
      </div>
      <h2>{title}</h2>
      {children ? <div className="empty-state__text">{children}</div> : null}
      {actions ? <div className="empty-state__actions">{actions}</div> : null}
    </div>
  );
}

/** An error panel that shows the backend's message and offers a retry. */
export function ErrorState({ message, onRetry }: Readonly<{ message: string; onRetry?: () => void }>) {
  return (
    <div className="error-state" role="alert">
      <strong>Something went wrong.</strong> {message}
      {onRetry ? (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
