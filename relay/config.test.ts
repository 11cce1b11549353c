import { describe, expect, it } from 'vitest';
import { DEFAULT_RELAY_CONFIG, parseRelayConfig } from './config';

describe('relay configuration', () => {
  it('reads flags over environment over defaults', () => {
    const config = parseRelayConfig(['--port', '9000', '--mailbox-quota=50', '--group-commit-ms', '2'], {
      PARLEY_RELAY_PORT: '8000',
      PARLEY_RELAY_HOST: '127.0.0.2',
      PARLEY_RELAY_REDIS_URL: 'redis://cache:6379',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.2',
      mailboxQuota: 50,
      groupCommitMs: 2,
      redisUrl: 'redis://cache:6379',
      blobMaxBytes: DEFAULT_RELAY_CONFIG.blobMaxBytes,
    });
  });

  it('names the flag and what it expects when a value is bad', () => {
    const cases: [string[], RegExp][] = [
      [['--port', '70000'], /--port must be a whole number from 0 to 65535; got "70000"/],
      [['--postgres-url', 'mysql://x'], /--postgres-url must be a postgres:\/\/ or postgresql:\/\/ URL/],
      [['--relay-id', 'has space'], /--relay-id must be 1 to 128 letters/],
      [['--mailbox-ttl-ms', '0'], /--mailbox-ttl-ms must be a number of milliseconds from 1 to ten years/],
      [['--device-rate', 'fast'], /--device-rate must be a whole number from 1/],
      [['--port'], /--port needs a value/],
      [['--nope'], /Unknown option "--nope"/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseRelayConfig(argv, {})).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }),
      );
    }
    expect(() => parseRelayConfig([], { PARLEY_RELAY_LOG_LEVEL: 'loud' })).toThrow(
      /PARLEY_RELAY_LOG_LEVEL must be one of/,
    );
  });

  it('reads boolean flags with or without a value', () => {
    expect(parseRelayConfig(['--sqlite-worker=false'], {}).sqliteWorker).toBe(false);
    expect(parseRelayConfig(['--sqlite-worker', 'no', '--open-registration'], {})).toMatchObject({
      sqliteWorker: false,
      openRegistration: true,
    });
    expect(parseRelayConfig(['--sqlite-worker'], {}).sqliteWorker).toBe(true);
    expect(() => parseRelayConfig(['--sqlite-worker=maybe'], {})).toThrow(
      /--sqlite-worker must be true or false/,
    );
  });

  it('allows open registration on loopback only', () => {
    expect(parseRelayConfig(['--open-registration'], {}).openRegistration).toBe(true);
    expect(parseRelayConfig(['--open-registration', '--host', '::1'], {}).openRegistration).toBe(true);
    expect(() => parseRelayConfig(['--open-registration', '--host', '0.0.0.0'], {})).toThrow(/loopback/);
    expect(() =>
      parseRelayConfig(['--host', '10.0.0.1'], { PARLEY_RELAY_OPEN_REGISTRATION: 'true' }),
    ).toThrow(/loopback/);
  });
});
