/** The app is locked: the passphrase opens this computer's encrypted copy again. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions, useParley } from '../app/ParleyContext';
import { Avatar } from '../design/Avatar';
import { Icon } from '../design/Icon';
import { TextField } from '../design/TextField';
import './lock.css';

export function LockScreen() {
  const actions = useActions();
  const account = useParley((s) => s.app?.account ?? null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<ErrorInfo | string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (passphrase === '') {
      setError('Enter your passphrase.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const result = await actions.unlock(passphrase);
    setBusy(false);
    if (result.ok) return;
    setError(result.error);
    setPassphrase('');
    // After a refusal the field is cleared and ready for the next try.
    requestAnimationFrame(() => input.current?.focus());
  }

  return (
    <main className="centered-screen">
      <form className="card card--narrow lock" onSubmit={submit} noValidate aria-busy={busy}>
        {account ? (
          <div className="lock__badge">
            <Avatar id={account.userId} name={account.displayName} size={64} />
            <span className="lock__icon">
              <Icon name="lock" size={16} />
            </span>
          </div>
        ) : (
          <div className="lock__plain">
            <Icon name="lock" size={28} />
          </div>
        )}
        <h1 className="card__title">Parley is locked</h1>
        <p className="card__lead">
          {account
            ? `Enter your passphrase to open ${account.displayName}'s messages on this computer.`
            : 'Enter your passphrase to open your messages on this computer.'}
        </p>
        <TextField
          ref={input}
          label="Passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          error={error}
          disabled={busy}
          onChange={(event) => {
            setPassphrase(event.target.value);
            if (typeof error === 'string') setError(null);
          }}
        />
        <button type="submit" className="button button--primary button--block button--large" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
