/**
 * What a device is told when a request fails: a ParleyError's code and sentence, or INTERNAL for
 * anything else. The relay's own failures (its disk, its database) are for the operator's log,
 * not for clients, whose error texts speak of their own device.
 */
import { type ErrorInfo, ParleyError } from '../shared/errors';

export function clientErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ParleyError) return error.toInfo();
  return { code: 'INTERNAL', message: 'The relay could not do that just now. Try again in a while.' };
}
