/**
 * Stable error codes shared by every process. A code never changes meaning once released; the
 * message is a sentence a person can act on and never contains a secret, a stack or an id.
 * Add new codes to the section of the domain that owns them.
 */
export const ERROR_CODES = [
  // General
  'INTERNAL',
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'TIMEOUT',
  'UNAVAILABLE',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_VERSION',
  'DISK_FULL',
  // IPC and the browser host
  'IPC_UNKNOWN_METHOD',
  'IPC_BAD_ARGUMENTS',
  'HOST_BAD_TOKEN',
  'HOST_BAD_ORIGIN',
  // Configuration
  'CONFIG_INVALID',
  // Wire formats and protocol (electron/core/crypto, shared/wire)
  'WIRE_MALFORMED',
  'WIRE_BAD_VERSION',
  'WIRE_BAD_LENGTH',
  'CRYPTO_BAD_SIGNATURE',
  'CRYPTO_MISSING_PQ_PREKEY',
  'CRYPTO_MISSING_PREKEY',
  'CRYPTO_PREKEY_REUSED',
  'CRYPTO_DECRYPT_FAILED',
  'CRYPTO_WRONG_RECIPIENT',
  'CRYPTO_TOO_MANY_SKIPPED',
  'CRYPTO_DUPLICATE_MESSAGE',
  'CRYPTO_REPLAY',
  'CRYPTO_STREAM_TRUNCATED',
  'CRYPTO_STREAM_CORRUPT',
  'CRYPTO_NO_SESSION',
  'CRYPTO_INVALID_KEY',
  // Relay
  'RELAY_UNAUTHENTICATED',
  'RELAY_AUTH_FAILED',
  'RELAY_DEVICE_REVOKED',
  'RELAY_USER_DEACTIVATED',
  'RELAY_INVITATION_INVALID',
  'RELAY_USERNAME_TAKEN',
  'RELAY_REGISTRATION_CLOSED',
  'RELAY_MAILBOX_FULL',
  'RELAY_UNKNOWN_DEVICE',
  'RELAY_BLOB_NOT_FOUND',
  'RELAY_BLOB_TOO_LARGE',
  'RELAY_BLOB_OFFSET_MISMATCH',
  // Client store and account
  'STORE_LOCKED',
  'STORE_WRONG_PASSPHRASE',
  'STORE_CORRUPT',
  'STORE_KEYCHAIN_UNAVAILABLE',
  'ACCOUNT_EXISTS',
  'ACCOUNT_MISSING',
  // Messaging
  'CONTACT_KEY_CHANGED',
  'CONTACT_UNKNOWN',
  'MESSAGE_TOO_LARGE',
  'MESSAGE_EMPTY',
  'RELAY_UNREACHABLE',
  // Files
  'FILE_TOO_LARGE',
  'FILE_TYPE_BLOCKED',
  'FILE_DAMAGED',
  'FILE_CANCELLED',
  'FILE_UNAVAILABLE',
  'FILE_NOT_READY',
  'FILE_UNREADABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
}

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/** An error that carries a stable code and a human sentence; safe to show and to log. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParleyError';
    this.code = code;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into an ErrorInfo fit for a person; unknown errors never leak details. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ParleyError) return error.toInfo();
  // The one system failure a person can fix: a full disk (or quota), whichever file it hit.
  const systemCode = (error as { code?: unknown } | null)?.code;
  if (systemCode === 'ENOSPC' || systemCode === 'EDQUOT') {
    return { code: 'DISK_FULL', message: 'This device is out of disk space. Free some space and try again.' };
  }
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside Parley. Try again; if it keeps happening, restart the app.',
  };
}
