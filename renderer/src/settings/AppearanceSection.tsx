import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { ThemePreference } from '../../../shared/ipc';
import { useActions, useParley } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';

const THEMES: readonly { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Theme: follow the operating system, or pin light or dark. */
export function AppearanceSection() {
  const actions = useActions();
  const theme = useParley((s) => s.settings?.theme ?? 'system');
  const [error, setError] = useState<ErrorInfo | null>(null);
  // The choice shows at once; the core's answer confirms it (or the error puts it back).
  const [choosing, setChoosing] = useState<ThemePreference | null>(null);
  const shown = choosing ?? theme;
  return (
    <section className="settings-section" aria-labelledby="settings-appearance">
      <h3 className="settings-section__title" id="settings-appearance">
        Appearance
      </h3>
      <fieldset className="segmented">
        <legend className="field__label">Theme</legend>
        <div className="segmented__options">
          {THEMES.map((option) => (
            <label
              key={option.value}
              className={`segmented__option${shown === option.value ? ' is-checked' : ''}`}
            >
              <input
                type="radio"
                name="theme"
                value={option.value}
                checked={shown === option.value}
                onChange={async () => {
                  setError(null);
                  setChoosing(option.value);
                  const result = await actions.updateSettings({ theme: option.value });
                  setChoosing(null);
                  if (!result.ok) setError(result.error);
                }}
              />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
