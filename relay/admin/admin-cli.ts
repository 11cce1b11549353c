/**
 * The relay's admin commands (`npm run relay -- invite create --username alice`, ...). They work
 * on the relay's store directly, with the same --db / --postgres-url options as the server; a
 * running relay notices revocations through the audit log and disconnects the devices.
 */
import { isErrorCode, ParleyError } from '../../shared/errors';
import { parseRelayConfig } from '../config';
import { openRelayStore } from '../store/open-store';
import { adminActions } from './admin-actions';

export const ADMIN_COMMANDS: Readonly<
  Record<string, { readonly flags: readonly string[]; readonly usage: string }>
> = {
  'invite create': {
    flags: ['--username', '--valid-hours'],
    usage: 'invite create --username NAME [--valid-hours 168]   print a one-time invitation code',
  },
  'user deactivate': {
    flags: ['--username'],
    usage: "user deactivate --username NAME                     cut off all of a user's devices",
  },
  'device revoke': {
    flags: ['--address'],
    usage: 'device revoke --address USERID.DEVICEID             cut off one device',
  },
};

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Splits `argv` into the command's own flags and the store options; throws CONFIG_INVALID on a bad flag. */
function splitFlags(command: string, argv: readonly string[]): { own: Map<string, string>; rest: string[] } {
  const allowed = ADMIN_COMMANDS[command]!.flags;
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!allowed.includes(flag)) {
      rest.push(arg);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value.startsWith('--')) {
      throw new ParleyError('CONFIG_INVALID', `${flag} needs a value.`);
    }
    own.set(flag, value);
  }
  return { own, rest };
}

function required(own: Map<string, string>, flag: string, command: string): string {
  const value = own.get(flag);
  if (value === undefined) {
    throw new ParleyError(
      'CONFIG_INVALID',
      `"${command}" needs ${flag}. Usage: npm run relay -- ${ADMIN_COMMANDS[command]!.usage.split('  ')[0]}`,
    );
  }
  return value;
}

/** Runs `command` (two words) with `argv` after them; returns the exit code. */
export async function runAdminCommand(
  command: string,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
): Promise<number> {
  let own: Map<string, string>;
  let config: ReturnType<typeof parseRelayConfig>;
  try {
    const split = splitFlags(command, argv);
    own = split.own;
    config = parseRelayConfig(split.rest, env);
    // Validate the command's own flags before touching the store.
    if (command === 'invite create' || command === 'user deactivate') required(own, '--username', command);
    if (command === 'device revoke') required(own, '--address', command);
    const hours = own.get('--valid-hours');
    if (hours !== undefined && (!/^\d{1,5}$/.test(hours) || Number(hours) < 1)) {
      throw new ParleyError(
        'CONFIG_INVALID',
        `--valid-hours must be a whole number of hours from 1; got "${hours}".`,
      );
    }
  } catch (error) {
    if (error instanceof ParleyError && isErrorCode(error.code)) {
      output.err(`parley-relay: ${error.message} [${error.code}]`);
      return 2;
    }
    throw error;
  }

  const store = await openRelayStore(config);
  try {
    const admin = adminActions({ store, now: Date.now, actor: 'admin-cli' });
    if (command === 'invite create') {
      const hours = own.get('--valid-hours');
      const invitation = await admin.createInvitation(
        own.get('--username')!,
        hours === undefined ? undefined : Number(hours) * 3_600_000,
      );
      output.out(invitation.code);
      output.err(
        `Invitation for ${invitation.username}, valid once until ${new Date(invitation.expiresAt).toISOString()}.`,
      );
    } else if (command === 'user deactivate') {
      const changed = await admin.deactivateUser(own.get('--username')!);
      output.err(
        changed ? 'User deactivated; their devices are cut off.' : 'That user was deactivated already.',
      );
    } else {
      const changed = await admin.revokeDevice(own.get('--address')!);
      output.err(changed ? 'Device revoked; it is cut off.' : 'That device was revoked already.');
    }
    return 0;
  } catch (error) {
    if (error instanceof ParleyError) {
      output.err(`parley-relay: ${error.message} [${error.code}]`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}
