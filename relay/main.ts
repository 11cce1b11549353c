/**
 * `npm run relay`: the standalone relay. Reads flags and environment, starts, and shuts down
 * gracefully on SIGTERM or SIGINT. A bad option prints what is wrong and exits with code 2.
 */
import { isErrorCode, ParleyError } from '../shared/errors';
import { parseRelayConfig, RELAY_HELP } from './config';
import { createRelayLogger } from './logger';
import { startRelay } from './server';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(RELAY_HELP);
    return 0;
  }
  let config: ReturnType<typeof parseRelayConfig>;
  try {
    config = parseRelayConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ParleyError && isErrorCode(error.code)) {
      console.error(`parley-relay: ${error.message} [${error.code}]`);
      return 2;
    }
    throw error;
  }
  const logger = createRelayLogger(config.logLevel);
  const relay = await startRelay(config, { logger });
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ event: 'relay.signal', signal }, 'signal received');
      relay.close().then(resolve, resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`parley-relay: could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
