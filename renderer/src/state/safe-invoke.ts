/**
 * Calls the core through the bridge and always resolves to a Result: a transport that throws
 * (the host went away, the preload broke) becomes an error a person can act on.
 */
import type { ApiArgs, ApiMethod, ApiReturn, ParleyBridge } from '../../../shared/ipc';
import type { Result } from '../../../shared/result';

export type Invoke = <M extends ApiMethod>(
  method: M,
  ...args: ApiArgs<M> extends undefined ? [] : [ApiArgs<M>]
) => Promise<Result<ApiReturn<M>>>;

export function safeInvoke(bridge: ParleyBridge): Invoke {
  return async (method, ...args) => {
    try {
      return await bridge.invoke(method, ...args);
    } catch {
      return {
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: 'Parley lost contact with its background service. Restart Parley; your messages are safe.',
        },
      };
    }
  };
}
