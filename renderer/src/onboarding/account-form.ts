/**
 * The first-run form's rules, the same the core enforces (shared/ipc-schemas), checked here
 * first so a person sees what to fix beside the field instead of after a round trip.
 */
import type { ApiArgs } from '../../../shared/ipc';

export interface AccountFormValues {
  readonly relayUrl: string;
  readonly username: string;
  readonly displayName: string;
  readonly invitationCode: string;
  readonly passphrase: string;
  readonly confirmPassphrase: string;
}

export type AccountField = keyof AccountFormValues;
export type AccountFormErrors = Partial<Record<AccountField, string>>;

export const MIN_PASSPHRASE_CHARS = 8;

export type AccountFormCheck =
  | { readonly ok: true; readonly args: ApiArgs<'account.create'> }
  | { readonly ok: false; readonly errors: AccountFormErrors };

export function checkAccountForm(values: AccountFormValues): AccountFormCheck {
  const errors: AccountFormErrors = {};
  const relayUrl = values.relayUrl.trim();
  const username = values.username.trim();
  const displayName = values.displayName.trim();
  const invitationCode = values.invitationCode.trim();

  if (relayUrl === '') errors.relayUrl = 'Enter the address of your relay.';
  else if (!isRelayAddress(relayUrl))
    errors.relayUrl = 'Enter a full address starting with http://, https://, ws:// or wss://.';

  if (username.length < 3) errors.username = 'Choose a username of at least 3 characters.';
  else if (username.length > 32) errors.username = 'Keep your username to 32 characters or fewer.';
  else if (!/^[a-z0-9_.-]+$/.test(username))
    errors.username = 'Use only lowercase letters, digits, dots, dashes and underscores.';

  if (displayName === '') errors.displayName = 'Enter the name people will see.';
  else if (displayName.length > 64) errors.displayName = 'Keep your display name to 64 characters or fewer.';

  if (invitationCode.length > 128) errors.invitationCode = 'That invitation code is too long; check it.';

  if (values.passphrase.length < MIN_PASSPHRASE_CHARS)
    errors.passphrase = `Use at least ${MIN_PASSPHRASE_CHARS} characters; a few unrelated words work well.`;
  else if (values.passphrase.length > 1024)
    errors.passphrase = 'Keep your passphrase under 1,024 characters.';
  else if (values.confirmPassphrase !== values.passphrase)
    errors.confirmPassphrase = 'The two passphrases differ. Type the same one twice.';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    args: {
      relayUrl,
      username,
      displayName,
      invitationCode: invitationCode === '' ? null : invitationCode,
      passphrase: values.passphrase,
    },
  };
}

export function isRelayAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}
