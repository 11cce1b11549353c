/**
 * Turns an untrusted call from the renderer (a method name and arguments, from either
 * transport) into a typed handler call, and any outcome into a `Result`. Arguments are checked
 * against `shared/ipc-schemas.ts` before any handler runs (THREAT-MODEL: compromised renderer).
 */

import { ParleyError, toErrorInfo } from '../../../shared/errors';
import type { ApiArgs, ApiMethod, ApiReturn } from '../../../shared/ipc';
import { isApiMethod } from '../../../shared/ipc';
import { API_ARG_SCHEMAS } from '../../../shared/ipc-schemas';
import { fail, ok, type Result } from '../../../shared/result';

export type ApiHandlers = {
  [M in ApiMethod]: (args: ApiArgs<M>) => ApiReturn<M> | Promise<ApiReturn<M>>;
};

export interface DispatchLog {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type Dispatch = (method: unknown, args: unknown) => Promise<Result<unknown>>;

export function createDispatcher(handlers: ApiHandlers, log: DispatchLog): Dispatch {
  return async (method, args) => {
    if (!isApiMethod(method)) {
      log.warn({ event: 'ipc.unknown_method' }, 'renderer called an unknown method');
      return fail({
        code: 'IPC_UNKNOWN_METHOD',
        message: 'The app asked for something this version does not know.',
      });
    }
    const parsed = API_ARG_SCHEMAS[method].safeParse(args);
    if (!parsed.success) {
      log.warn(
        { event: 'ipc.bad_arguments', method },
        'renderer sent arguments that do not match the contract',
      );
      return fail({
        code: 'IPC_BAD_ARGUMENTS',
        message: 'Some of the details entered are not valid. Check them and try again.',
      });
    }
    try {
      const handler = handlers[method] as (a: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (!(error instanceof ParleyError)) {
        // Log the kind of failure, never its message: it might hold user content.
        log.error(
          { event: 'ipc.handler_failed', method, error: error instanceof Error ? error.name : typeof error },
          'handler failed',
        );
      }
      return fail(toErrorInfo(error));
    }
  };
}
