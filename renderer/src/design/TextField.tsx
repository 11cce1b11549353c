/** A labelled input with its hint and error tied to it for screen readers. */
import { type InputHTMLAttributes, type Ref, useId } from 'react';
import type { ErrorInfo } from '../../../shared/errors';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  readonly label: string;
  readonly hint?: string;
  /** A sentence from local checks, or an error from the core (shown with its code). */
  readonly error?: string | ErrorInfo | null;
  readonly ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, hint, error, ref, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        ref={ref}
        id={id}
        className="field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {error && (
        <p className="field__error" id={errorId}>
          {typeof error === 'string' ? (
            error
          ) : (
            <>
              {error.message}
              <span className="field__error-code">{error.code}</span>
            </>
          )}
        </p>
      )}
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
