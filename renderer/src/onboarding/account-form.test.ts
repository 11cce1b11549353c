import { describe, expect, it } from 'vitest';
import { type AccountFormValues, checkAccountForm } from './account-form';

const good: AccountFormValues = {
  relayUrl: ' http://127.0.0.1:8443 ',
  username: 'alice',
  displayName: ' Alice Martin ',
  invitationCode: '',
  passphrase: 'correct horse battery',
  confirmPassphrase: 'correct horse battery',
};

describe('checkAccountForm', () => {
  it('accepts a complete form and trims what a person may have padded', () => {
    const result = checkAccountForm(good);
    expect(result).toEqual({
      ok: true,
      args: {
        relayUrl: 'http://127.0.0.1:8443',
        username: 'alice',
        displayName: 'Alice Martin',
        invitationCode: null,
        passphrase: 'correct horse battery',
      },
    });
  });

  it('keeps an invitation code when one is given', () => {
    const result = checkAccountForm({ ...good, invitationCode: ' ABCD-1234 ' });
    expect(result.ok && result.args.invitationCode).toBe('ABCD-1234');
  });

  it.each([
    ['relayUrl', { relayUrl: '' }],
    ['relayUrl', { relayUrl: 'relay.example.com' }],
    ['relayUrl', { relayUrl: 'ftp://relay.example.com' }],
    ['username', { username: 'al' }],
    ['username', { username: 'Alice' }],
    ['username', { username: 'a'.repeat(33) }],
    ['username', { username: 'al ice' }],
    ['displayName', { displayName: '   ' }],
    ['passphrase', { passphrase: 'short', confirmPassphrase: 'short' }],
    ['confirmPassphrase', { confirmPassphrase: 'correct horse batterx' }],
  ] as const)('flags %s in %j', (field, change) => {
    const result = checkAccountForm({ ...good, ...change });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors)).toEqual([field]);
      expect(result.errors[field]).toMatch(/\.$/);
    }
  });
});
