import { useState } from 'react';
import { CopyButton } from './CopyButton.js';

/**
 * A masked value fetched only when the user asks ("Reveal"). `value` may be handed in by the
 * parent (e.g. right after a reset) to show the new secret at once.
 */
export function SecretField({
  label,
  reveal,
  value,
  onValue,
  testId,
}: {
  label: string;
  reveal: () => Promise<string>;
  value: string | null;
  onValue: (value: string | null) => void;
  testId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    if (value !== null) return onValue(null);
    setBusy(true);
    setError(null);
    try {
      onValue(await reveal());
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not reveal');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field-row">
      <span className="field-label">{label}</span>
      <span className="field-value">
        <code className="mono" data-testid={testId} aria-live="polite">
          {value ?? '•'.repeat(24)}
        </code>
        <span className="field-actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={toggle}
            disabled={busy}
            data-testid={`${testId}-reveal`}
            aria-pressed={value !== null}
          >
            {value !== null ? 'Hide' : busy ? 'Revealing…' : 'Reveal'}
          </button>
          {value !== null && <CopyButton text={value} testId={`${testId}-copy`} />}
        </span>
      </span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
