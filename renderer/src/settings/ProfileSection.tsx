import { type FormEvent, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { AccountView } from '../../../shared/ipc';
import { useActions } from '../app/ParleyContext';
import { TextField } from '../design/TextField';

/** The name others see. */
export function ProfileSection({ account }: { account: AccountView }) {
  const actions = useActions();
  const [name, setName] = useState(account.displayName);
  const [error, setError] = useState<string | ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const changed = name.trim() !== account.displayName;

  async function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') return setError('Enter the name people will see.');
    if (trimmed.length > 64) return setError('Keep your display name to 64 characters or fewer.');
    setBusy(true);
    setError(null);
    const result = await actions.updateProfile(trimmed);
    setBusy(false);
    if (result.ok) setSaved(true);
    else setError(result.error);
  }

  return (
    <section className="settings-section" aria-labelledby="settings-profile">
      <h3 className="settings-section__title" id="settings-profile">
        Profile
      </h3>
      <form className="settings-row settings-row--form" onSubmit={save} noValidate>
        <TextField
          label="Display name"
          value={name}
          error={error}
          autoComplete="name"
          onChange={(event) => {
            setName(event.target.value);
            setSaved(false);
            setError(null);
          }}
        />
        <button type="submit" className="button button--secondary" disabled={!changed || busy}>
          Save
        </button>
      </form>
      <p className="settings-section__status" role="status">
        {saved ? 'Saved. People see your new name on your next message.' : ''}
      </p>
    </section>
  );
}
