import { useState, type ReactNode } from 'react';

/**
 * A button for a destructive action that asks first: the first click shows the question with
 * "Confirm" and "Cancel" buttons (test ids `<testId>` and `<testId>-confirm`).
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel,
  onConfirm,
  testId,
  danger = false,
  disabled = false,
}: {
  children: ReactNode;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  testId: string;
  danger?: boolean;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={`btn ${danger ? 'btn-danger-outline' : ''}`}
        onClick={() => setAsking(true)}
        data-testid={testId}
        disabled={disabled}
      >
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
        data-testid={`${testId}-confirm`}
        disabled={busy}
        autoFocus
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="btn" onClick={() => setAsking(false)} data-testid={`${testId}-cancel`}>
        Cancel
      </button>
    </span>
  );
}
