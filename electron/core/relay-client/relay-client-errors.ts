/** Errors the relay client raises, as ParleyErrors with stable codes. */
import type { DeviceAddress } from '../../../shared/address';
import { type ErrorCode, type ErrorInfo, ParleyError } from '../../../shared/errors';

/** A batch the relay refused: nothing of it was stored. `rejected` names the recipients at fault. */
export class RelaySendError extends ParleyError {
  constructor(
    error: ErrorInfo,
    readonly rejected: readonly { readonly to: DeviceAddress; readonly code: ErrorCode }[],
  ) {
    super(error.code, error.message);
    this.name = 'RelaySendError';
  }
}

export const unreachable = (why = 'Not connected to the relay.') =>
  new ParleyError('RELAY_UNREACHABLE', `${why} Parley keeps the message and retries when the relay is back.`);

export const malformedAnswer = (what: string) =>
  new ParleyError('WIRE_MALFORMED', `The relay sent an answer that is not valid (${what}).`);
