import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { SettingSelect } from './SettingSelect';

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
  const known = saved === null || CHOICES.some((c) => c.minutes === saved);
  const choices = (known ? CHOICES : [...CHOICES, { minutes: saved, label: `After ${saved} minutes` }])
    .map((c) => ({ value: c.minutes, label: c.label }))
    .sort((a, b) => a.value - b.value);

  return (
    <section className="settings-section" aria-labelledby="settings-security">
      <h3 className="settings-section__title" id="settings-security">
        Privacy
      </h3>
      <div className="settings-row">
        <SettingSelect
          label="Auto-lock when idle"
          saved={saved}
          choices={choices}
          save={(next) => actions.updateSettings({ autoLockMinutes: next })}
          onError={setError}
        />
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
