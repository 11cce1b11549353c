import type { ErrorInfo } from './errors';

/** The shape of every answer that crosses a process boundary. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: ErrorInfo): Result<T> {
  return { ok: false, error };
}
