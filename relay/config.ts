/**
 * Relay configuration from command-line flags and environment variables (flags win), validated
 * at start: a bad value stops the relay with a sentence that names the flag and what it expects.
 */
import { ParleyError } from '../shared/errors';
import { RELAY_ID_PATTERN } from '../shared/relay-protocol/auth-proof';

export interface RelayConfig {
  readonly host: string;
  readonly port: number;
  /** SQLite file for the default store; ':memory:' for tests. */
  readonly dbPath: string;
  /** PostgreSQL connection string; when set, the relay uses PostgreSQL instead of SQLite. */
  readonly postgresUrl: string | null;
  /** Redis URL; when set, delivery is shared between relay nodes through the Redis adapter. */
  readonly redisUrl: string | null;
  /** Folder for attachment blobs. */
  readonly blobDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Let anyone register without an invitation; refused unless the relay listens on loopback. */
  readonly openRegistration: boolean;
  /** Stable id of this relay, signed into device authentication proofs. */
  readonly relayId: string;
  readonly shutdownGraceMs: number;
  /** Envelopes one device's mailbox may hold before senders get RELAY_MAILBOX_FULL. */
  readonly mailboxQuota: number;
  /** Bytes one device's mailbox may hold. */
  readonly mailboxMaxBytes: number;
  /** How long an unacknowledged envelope is kept. */
  readonly mailboxTtlMs: number;
  /** Largest attachment blob. */
  readonly blobMaxBytes: number;
  /** How long a blob is kept after it was created. */
  readonly blobTtlMs: number;
  /** Events per second one device may send (bursts of four times that). */
  readonly deviceRatePerSec: number;
  /** Connections, HTTP requests and unauthenticated events per second from one network address. */
  readonly addressRatePerSec: number;
  /** How long the group commit waits to gather envelopes; 0 commits at the next turn of the event loop. */
  readonly groupCommitMs: number;
  /** How often expired envelopes, blobs, sessions and invitations are deleted. */
  readonly sweepIntervalMs: number;
  /** How often this node looks for revocations made elsewhere (the admin CLI, another node). */
  readonly revocationPollMs: number;
  /**
   * The standalone relay runs SQLite in a worker thread, so that commits (which wait for the
   * disk) do not stall the sockets; false keeps it on the main thread (e.g. on one core).
   */
  readonly sqliteWorker: boolean;
}

