/**
 * `npm run relay`: the standalone relay, or one of its admin commands. Reads flags and
 * environment, starts, and shuts down gracefully on SIGTERM or SIGINT. A bad option prints what
 * is wrong and exits with code 2.
 */
import { widenGcHeadroom } from '@parley/gc-headroom';
import { isErrorCode, ParleyError } from '../shared/errors';
import { ADMIN_COMMANDS, runAdminCommand } from './admin/admin-cli';
import { parseRelayConfig, RELAY_HELP } from './config';
import { createRelayLogger } from './logger';
import { startRelay } from './server';
import { startIfSqliteWorker } from './store/sqlite-worker';

const HELP = [
  RELAY_HELP,
  '',
  'Admin commands (same --db / --postgres-url options):',
  ...Object.values(ADMIN_COMMANDS).map((c) => `  npm run relay -- ${c.usage}`),
].join('\n');

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const command = argv.slice(0, 2).join(' ');
  if (command in ADMIN_COMMANDS) {
    return runAdminCommand(command, argv.slice(2), process.env, {
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    });
  }
  if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    console.error(
      `parley-relay: Unknown command "${argv[0]}". Run the relay with --help to see the commands. [CONFIG_INVALID]`,
    );
    return 2;
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
  // This script also runs the SQLite store's worker thread (see the end of this file).
  const relay = await startRelay(config, {
    logger,
    sqliteWorkerScript: config.sqliteWorker ? __filename : undefined,
  });
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

if (!startIfSqliteWorker()) {
  // Uploads and downloads stream through this process (packages/gc-headroom).
  widenGcHeadroom();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(
        `parley-relay: could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exitCode = 1;
    },
  );
}
