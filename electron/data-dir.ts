/** Where Parley keeps a user's data when no folder is given: the OS's usual place. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  if (env.PARLEY_DATA_DIR) return env.PARLEY_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Parley');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Parley');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Parley');
}
