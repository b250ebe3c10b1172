import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/http.js';
import { Notice } from './Notice.js';

export interface AuthField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autoComplete: string;
  required?: boolean;
  hint?: string;
}

/**
 * The one sign-in/sign-up form: a card with a title, fields, an error line and a submit
 * button. `onSubmit` gets the values and throws an ApiError (with `field`) on failure.
 * Test ids: `<testPrefix>-<field>`, `<testPrefix>-submit`, `<testPrefix>-error`.
 */
export function AuthForm({
  title,
  intro,
  fields,
  submitLabel,
  busyLabel,
  testPrefix,
  validate,
  onSubmit,
  footer,
}: {
  title: string;
  intro: ReactNode;
  fields: AuthField[];
  submitLabel: string;
  busyLabel: string;
  testPrefix: string;
  validate?: (values: Record<string, string>) => { message: string; field?: string } | null;
  onSubmit: (values: Record<string, string>) => Promise<void>;
  footer: ReactNode;
}) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, ''])));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = validate?.(values) ?? null;
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, field: err.field } : { message: `${submitLabel} failed` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-page" id="main">
      <form className="card auth-card" onSubmit={submit} aria-labelledby={`${testPrefix}-title`} noValidate>
        <h1 id={`${testPrefix}-title`}>{title}</h1>
        <p className="muted">{intro}</p>
        {error && (
          <Notice kind="error" testId={`${testPrefix}-error`}>
            {error.message}
          </Notice>
        )}
        {fields.map((f) => (
          <FieldInput
            key={f.name}
            field={f}
            id={`${testPrefix}-${f.name}`}
            value={values[f.name] ?? ''}
            invalid={error?.field === f.name}
            onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
          />
        ))}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid={`${testPrefix}-submit`}>
          {busy ? busyLabel : submitLabel}
        </button>
        <p className="muted center">{footer}</p>
      </form>
    </main>
  );
}

function FieldInput({
  field,
  id,
  value,
  invalid,
  onChange,
}: {
  field: AuthField;
  id: string;
  value: string;
  invalid: boolean;
  onChange: (v: string) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{field.label}</label>
      <input
        id={id}
        type={field.type ?? 'text'}
        autoComplete={field.autoComplete}
        required={field.required}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={field.hint ? `${id}-hint` : undefined}
        data-testid={id}
      />
      {field.hint && (
        <span id={`${id}-hint`} className="hint">
          {field.hint}
        </span>
      )}
    </>
  );
}
