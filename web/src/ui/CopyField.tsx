import { CopyButton } from './CopyButton.js';

/** A labelled read-only value (a link, a command) with a Copy button; selects itself on focus. */
export function CopyField({ id, label, value, testId }: { id: string; label: string; value: string; testId?: string }) {
  return (
    <div className="link-row">
      <label htmlFor={id}>{label}</label>
      <div className="copy-input">
        <input id={id} readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={value} label="Copy" />
      </div>
    </div>
  );
}
