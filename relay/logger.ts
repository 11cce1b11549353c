import { type Logger, pino } from 'pino';
import type { RelayConfig } from './config';

export type { Logger };

/** Structured JSON logs on stdout (or any destination a test passes in). */
export function createRelayLogger(
  level: RelayConfig['logLevel'],
  destination?: NodeJS.WritableStream,
): Logger {
  return pino(
    { level, base: { service: 'parley-relay' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? process.stdout,
  );
}