interface FlagSpec {
  readonly key: keyof RelayConfig;
  readonly flag: string;
  readonly env: string;
  readonly parse: (raw: string, name: string) => RelayConfig[keyof RelayConfig];
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function bad(name: string, expectation: string, raw: string): never {
  throw new ParleyError('CONFIG_INVALID', `${name} must be ${expectation}; got "${raw}".`);
}

function parsePort(raw: string, name: string): number {
  if (!/^\d+$/.test(raw)) bad(name, 'a whole number from 0 to 65535', raw);
  const port = Number(raw);
  if (port > 65535) bad(name, 'a whole number from 0 to 65535', raw);
  return port;
}

function parseHost(raw: string, name: string): string {
  if (raw.length === 0 || raw.length > 253 || !/^[A-Za-z0-9.:[\]-]+$/.test(raw))
    bad(name, 'a host name or IP address', raw);
  return raw;
}

function parseBool(raw: string, name: string): boolean {
  if (['1', 'true', 'yes', 'on', ''].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  return bad(name, 'true or false', raw);
}

function parseUrl(schemes: readonly string[]) {
  return (raw: string, name: string): string => {
    try {
      const url = new URL(raw);
      if (schemes.includes(url.protocol)) return raw;
    } catch {
      // fall through to the error below
    }
    return bad(name, `a ${schemes.map((s) => s.replace(':', '://')).join(' or ')} URL`, raw);
  };
}

function parseText(raw: string, name: string): string {
  if (raw.length === 0) bad(name, 'a non-empty value', raw);
  return raw;
}

function parseMs(raw: string, name: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 600_000) bad(name, 'a number of milliseconds up to 600000', raw);
  return Number(raw);
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3_600_000;

function parseLongMs(raw: string, name: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > TEN_YEARS_MS)
    bad(name, 'a number of milliseconds from 1 to ten years', raw);
  return Number(raw);
}

function parseCount(min: number, max: number) {
  return (raw: string, name: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      bad(name, `a whole number from ${min} to ${max}`, raw);
    return Number(raw);
  };
}

function parseRelayId(raw: string, name: string): string {
  if (!RELAY_ID_PATTERN.test(raw)) bad(name, '1 to 128 letters, digits or ._:- signs', raw);
  return raw;
}

const SPECS: readonly FlagSpec[] = [
  { key: 'host', flag: '--host', env: 'PARLEY_RELAY_HOST', parse: parseHost },
  { key: 'port', flag: '--port', env: 'PARLEY_RELAY_PORT', parse: parsePort },
  { key: 'dbPath', flag: '--db', env: 'PARLEY_RELAY_DB', parse: parseText },
  {
    key: 'postgresUrl',
    flag: '--postgres-url',
    env: 'PARLEY_RELAY_POSTGRES_URL',
    parse: parseUrl(['postgres:', 'postgresql:']),
  },
  {
    key: 'redisUrl',
    flag: '--redis-url',
    env: 'PARLEY_RELAY_REDIS_URL',
    parse: parseUrl(['redis:', 'rediss:']),
  },
  { key: 'blobDir', flag: '--blob-dir', env: 'PARLEY_RELAY_BLOB_DIR', parse: parseText },
  {
    key: 'logLevel',
    flag: '--log-level',
    env: 'PARLEY_RELAY_LOG_LEVEL',
    parse: (raw, name) =>
      LOG_LEVELS.includes(raw as never) ? raw : bad(name, `one of ${LOG_LEVELS.join(', ')}`, raw),
  },
  {
    key: 'openRegistration',
    flag: '--open-registration',
    env: 'PARLEY_RELAY_OPEN_REGISTRATION',
    parse: parseBool,
  },
  { key: 'relayId', flag: '--relay-id', env: 'PARLEY_RELAY_ID', parse: parseRelayId },
  {
    key: 'shutdownGraceMs',
    flag: '--shutdown-grace-ms',
    env: 'PARLEY_RELAY_SHUTDOWN_GRACE_MS',
    parse: parseMs,
  },
  {
    key: 'mailboxQuota',
    flag: '--mailbox-quota',
    env: 'PARLEY_RELAY_MAILBOX_QUOTA',
    parse: parseCount(1, 10_000_000),
  },
  {
    key: 'mailboxMaxBytes',
    flag: '--mailbox-max-bytes',
    env: 'PARLEY_RELAY_MAILBOX_MAX_BYTES',
    parse: parseCount(1024, 2 ** 40),
  },
  { key: 'mailboxTtlMs', flag: '--mailbox-ttl-ms', env: 'PARLEY_RELAY_MAILBOX_TTL_MS', parse: parseLongMs },
  {
    key: 'blobMaxBytes',
    flag: '--blob-max-bytes',
    env: 'PARLEY_RELAY_BLOB_MAX_BYTES',
    parse: parseCount(1, 2 ** 40),
  },
  { key: 'blobTtlMs', flag: '--blob-ttl-ms', env: 'PARLEY_RELAY_BLOB_TTL_MS', parse: parseLongMs },
  {
    key: 'deviceRatePerSec',
    flag: '--device-rate',
    env: 'PARLEY_RELAY_DEVICE_RATE',
    parse: parseCount(1, 10_000_000),
  },
  {
    key: 'addressRatePerSec',
    flag: '--address-rate',
    env: 'PARLEY_RELAY_ADDRESS_RATE',
    parse: parseCount(1, 10_000_000),
  },
  {
    key: 'groupCommitMs',
    flag: '--group-commit-ms',
    env: 'PARLEY_RELAY_GROUP_COMMIT_MS',
    parse: parseCount(0, 1000),
  },
  {
    key: 'sweepIntervalMs',
    flag: '--sweep-interval-ms',
    env: 'PARLEY_RELAY_SWEEP_INTERVAL_MS',
    parse: parseCount(10, 3_600_000),
  },
  { key: 'sqliteWorker', flag: '--sqlite-worker', env: 'PARLEY_RELAY_SQLITE_WORKER', parse: parseBool },
  {
    key: 'revocationPollMs',
    flag: '--revocation-poll-ms',
    env: 'PARLEY_RELAY_REVOCATION_POLL_MS',
    parse: parseCount(10, 600_000),
  },
];

export const DEFAULT_RELAY_CONFIG: RelayConfig = {
  host: '127.0.0.1',
  port: 8787,
  dbPath: 'parley-relay.sqlite',
  postgresUrl: null,
  redisUrl: null,
  blobDir: 'parley-blobs',
  logLevel: 'info',
  openRegistration: false,
  relayId: 'parley-relay',
  shutdownGraceMs: 10_000,
  mailboxQuota: 10_000,
  mailboxMaxBytes: 256 * 1024 * 1024,
  mailboxTtlMs: 30 * 24 * 3_600_000,
  // The app's largest file (2 GiB) plus its encryption overhead (17 bytes per 64 KiB chunk).
  blobMaxBytes: 2 * 1024 * 1024 * 1024 + 1024 * 1024,
  blobTtlMs: 30 * 24 * 3_600_000,
  deviceRatePerSec: 500,
  addressRatePerSec: 50,
  groupCommitMs: 0,
  sweepIntervalMs: 60_000,
  revocationPollMs: 1_000,
  sqliteWorker: true,
};

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Parses flags (`--port 9000` or `--port=9000`) over environment variables over defaults. */
export function parseRelayConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaults: RelayConfig = DEFAULT_RELAY_CONFIG,
): RelayConfig {
  const values: Record<string, unknown> = { ...defaults };
  for (const spec of SPECS) {
    const raw = env[spec.env];
    if (raw !== undefined) values[spec.key] = spec.parse(raw, spec.env);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const spec = SPECS.find((s) => s.flag === flag);
    if (!spec) {
      throw new ParleyError(
        'CONFIG_INVALID',
        `Unknown option "${flag}". Run the relay with --help to see the options.`,
      );
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (spec.parse === parseBool && (next === undefined || next.startsWith('--'))) raw = 'true';
      else if (next === undefined) throw new ParleyError('CONFIG_INVALID', `${flag} needs a value.`);
      else {
        raw = next;
        i++;
      }
    }
    values[spec.key] = spec.parse(raw, flag);
  }
  const config = values as unknown as RelayConfig;
  checkRelayConfig(config);
  return config;
}

/** Checks that hold across options; startRelay runs it too, for configs built in code. */
export function checkRelayConfig(config: RelayConfig): void {
  if (config.openRegistration && !isLoopbackHost(config.host)) {
    throw new ParleyError(
      'CONFIG_INVALID',
      `Open registration is allowed only when the relay listens on loopback (127.0.0.1), not on ${config.host}. Issue invitations instead.`,
    );
  }
  if (!RELAY_ID_PATTERN.test(config.relayId)) {
    throw new ParleyError('CONFIG_INVALID', 'The relay id must be 1 to 128 letters, digits or ._:- signs.');
  }
}

export const RELAY_HELP = [
  'Usage: npm run relay -- [options]',
  '',
  ...SPECS.map((s) => `  ${s.flag.padEnd(22)} (env ${s.env})`),
].join('\n');
