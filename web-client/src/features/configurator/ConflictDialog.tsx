import { useEffect, useRef } from 'react';
import { describeFix, type NameBook } from '../../lib/conflict';
import type { ApiError } from '../../lib/errors';

/** ConflictDialog proposes the server's fix for an unavailable choice and applies it on confirm. */
export function ConflictDialog(props: {
  choice: string;
  error: ApiError;
  names: NameBook;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const previous = useRef<Element | null>(null);
  useEffect(() => {
    previous.current = document.activeElement;
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (previous.current instanceof HTMLElement) previous.current.focus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const reasons = [...new Set(props.error.reasons.map((r) => r.message))];
  return (
    <div className="backdrop" onClick={props.onCancel}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="conflict-title"
        aria-describedby="conflict-fix"
        data-testid="conflict-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // Keep Tab inside the dialog.
          if (e.key !== 'Tab') return;
          const focusables = e.currentTarget.querySelectorAll<HTMLElement>('button');
          const first = focusables[0];
          const last = focusables[focusables.length - 1];
          if (e.shiftKey && document.activeElement === first) {
            e.preventDefault();
            last.focus();
          } else if (!e.shiftKey && document.activeElement === last) {
            e.preventDefault();
            first.focus();
          }
        }}
      >
        <p className="eyebrow">A small change is needed</p>
        <h2 id="conflict-title">{props.choice}</h2>
        {reasons.length ? (
          <ul className="reasons">
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : null}
        <p id="conflict-fix" className="fix" data-testid="conflict-fix">
          {describeFix(props.error.fix, props.names)}
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={props.onCancel}>
            Keep my choices
          </button>
          <button
            ref={confirmRef}
            type="button"
            className="btn btn-primary"
            aria-disabled={props.busy || undefined}
            onClick={() => !props.busy && props.onConfirm()}
            data-testid="conflict-confirm"
          >
            Apply the change
          </button>
        </div>
      </div>
    </div>
  );
}
