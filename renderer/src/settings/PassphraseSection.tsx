import { type FormEvent, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions } from '../app/ParleyContext';
import { ErrorNotice } from '../design/ErrorNotice';
import { TextField } from '../design/TextField';
import { MIN_PASSPHRASE_CHARS } from '../onboarding/account-form';

/** Changing the passphrase re-wraps the database key; messages stay as they are. */
export function PassphraseSection() {
  const actions = useActions();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{
    current?: string | ErrorInfo;
    next?: string;
    confirm?: string;
  }>({});
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    setError(null);
    const errors: typeof fieldErrors = {};
    if (current === '') errors.current = 'Enter your current passphrase.';
    if (next.length < MIN_PASSPHRASE_CHARS) errors.next = `Use at least ${MIN_PASSPHRASE_CHARS} characters.`;
    else if (next === current) errors.next = 'Choose a passphrase different from the current one.';
    else if (confirm !== next) errors.confirm = 'The two new passphrases differ. Type the same one twice.';
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    const result = await actions.changePassphrase(current, next);
    setBusy(false);
    if (result.ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } else if (result.error.code === 'STORE_WRONG_PASSPHRASE') setFieldErrors({ current: result.error });
    else setError(result.error);
  }

  return (
    <section className="settings-section" aria-labelledby="settings-passphrase">
      <h3 className="settings-section__title" id="settings-passphrase">
        Passphrase
      </h3>
      <form className="settings-stack" onSubmit={submit} noValidate>
        <TextField
          label="Current passphrase"
          type="password"
          autoComplete="current-password"
          value={current}
          error={fieldErrors.current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <TextField
          label="New passphrase"
          type="password"
          autoComplete="new-password"
          value={next}
          error={fieldErrors.next}
          onChange={(e) => setNext(e.target.value)}
        />
        <TextField
          label="Confirm new passphrase"
          type="password"
          autoComplete="new-password"
          value={confirm}
          error={fieldErrors.confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        {error && <ErrorNotice error={error} />}
        <div className="settings-actions">
          <button type="submit" className="button button--secondary" disabled={busy}>
            {busy ? 'Changing…' : 'Change passphrase'}
          </button>
          <p className="settings-section__status" role="status">
            {done ? 'Passphrase changed. Use the new one next time you unlock.' : ''}
          </p>
        </div>
      </form>
    </section>
  );
}
