import { useId, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';

const CHOICES = [
  { minutes: 0, label: 'Never' },
  { minutes: 1, label: 'After 1 minute' },
  { minutes: 5, label: 'After 5 minutes' },
  { minutes: 15, label: 'After 15 minutes' },
  { minutes: 30, label: 'After 30 minutes' },
  { minutes: 60, label: 'After 1 hour' },
  { minutes: 240, label: 'After 4 hours' },
] as const;

/** Auto-lock after inactivity, and locking right now. */
export function SecuritySection() {
  const actions = useActions();
  const saved = useParley((s) => s.settings?.autoLockMinutes ?? null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // The choice shows at once; the core's answer confirms it (or the error puts it back).
  const [choosing, setChoosing] = useState<number | null>(null);
  const minutes = choosing ?? saved;
  const selectId = useId();
  const choices =
    minutes === null || CHOICES.some((c) => c.minutes === minutes)
      ? CHOICES
      : [...CHOICES, { minutes, label: `After ${minutes} minutes` }].sort((a, b) => a.minutes - b.minutes);

  return (
    <section className="settings-section" aria-labelledby="settings-security">
      <h3 className="settings-section__title" id="settings-security">
        Privacy
      </h3>
      <div className="settings-row">
        <div className="field">
          <label className="field__label" htmlFor={selectId}>
            Auto-lock when idle
          </label>
          <select
            id={selectId}
            className="field__input field__select"
            value={minutes ?? ''}
            disabled={minutes === null}
            onChange={async (event) => {
              const next = Number(event.target.value);
              setError(null);
              setChoosing(next);
              const result = await actions.updateSettings({ autoLockMinutes: next });
              setChoosing(null);
              if (!result.ok) setError(result.error);
            }}
          >
            {minutes === null && <option value="">Unavailable</option>}
            {choices.map((choice) => (
              <option key={choice.minutes} value={choice.minutes}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button button--secondary"
          onClick={async () => {
            setError(null);
            const result = await actions.lock();
            if (!result.ok) setError(result.error);
          }}
        >
          Lock now
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
