/**
 * The one modal dialog of the app: backdrop, a title with a close button, Escape or a click
 * on the backdrop to close (not while `busy`: a running publish or restore finishes first),
 * focus moved inside on open and given back on close. Every dialog of the app uses it (popovers
 * such as the grid's column chooser are not dialogs of this kind).
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Modal({
  title,
  onClose,
  children,
  actions,
  wide = false,
  busy = false,
}: Readonly<{
  title: string;
  onClose: () => void;
  children: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
  busy?: boolean;
}>) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const closeRef = useRef(() => {
    if (!busy) onClose();
  });
  useEffect(() => {
    closeRef.current = () => {
      if (!busy) onClose();
    };
  });
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>(
      '[autofocus], .modal__body button, .modal__body input, .modal__body select, .modal__body textarea, .modal__actions button',
    );
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, []);
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={() => closeRef.current()}>
      <div
        ref={ref}
        className={`modal${wide ? ' modal--wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onMouseDown={(e) => e.stopPropagation()}
      >
        <div className="modal__head">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            className="modal__close"
            aria-label="Close dialog"
            title="Close"
            disabled={busy}
            onClick={() => closeRef.current()}
          >
            ×
          </button>
        </div>
        <div className="modal__body">{children}</div>
        {actions ? <div className="modal__actions">{actions}</div> : null}
      </div>
    </div>
  );
}
