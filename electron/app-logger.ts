/**
 * The app's structured log: JSON lines in the data folder's logs/, warnings also on stderr.
 * Callers log events and codes, never message text, keys or tokens.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';

export function createAppLogger(dataDir: string, name: string): Logger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return pino(
    { level: 'info', base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream([
      {
        level: 'info',
        stream: pino.destination({ dest: join(dir, `${name}.log`), sync: false, mkdir: true }),
      },
      { level: 'warn', stream: process.stderr },
    ]),
  );
}
