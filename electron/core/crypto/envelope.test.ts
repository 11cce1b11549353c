/**
 * Sealed envelopes. THREAT-MODEL.md row "relay operator": the relay sees only a size bucket;
 * envelopes for another device, cut short or altered are refused with typed errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SEALED_BOX_OVERHEAD, SEALED_ENVELOPE_SIZES } from '../../../shared/wire/envelope-size';
import { encodeInnerEnvelope, type InnerEnvelope } from '../../../shared/wire/inner-envelope';
import { assertNotReplayed, newMessageId, openEnvelope, replayKey, sealEnvelope } from './envelope';
import { createIdentity } from './identity';
import { loadSodium, type Sodium } from './sodium';
import { codeOf } from './test-support';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const inner = (bodyLength: number): InnerEnvelope => ({
  sender: 'alice.1',
  kind: 'ratchet',
  body: new Uint8Array(bodyLength).fill(7),
  timestamp: 1_700_000_000_000,
  messageId: newMessageId(),
});

describe('sealed envelopes', () => {
  it('round-trip and always have one of the bucket sizes', () => {
    const bob = createIdentity(sodium);
    for (const length of [1, 200, 900, 1000, 3000, 16_000, 60_000, 200_000]) {
      const message = inner(length);
      const sealed = sealEnvelope(sodium, bob.publicKey, message);
      expect(SEALED_ENVELOPE_SIZES).toContain(sealed.length);
      const opened = openEnvelope(sodium, bob, sealed);
      expect({ ...opened, body: null }).toEqual({ ...message, body: null });
      expect(Buffer.compare(opened.body, message.body)).toBe(0);
    }
  });

  it('picks the smallest bucket that fits, so sizes reveal only the bucket', () => {
    const bob = createIdentity(sodium);
    const smallest = SEALED_ENVELOPE_SIZES[0]!;
    let fits = 1; // the largest body whose padded envelope still fits the first bucket
    while (encodeInnerEnvelope(inner(fits + 1)).length < smallest - SEALED_BOX_OVERHEAD) fits++;
    expect(sealEnvelope(sodium, bob.publicKey, inner(fits)).length).toBe(smallest);
    expect(sealEnvelope(sodium, bob.publicKey, inner(fits + 1)).length).toBe(SEALED_ENVELOPE_SIZES[1]);
  });

  it('hides the sender and id: two envelopes of one size differ everywhere a relay could look', () => {
    const bob = createIdentity(sodium);
    const a = sealEnvelope(sodium, bob.publicKey, inner(10));
    const b = sealEnvelope(sodium, bob.publicKey, inner(10));
    expect(a.length).toBe(b.length);
    expect(Buffer.from(a).includes(Buffer.from('alice.1'))).toBe(false);
    expect(a).not.toEqual(b);
  });

  it('refuses an envelope sealed to another device', () => {
    const bob = createIdentity(sodium);
    const carol = createIdentity(sodium);
    const sealed = sealEnvelope(sodium, bob.publicKey, inner(10));
    expect(codeOf(() => openEnvelope(sodium, carol, sealed))).toBe('CRYPTO_WRONG_RECIPIENT');
  });

  it('refuses a truncated or extended envelope before opening it', () => {
    const bob = createIdentity(sodium);
    const sealed = sealEnvelope(sodium, bob.publicKey, inner(10));
    expect(codeOf(() => openEnvelope(sodium, bob, sealed.subarray(0, sealed.length - 1)))).toBe(
      'WIRE_BAD_LENGTH',
    );
    expect(codeOf(() => openEnvelope(sodium, bob, new Uint8Array(0)))).toBe('WIRE_BAD_LENGTH');
    const longer = new Uint8Array(sealed.length + 1);
    longer.set(sealed);
    expect(codeOf(() => openEnvelope(sodium, bob, longer))).toBe('WIRE_BAD_LENGTH');
  });

  it('refuses an altered envelope', () => {
    const bob = createIdentity(sodium);
    const sealed = sealEnvelope(sodium, bob.publicKey, inner(10));
    for (const at of [0, 31, 32, 100, sealed.length - 1]) {
      const altered = sealed.slice();
      altered[at]! ^= 0x80;
      expect(codeOf(() => openEnvelope(sodium, bob, altered))).toBe('CRYPTO_WRONG_RECIPIENT');
    }
  });

  it('refuses an envelope whose padding or contents are not ours', () => {
    const bob = createIdentity(sodium);
    const box = (plaintext: Uint8Array) => sodium.crypto_box_seal(plaintext, bob.dhPublicKey);
    const size = SEALED_ENVELOPE_SIZES[0]! - SEALED_BOX_OVERHEAD;
    expect(codeOf(() => openEnvelope(sodium, bob, box(new Uint8Array(size))))).toBe('WIRE_MALFORMED');
    const garbage = new Uint8Array(size).fill(0x41);
    garbage[10] = 0x80; // valid padding, junk before it
    garbage.fill(0, 11);
    expect(codeOf(() => openEnvelope(sodium, bob, box(garbage)))).toBe('WIRE_MALFORMED');
  });

  it('refuses a message too large for the largest bucket', () => {
    const bob = createIdentity(sodium);
    const largest = SEALED_ENVELOPE_SIZES[SEALED_ENVELOPE_SIZES.length - 1]!;
    expect(codeOf(() => sealEnvelope(sodium, bob.publicKey, inner(largest - SEALED_BOX_OVERHEAD - 20)))).toBe(
      'MESSAGE_TOO_LARGE',
    );
  });

  it('gives a store the key to refuse replays, per sender', () => {
    const message = inner(1);
    expect(replayKey(message)).toBe(`alice.1/${Buffer.from(message.messageId).toString('hex')}`);
    expect(replayKey({ ...message, sender: 'mallory.1' })).not.toBe(replayKey(message));
    const seen = new Set([replayKey(message)]);
    expect(codeOf(() => assertNotReplayed(message, (key) => seen.has(key)))).toBe('CRYPTO_REPLAY');
    expect(() => assertNotReplayed(inner(1), (key) => seen.has(key))).not.toThrow();
  });
});
