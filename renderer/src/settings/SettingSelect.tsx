/**
 * A setting chosen from a list: the choice shows at once and is saved; if the core refuses it,
 * the saved value comes back and the error goes to `onError` (the section shows it).
 */
import { type ReactNode, useId, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';

export interface SettingChoice<T> {
  readonly value: T;
  readonly label: string;
}

export function SettingSelect<T extends string | number>({
  label,
  saved,
  choices,
  save,
  onError,
  hint,
}: {
  label: string;
  /** The value as saved; null while it is unknown (the select is then disabled). */
  saved: T | null;
  choices: readonly SettingChoice<T>[];
  save: (next: T) => Promise<Result<unknown>>;
  onError: (error: ErrorInfo | null) => void;
  /** A line under the select that describes it. */
  hint?: ReactNode;
}) {
  const [choosing, setChoosing] = useState<T | null>(null);
  const selectId = useId();
  const hintId = useId();
  const value = choosing ?? saved;
  return (
    <div className="field">
      <label className="field__label" htmlFor={selectId}>
        {label}
      </label>
      <select
        id={selectId}
        className="field__input field__select"
        aria-describedby={hint ? hintId : undefined}
        value={value ?? ''}
        disabled={value === null}
        onChange={async (event) => {
          const next = choices.find((c) => String(c.value) === event.target.value)?.value;
          if (next === undefined) return;
          onError(null);
          setChoosing(next);
          const result = await save(next);
          setChoosing(null);
          if (!result.ok) onError(result.error);
        }}
      >
        {value === null && <option value="">Unavailable</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
