/**
 * Options shared by `npm start` and `npm run host`, from flags over environment variables.
 * A bad value stops the launch with a sentence naming the option.
 */
import { ParleyError } from '../shared/errors';
import { defaultDataDir } from './data-dir';
import { EMBEDDED_RELAY_PORT } from './embedded-relay';

export interface LaunchOptions {
  readonly dataDir: string;
  /** A relay to use; null runs the embedded relay. */
  readonly relayUrl: string | null;
  readonly embeddedRelayPort: number;
  /** Port for the browser host; 0 lets the OS pick. */
  readonly hostPort: number;
  /** Open the system browser on the host's URL (when there is a display). */
  readonly openBrowser: boolean;
}

function port(raw: string, name: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ParleyError('CONFIG_INVALID', `${name} must be a port number from 0 to 65535; got "${raw}".`);
  }
  return Number(raw);
}

function relayUrl(raw: string, name: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new ParleyError(
    'CONFIG_INVALID',
    `${name} must be an http:// or https:// relay address; got "${raw}".`,
  );
}

export function parseLaunchOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): LaunchOptions {
  const flags = new Map<string, string>();
  let openBrowser = !env.CI && (process.platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-open') {
      openBrowser = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!['--data-dir', '--relay-url', '--port', '--embedded-relay-port'].includes(name)) {
      throw new ParleyError(
        'CONFIG_INVALID',
        `Unknown option "${name}". Options: --data-dir, --relay-url, --port, --embedded-relay-port, --no-open.`,
      );
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ParleyError('CONFIG_INVALID', `${name} needs a value.`);
    flags.set(name, value);
  }
  const pick = (flag: string, envName: string) => flags.get(flag) ?? env[envName];
  const relay = pick('--relay-url', 'PARLEY_RELAY_URL');
  const hostPort = pick('--port', 'PARLEY_HOST_PORT');
  const embeddedPort = pick('--embedded-relay-port', 'PARLEY_EMBEDDED_RELAY_PORT');
  return {
    dataDir: flags.get('--data-dir') ?? defaultDataDir(process.platform, env),
    relayUrl: relay ? relayUrl(relay, flags.has('--relay-url') ? '--relay-url' : 'PARLEY_RELAY_URL') : null,
    embeddedRelayPort: embeddedPort ? port(embeddedPort, '--embedded-relay-port') : EMBEDDED_RELAY_PORT,
    hostPort: hostPort ? port(hostPort, flags.has('--port') ? '--port' : 'PARLEY_HOST_PORT') : 0,
    openBrowser,
  };
}
