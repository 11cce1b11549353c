/**
 * Property: two devices exchange messages over a network that loses, duplicates, reorders and
 * corrupts envelopes, in any interleaving (including both sides setting up a session at once).
 * Every message delivered decrypts to its own plaintext exactly once; every copy after that,
 * and every corrupted envelope, is refused with a typed error and changes no state.
 * THREAT-MODEL.md rows "relay operator" and "network attacker": drop, delay, reorder, replay,
 * tamper.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors';
import { deserializeSession, serializeSession } from './session-serialization';
import { loadSodium, type Sodium } from './sodium';
import { TestDevice } from './test-device';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

type Command =
  | { readonly kind: 'send'; readonly from: 0 | 1 }
  | { readonly kind: 'deliver'; readonly pick: number; readonly keep: boolean }
  | { readonly kind: 'drop'; readonly pick: number }
  | { readonly kind: 'corrupt'; readonly pick: number; readonly byte: number; readonly bit: number };

interface InFlight {
  readonly to: TestDevice;
  readonly envelope: Uint8Array;
  readonly text: string;
  delivered: boolean;
}

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      from: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), keep: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('corrupt' as const),
      pick: fc.nat(),
      byte: fc.nat(),
      bit: fc.nat(7),
    }),
  },
);

function snapshot(device: TestDevice): string {
  return [...device.sessions.entries()]
    .map(
      ([peer, list]) =>
        `${peer}:${list.map((s) => Buffer.from(serializeSession(s)).toString('hex')).join(',')}`,
    )
    .join(';');
}

function refused(device: TestDevice, envelope: Uint8Array, now: number): string {
  const before = snapshot(device);
  const prekeys = device.oneTimePrekeys.size + device.kemPrekeys.size;
  try {
    device.receive(envelope, now);
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    expect(snapshot(device)).toBe(before);
    expect(device.oneTimePrekeys.size + device.kemPrekeys.size).toBe(prekeys);
    return (error as ParleyError).code;
  }
  throw new Error('a message that must be refused was accepted');
}

describe('two devices over a hostile network', () => {
  it('deliver every message exactly once and refuse copies and corruption', () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (commands, replayFilter) => {
          const devices = [new TestDevice(sodium, 'alice', 1), new TestDevice(sodium, 'bob', 7)] as const;
          const network: InFlight[] = [];
          let now = 1_700_000_000_000;
          let counter = 0;
          for (const step of commands) {
            now += 1000;
            if (step.kind === 'send') {
              const from = devices[step.from];
              const to = devices[1 - step.from]!;
              const text = `${from.userId} #${counter++}`;
              network.push({ to, envelope: from.send(to, text, now), text, delivered: false });
              continue;
            }
            if (network.length === 0) continue;
            const index = step.pick % network.length;
            const item = network[index]!;
            if (step.kind === 'drop') {
              network.splice(index, 1);
            } else if (step.kind === 'corrupt') {
              const envelope = item.envelope.slice();
              envelope[step.byte % envelope.length]! ^= 1 << step.bit;
              refused(item.to, envelope, now);
            } else {
              if (!step.keep) network.splice(index, 1);
              if (!replayFilter) item.to.seen.clear();
              if (item.delivered) {
                const code = refused(item.to, item.envelope, now);
                expect(code).toMatch(
                  replayFilter ? /^CRYPTO_REPLAY$/ : /^CRYPTO_(DUPLICATE_MESSAGE|DECRYPT_FAILED)$/,
                );
              } else {
                expect(item.to.receive(item.envelope, now).text).toBe(item.text);
                item.delivered = true;
              }
            }
          }
          // Every session survives storage exactly, and the two can still talk afterwards, both ways.
          for (const device of devices) {
            for (const [peer, list] of device.sessions) {
              const stored = list.map((session) => deserializeSession(sodium, serializeSession(session)));
              expect(stored).toEqual(list);
              device.sessions.set(peer, stored);
            }
          }
          const [alice, bob] = devices;
          expect(bob.receive(alice.send(bob, 'after', now), now).text).toBe('after');
          expect(alice.receive(bob.send(alice, 'after too', now), now).text).toBe('after too');
        },
      ),
      { numRuns: 100 },
    );
  });
});
