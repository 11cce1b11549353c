/** What the protocol core's tests share. */
import { ParleyError } from '../../../shared/errors';

/** The code of the ParleyError `fn` throws; anything else thrown, or nothing, fails the test. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ParleyError) return error.code;
    throw new Error(`expected a ParleyError, got ${String(error)}`);
  }
  throw new Error('expected a ParleyError');
}
