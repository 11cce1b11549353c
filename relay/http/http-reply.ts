/** JSON answers and errors on the relay's HTTP routes, with the status each error code means. */
import type { ServerResponse } from 'node:http';
import type { ErrorCode, ErrorInfo } from '../../shared/errors';

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  WIRE_MALFORMED: 400,
  WIRE_BAD_LENGTH: 400,
  WIRE_BAD_VERSION: 400,
  UNSUPPORTED_VERSION: 400,
  CRYPTO_BAD_SIGNATURE: 400,
  UNAUTHORIZED: 401,
  RELAY_UNAUTHENTICATED: 401,
  RELAY_AUTH_FAILED: 401,
  FORBIDDEN: 403,
  RELAY_REGISTRATION_CLOSED: 403,
  RELAY_INVITATION_INVALID: 403,
  RELAY_DEVICE_REVOKED: 403,
  RELAY_USER_DEACTIVATED: 403,
  NOT_FOUND: 404,
  RELAY_BLOB_NOT_FOUND: 404,
  RELAY_UNKNOWN_DEVICE: 404,
  CONFLICT: 409,
  RELAY_USERNAME_TAKEN: 409,
  RELAY_BLOB_OFFSET_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  RELAY_BLOB_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(
  res: ServerResponse,
  error: ErrorInfo,
  status = statusFor(error.code),
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error }, headers);
}
