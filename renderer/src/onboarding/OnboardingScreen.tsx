/**
 * First run: where the relay is, who you are, and the passphrase that guards this computer's
 * copy. One card, one decision ("Create account"), every field explained in a line.
 */
import { type FormEvent, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { useActions, useParley } from '../app/ParleyContext';
import { ParleyMark } from '../app/ParleyMark';
import { ErrorNotice } from '../design/ErrorNotice';
import { TextField } from '../design/TextField';
import {
  type AccountField,
  type AccountFormValues,
  checkAccountForm,
  MIN_PASSPHRASE_CHARS,
} from './account-form';
import './onboarding.css';

const FIELD_ORDER: readonly AccountField[] = [
  'relayUrl',
  'invitationCode',
  'username',
  'displayName',
  'passphrase',
  'confirmPassphrase',
];

/** Which field a refusal from the core is about, so it shows beside that field. */
const FIELD_OF_CODE: Partial<Record<ErrorInfo['code'], AccountField>> = {
  RELAY_UNREACHABLE: 'relayUrl',
  TIMEOUT: 'relayUrl',
  RELAY_USERNAME_TAKEN: 'username',
  RELAY_INVITATION_INVALID: 'invitationCode',
  RELAY_REGISTRATION_CLOSED: 'invitationCode',
};

export function OnboardingScreen() {
  const actions = useActions();
  const defaultRelayUrl = useParley((s) => s.info?.defaultRelayUrl ?? '');
  const [values, setValues] = useState<AccountFormValues>({
    relayUrl: defaultRelayUrl,
    invitationCode: '',
    username: '',
    displayName: '',
    passphrase: '',
    confirmPassphrase: '',
  });
  const [errors, setErrors] = useState<Partial<Record<AccountField, string | ErrorInfo>>>({});
  const [formError, setFormError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const inputs = useRef<Partial<Record<AccountField, HTMLInputElement | null>>>({});

  const bind = (field: AccountField) => ({
    ref: (element: HTMLInputElement | null) => {
      inputs.current[field] = element;
    },
    value: values[field],
    error: errors[field] ?? null,
    disabled: busy,
    onChange: (event: { target: { value: string } }) => {
      const value = field === 'username' ? event.target.value.toLowerCase() : event.target.value;
      setValues((v) => ({ ...v, [field]: value }));
      if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest);
    },
  });

  const focusFirst = (fields: readonly AccountField[]) => {
    const first = FIELD_ORDER.find((f) => fields.includes(f));
    if (first) inputs.current[first]?.focus();
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const check = checkAccountForm(values);
    if (!check.ok) {
      setErrors(check.errors);
      focusFirst(Object.keys(check.errors) as AccountField[]);
      return;
    }
    setErrors({});
    setBusy(true);
    const result = await actions.createAccount(check.args);
    setBusy(false);
    if (result.ok) return;
    const field = FIELD_OF_CODE[result.error.code];
    if (field) {
      setErrors({ [field]: result.error });
      focusFirst([field]);
    } else setFormError(result.error);
  }

  return (
    <main className="centered-screen">
      <form className="card onboarding" onSubmit={submit} noValidate aria-busy={busy}>
        <header className="onboarding__header">
          <div className="onboarding__brand">
            <ParleyMark size={44} />
            <h1 className="card__title">Welcome to Parley</h1>
          </div>
          <p className="card__lead">
            Messages are encrypted on this computer before they leave it: only the people you write to can
            read them.
          </p>
        </header>

        <fieldset className="onboarding__section">
          <legend className="onboarding__legend">Relay</legend>
          <div className="onboarding__row onboarding__row--wide-first">
            <TextField
              label="Relay address"
              hint="Carries your sealed messages and can't read them. Keep this one, or paste your organisation's."
              type="url"
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              {...bind('relayUrl')}
            />
            <TextField
              label="Invitation code (optional)"
              hint="Only if your relay asks for one."
              autoComplete="off"
              spellCheck={false}
              {...bind('invitationCode')}
            />
          </div>
        </fieldset>

        <fieldset className="onboarding__section">
          <legend className="onboarding__legend">Profile</legend>
          <div className="onboarding__row">
            <TextField
              label="Username"
              hint="How people find you: lowercase letters, digits, dots, dashes."
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              {...bind('username')}
            />
            <TextField
              label="Display name"
              hint="The name people see."
              autoComplete="name"
              {...bind('displayName')}
            />
          </div>
        </fieldset>

        <fieldset className="onboarding__section">
          <legend className="onboarding__legend">Passphrase</legend>
          <div className="onboarding__row">
            <TextField
              label="Passphrase"
              hint={`Unlocks Parley on this computer. At least ${MIN_PASSPHRASE_CHARS} characters; it can't be recovered.`}
              type="password"
              autoComplete="new-password"
              {...bind('passphrase')}
            />
            <TextField
              label="Confirm passphrase"
              hint="Type it once more."
              type="password"
              autoComplete="new-password"
              {...bind('confirmPassphrase')}
            />
          </div>
        </fieldset>

        {formError && <ErrorNotice error={formError} />}

        <button type="submit" className="button button--primary button--block button--large" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
        {busy && (
          <p className="onboarding__progress" role="status">
            Creating your keys and registering with the relay…
          </p>
        )}
      </form>
    </main>
  );
}
