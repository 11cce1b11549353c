/**
 * The Double Ratchet (§3) on its own: chains, DH steps, skipped keys and their limits.
 * THREAT-MODEL.md row "malicious member": skipped keys and work per message are bounded, and a
 * crafted message changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { asRootKey } from './keys';
import {
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  type RatchetHeader,
  type RatchetState,
  ratchetDecrypt,
  ratchetEncrypt,
  ratchetInitAlice,
  ratchetInitBob,
  SKIPPED_KEY_MAX_AGE_MS,
} from './ratchet';
import { loadSodium, type Sodium } from './sodium';
import { codeOf } from './test-support';
import { generateDhKeyPair } from './x25519';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const AD = [new TextEncoder().encode('test associated data')];
const NOW = 1_700_000_000_000;
const text = (s: string) => new TextEncoder().encode(s);
const read = (b: Uint8Array) => new TextDecoder().decode(b);

interface Sent {
  readonly header: RatchetHeader;
  readonly ciphertext: Uint8Array;
}

class Party {
  constructor(public state: RatchetState) {}
  send(message: string): Sent {
    const out = ratchetEncrypt(sodium, this.state, text(message), AD);
    this.state = out.state;
    return out;
  }
  receive(sent: Sent, now = NOW): string {
    const out = ratchetDecrypt(sodium, this.state, sent.header, sent.ciphertext, AD, now);
    this.state = out.state;
    return read(out.plaintext);
  }
}

function pair(): { alice: Party; bob: Party } {
  const sharedKey = asRootKey(sodium.randombytes_buf(32));
  const bobKeys = generateDhKeyPair(sodium);
  return {
    alice: new Party(ratchetInitAlice(sodium, sharedKey, bobKeys.publicKey)),
    bob: new Party(ratchetInitBob(sharedKey, bobKeys)),
  };
}

describe('Double Ratchet', () => {
  it('encrypts in both directions with a DH step at each turn', () => {
    const { alice, bob } = pair();
    expect(bob.receive(alice.send('a1'))).toBe('a1');
    const first = bob.state.sendingRatchetKey.publicKey;
    expect(alice.receive(bob.send('b1'))).toBe('b1');
    expect(bob.receive(alice.send('a2'))).toBe('a2');
    expect(alice.receive(bob.send('b2'))).toBe('b2');
    expect(bob.state.sendingRatchetKey.publicKey).not.toEqual(first);
    expect(alice.state.previousCounter).toBe(1);
  });

  it('never repeats a ciphertext for the same plaintext', () => {
    const { alice } = pair();
    const one = alice.send('same');
    const two = alice.send('same');
    expect(one.ciphertext).not.toEqual(two.ciphertext);
    expect(two.header.counter).toBe(one.header.counter + 1);
  });

  it('decrypts out-of-order messages across DH steps with skipped keys', () => {
    const { alice, bob } = pair();
    const a = [alice.send('a0'), alice.send('a1'), alice.send('a2')];
    expect(bob.receive(a[2]!)).toBe('a2');
    expect(bob.state.skipped.size).toBe(2);
    expect(alice.receive(bob.send('b0'))).toBe('b0');
    const late = alice.send('a3'); // new chain; PN = 3
    expect(bob.receive(late)).toBe('a3');
    expect(bob.receive(a[0]!)).toBe('a0');
    expect(bob.receive(a[1]!)).toBe('a1');
    expect(bob.state.skipped.size).toBe(0);
    // A skipped key is used once: a second copy finds none.
    expect(codeOf(() => bob.receive(a[0]!))).toBe('CRYPTO_DECRYPT_FAILED');
  });

  it('keeps skipped keys for the rest of a chain that ended (PN)', () => {
    const { alice, bob } = pair();
    bob.receive(alice.send('start'));
    alice.receive(bob.send('reply'));
    const lost = [alice.send('x0'), alice.send('x1')];
    bob.receive(alice.send('x2'));
    alice.receive(bob.send('turn'));
    bob.receive(alice.send('next chain')); // Bob steps; x0 and x1 stay readable
    expect(bob.receive(lost[1]!)).toBe('x1');
    expect(bob.receive(lost[0]!)).toBe('x0');
  });

  it('refuses a message that skips more than MAX_SKIP keys, and changes nothing', () => {
    const { alice, bob } = pair();
    bob.receive(alice.send('start'));
    for (let i = 0; i < MAX_SKIP + 1; i++) alice.send('lost');
    const far = alice.send('too far');
    const before = bob.state;
    expect(codeOf(() => bob.receive(far))).toBe('CRYPTO_TOO_MANY_SKIPPED');
    expect(bob.state).toBe(before);
    // Exactly MAX_SKIP is still allowed.
    const { alice: a2, bob: b2 } = pair();
    b2.receive(a2.send('start'));
    for (let i = 0; i < MAX_SKIP; i++) a2.send('lost');
    expect(b2.receive(a2.send('just in reach'))).toBe('just in reach');
    expect(b2.state.skipped.size).toBe(MAX_SKIP);
  });

  it('refuses a new chain that claims too long a previous chain', () => {
    const { alice, bob } = pair();
    bob.receive(alice.send('start'));
    const reply = bob.send('reply');
    alice.receive(reply);
    const forged = alice.send('x');
    const header = { ...forged.header, previousCounter: MAX_SKIP + 5 };
    expect(codeOf(() => ratchetDecrypt(sodium, bob.state, header, forged.ciphertext, AD, NOW))).toBe(
      'CRYPTO_TOO_MANY_SKIPPED',
    );
  });

  it('caps skipped keys per session, dropping the oldest', () => {
    const { alice, bob } = pair();
    const early = alice.send('early'); // will be evicted
    for (let i = 0; i < MAX_SKIP - 1; i++) alice.send('skip');
    bob.receive(alice.send('first jump'));
    alice.receive(bob.send('turn'));
    for (let i = 0; i < MAX_SKIP; i++) alice.send('skip');
    bob.receive(alice.send('second jump'));
    alice.receive(bob.send('turn'));
    for (let i = 0; i < 10; i++) alice.send('skip');
    bob.receive(alice.send('third jump'));
    expect(bob.state.skipped.size).toBe(MAX_SKIPPED_KEYS);
    expect(codeOf(() => bob.receive(early))).toBe('CRYPTO_DECRYPT_FAILED');
  });

  it('expires skipped keys after their maximum age', () => {
    const { alice, bob } = pair();
    const late = alice.send('late');
    bob.receive(alice.send('on time'), NOW);
    expect(bob.state.skipped.size).toBe(1);
    const kept = bob.state;
    expect(bob.receive(late, NOW + SKIPPED_KEY_MAX_AGE_MS - 1)).toBe('late');
    bob.state = kept;
    // Its key is gone; in the current chain that reads as "already received or too late".
    expect(codeOf(() => bob.receive(late, NOW + SKIPPED_KEY_MAX_AGE_MS))).toBe('CRYPTO_DUPLICATE_MESSAGE');
  });

  it('refuses a duplicate in the current chain', () => {
    const { alice, bob } = pair();
    const m = alice.send('once');
    bob.receive(m);
    bob.receive(alice.send('twice'));
    expect(codeOf(() => bob.receive(m))).toBe('CRYPTO_DUPLICATE_MESSAGE');
  });

  it('fails on a flipped ciphertext, header or AD bit and leaves the state as it was', () => {
    const { alice, bob } = pair();
    bob.receive(alice.send('start'));
    const m = alice.send('payload');
    const before = bob.state;
    const ciphertext = m.ciphertext.slice();
    ciphertext[3]! ^= 0x10;
    expect(codeOf(() => bob.receive({ header: m.header, ciphertext }))).toBe('CRYPTO_DECRYPT_FAILED');
    expect(
      codeOf(() => bob.receive({ header: { ...m.header, previousCounter: 1 }, ciphertext: m.ciphertext })),
    ).toBe('CRYPTO_DECRYPT_FAILED');
    expect(
      codeOf(() => ratchetDecrypt(sodium, bob.state, m.header, m.ciphertext, [text('other AD')], NOW)),
    ).toBe('CRYPTO_DECRYPT_FAILED');
    expect(bob.state).toBe(before);
    expect(bob.receive(m)).toBe('payload');
  });

  it('does not mutate the state it was given', () => {
    const { alice, bob } = pair();
    bob.receive(alice.send('start'));
    const snapshot = structuredClone(bob.state);
    const m = alice.send('x');
    ratchetDecrypt(sodium, bob.state, m.header, m.ciphertext, AD, NOW);
    ratchetEncrypt(sodium, bob.state, text('y'), AD);
    expect(bob.state).toEqual(snapshot);
  });

  it('cannot send before the responder has received anything', () => {
    const { bob } = pair();
    expect(codeOf(() => bob.send('too early'))).toBe('CRYPTO_NO_SESSION');
  });
});
