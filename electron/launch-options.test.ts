import { describe, expect, it } from 'vitest';
import type { ParleyError } from '../shared/errors';
import { defaultDataDir } from './data-dir';
import { EMBEDDED_RELAY_PORT } from './embedded-relay';
import { parseLaunchOptions } from './launch-options';

describe('launch options', () => {
  it('defaults to the embedded relay, an OS-picked host port and the OS data folder', () => {
    const options = parseLaunchOptions([], { HOME: '/home/a', CI: '1' });
    expect(options.relayUrl).toBeNull();
    expect(options.embeddedRelayPort).toBe(EMBEDDED_RELAY_PORT);
    expect(options.hostPort).toBe(0);
    expect(options.openBrowser).toBe(false);
  });

  it('takes flags over environment variables', () => {
    const options = parseLaunchOptions(
      ['--relay-url=https://relay.example.com/', '--port', '9000', '--data-dir', '/d'],
      {
        PARLEY_RELAY_URL: 'http://other:1',
        PARLEY_HOST_PORT: '1',
      },
    );
    expect(options).toMatchObject({ relayUrl: 'https://relay.example.com', hostPort: 9000, dataDir: '/d' });
  });

  it.each([
    [['--port', 'abc'], /--port must be a port number/],
    [['--port=70000'], /--port must be a port number/],
    [['--relay-url', 'ftp://x'], /--relay-url must be an http/],
    [['--colour'], /Unknown option "--colour"/],
    [['--data-dir'], /--data-dir needs a value/],
  ])('refuses %j with a clear sentence', (argv, message) => {
    expect(() => parseLaunchOptions(argv, {})).toThrow(message);
    try {
      parseLaunchOptions(argv, {});
    } catch (error) {
      expect((error as ParleyError).code).toBe('CONFIG_INVALID');
    }
  });

  it('puts data where each OS keeps app data', () => {
    expect(defaultDataDir('linux', {}, '/home/a')).toBe('/home/a/.config/Parley');
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Application Support/Parley');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toContain(
      'Parley',
    );
    expect(defaultDataDir('linux', { PARLEY_DATA_DIR: '/x' }, '/home/a')).toBe('/x');
  });
});
