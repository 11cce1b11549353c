/**
 * Sessions end to end (PQXDH set-up, Double Ratchet, sealed envelopes) between real devices.
 * THREAT-MODEL.md rows: "relay operator" (tampering, replays, false bundles are refused) and
 * "malicious member" (crafted protocol messages fail cleanly and change nothing).
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors';
import { SessionRecordSchema } from '../../../shared/wire/gen/parley/state/v1/session_pb';
import { decodeInnerEnvelope, encodeInnerEnvelope } from '../../../shared/wire/inner-envelope';
import { decodePrekeyMessage } from '../../../shared/wire/prekey-message';
import { openEnvelope, sealEnvelope } from './envelope';
import { decryptMessage, encryptMessage, initiateSession } from './session';
import { deserializeSession, serializeSession } from './session-serialization';
import { loadSodium, type Sodium } from './sodium';
import { TestDevice } from './test-device';
import { codeOf } from './test-support';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const NOW = 1_700_000_000_000;

describe('a session between two devices', () => {
  it('sets up with PQXDH and exchanges messages both ways', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const first = bob.receive(alice.send(bob, 'hello bob', NOW), NOW);
    expect(first.text).toBe('hello bob');
    expect(first.sender).toBe('alice.1');
    expect(first.sessionIndex).toBe(-1);
    expect(first.remoteIdentityKey).toEqual(alice.identity.publicKey);
    expect(first.consumedPrekeys.oneTimePrekeyId).toBe(1);
    expect(first.consumedPrekeys.kemPrekeyId).toBe(2);
    expect(bob.oneTimePrekeys.has(1)).toBe(false);

    expect(alice.receive(bob.send(alice, 'hi alice', NOW + 1), NOW + 1).text).toBe('hi alice');
    for (let i = 0; i < 5; i++) {
      expect(bob.receive(alice.send(bob, `a${i}`, NOW + 2), NOW + 2).text).toBe(`a${i}`);
      expect(alice.receive(bob.send(alice, `b${i}`, NOW + 3), NOW + 3).text).toBe(`b${i}`);
    }
  });

  it('repeats the PQXDH header until the responder answers, then stops', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 2);
    const e1 = alice.send(bob, 'one', NOW);
    const e2 = alice.send(bob, 'two', NOW);
    expect(openEnvelope(sodium, bob.identity, e1).kind).toBe('prekey');
    expect(openEnvelope(sodium, bob.identity, e2).kind).toBe('prekey');
    // Delivered in reverse: the second sets up the session, the first finds it by its base key.
    expect(bob.receive(e2, NOW).text).toBe('two');
    const again = bob.receive(e1, NOW);
    expect(again.text).toBe('one');
    expect(again.sessionIndex).toBe(0);
    expect(bob.sessions.get('alice.1')).toHaveLength(1);
    alice.receive(bob.send(alice, 'ok', NOW), NOW);
    expect(openEnvelope(sodium, bob.identity, alice.send(bob, 'three', NOW)).kind).toBe('ratchet');
  });

  it('works without a one-time prekey and with the last-resort KEM prekey', () => {
    const bob = new TestDevice(sodium, 'bob', 1, { oneTimePrekeys: 0, oneTimeKemPrekeys: 0 });
    const alice = new TestDevice(sodium, 'alice', 1);
    const received = bob.receive(alice.send(bob, 'no one-time keys left', NOW), NOW);
    expect(received.text).toBe('no one-time keys left');
    expect(received.consumedPrekeys).toEqual({ oneTimePrekeyId: null, kemPrekeyId: null });
    expect(bob.kemPrekeys.has(1)).toBe(true);
  });

  it('refuses a reused one-time prekey', () => {
    const bob = new TestDevice(sodium, 'bob', 1, { oneTimePrekeys: 1, oneTimeKemPrekeys: 0 });
    const bundle = bob.bundle();
    const alice = new TestDevice(sodium, 'alice', 1);
    const mallory = new TestDevice(sodium, 'mallory', 1);
    const send = (from: TestDevice) => {
      const session = initiateSession(sodium, {
        identity: from.identity,
        localAddress: from.address,
        bundle,
        now: NOW,
      });
      const { kind, body } = encryptMessage(sodium, session, new Uint8Array([1]), {
        messageId: new Uint8Array(16).fill(from === alice ? 1 : 2),
        timestamp: NOW,
      });
      return sealEnvelope(sodium, bob.identity.publicKey, {
        sender: from.address,
        kind,
        body,
        timestamp: NOW,
        messageId: new Uint8Array(16).fill(from === alice ? 1 : 2),
      });
    };
    bob.receive(send(alice), NOW);
    expect(codeOf(() => bob.receive(send(mallory), NOW))).toBe('CRYPTO_PREKEY_REUSED');
  });

  it('refuses a reused one-time KEM prekey, and deletes it once used', () => {
    const bob = new TestDevice(sodium, 'bob', 1, { oneTimePrekeys: 0, oneTimeKemPrekeys: 1 });
    const bundle = bob.bundle();
    expect(bundle.kemPrekeyIsLastResort).toBe(false);
    const setUp = (from: TestDevice, fill: number) => {
      const session = initiateSession(sodium, {
        identity: from.identity,
        localAddress: from.address,
        bundle,
        now: NOW,
      });
      const messageId = new Uint8Array(16).fill(fill);
      const { kind, body } = encryptMessage(sodium, session, new Uint8Array([1]), {
        messageId,
        timestamp: NOW,
      });
      return sealEnvelope(sodium, bob.identity.publicKey, {
        sender: from.address,
        kind,
        body,
        timestamp: NOW,
        messageId,
      });
    };
    const first = bob.receive(setUp(new TestDevice(sodium, 'alice', 1), 1), NOW);
    expect(first.consumedPrekeys).toEqual({ oneTimePrekeyId: null, kemPrekeyId: bundle.kemPrekey.id });
    expect(bob.kemPrekeys.has(bundle.kemPrekey.id)).toBe(false);
    expect(codeOf(() => bob.receive(setUp(new TestDevice(sodium, 'carol', 1), 2), NOW))).toBe(
      'CRYPTO_PREKEY_REUSED',
    );
  });

  it('refuses a set-up that names a prekey this device does not have', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const envelope = alice.send(bob, 'hi', NOW);
    bob.signedPrekeys.clear();
    expect(codeOf(() => bob.receive(envelope, NOW))).toBe('CRYPTO_MISSING_PREKEY');
  });

  it('refuses a ratchet message from a device it has no session with', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const carol = new TestDevice(sodium, 'carol', 1);
    bob.receive(alice.send(bob, 'hi', NOW), NOW);
    alice.receive(bob.send(alice, 'hi', NOW), NOW);
    // Alice now sends ratchet messages; sealed to Carol they find no session there.
    const inner = openEnvelope(sodium, bob.identity, alice.send(bob, 'x', NOW));
    expect(inner.kind).toBe('ratchet');
    expect(codeOf(() => carol.receive(sealEnvelope(sodium, carol.identity.publicKey, inner), NOW))).toBe(
      'CRYPTO_NO_SESSION',
    );
  });

  it('refuses a replayed envelope, by replay key and by the ratchet', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const envelope = alice.send(bob, 'once', NOW);
    bob.receive(envelope, NOW);
    expect(codeOf(() => bob.receive(envelope, NOW))).toBe('CRYPTO_REPLAY');
    bob.seen.clear();
    expect(codeOf(() => bob.receive(envelope, NOW))).toBe('CRYPTO_DUPLICATE_MESSAGE');
  });

  it('binds the envelope metadata: a changed message id or time fails to decrypt', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    bob.receive(alice.send(bob, 'hi', NOW), NOW);
    const inner = openEnvelope(sodium, bob.identity, alice.send(bob, 'again', NOW));
    const otherId = sealEnvelope(sodium, bob.identity.publicKey, { ...inner, messageId: new Uint8Array(16) });
    const otherTime = sealEnvelope(sodium, bob.identity.publicKey, {
      ...inner,
      timestamp: inner.timestamp + 1,
    });
    const before = serializeSession(bob.sessions.get('alice.1')![0]!);
    expect(codeOf(() => bob.receive(otherId, NOW))).toBe('CRYPTO_DECRYPT_FAILED');
    expect(codeOf(() => bob.receive(otherTime, NOW))).toBe('CRYPTO_DECRYPT_FAILED');
    expect(serializeSession(bob.sessions.get('alice.1')![0]!)).toEqual(before);
    expect(bob.receive(sealEnvelope(sodium, bob.identity.publicKey, inner), NOW).text).toBe('again');
  });

  it('binds the sender address: a message re-labelled as from another device fails', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const inner = decodeInnerEnvelope(
      encodeInnerEnvelope(openEnvelope(sodium, bob.identity, alice.send(bob, 'hi', NOW))),
    );
    const relabelled = sealEnvelope(sodium, bob.identity.publicKey, { ...inner, sender: 'alice.2' });
    expect(codeOf(() => bob.receive(relabelled, NOW))).toBe('CRYPTO_DECRYPT_FAILED');
  });

  it('reports the identity key a new session was set up with, so a changed key can be shown', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    bob.receive(alice.send(bob, 'hi', NOW), NOW);
    const reinstalled = new TestDevice(sodium, 'alice', 1);
    const received = bob.receive(reinstalled.send(bob, 'new phone', NOW), NOW);
    expect(received.sessionIndex).toBe(-1);
    expect(received.remoteIdentityKey).toEqual(reinstalled.identity.publicKey);
    expect(received.remoteIdentityKey).not.toEqual(alice.identity.publicKey);
    expect(bob.sessions.get('alice.1')).toHaveLength(2);
  });

  it('keeps both sessions when both sides set up at once, and either works', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const fromAlice = alice.send(bob, 'from alice', NOW);
    const fromBob = bob.send(alice, 'from bob', NOW);
    expect(bob.receive(fromAlice, NOW).text).toBe('from alice');
    expect(alice.receive(fromBob, NOW).text).toBe('from bob');
    for (let i = 0; i < 3; i++) {
      expect(bob.receive(alice.send(bob, `a${i}`, NOW), NOW).text).toBe(`a${i}`);
      expect(alice.receive(bob.send(alice, `b${i}`, NOW), NOW).text).toBe(`b${i}`);
    }
  });

  it('refuses a bundle whose prekey signature is not by the identity key', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const mallory = new TestDevice(sodium, 'mallory', 1);
    const forged = { ...bob.bundle(), identityKey: mallory.identity.publicKey };
    expect(
      codeOf(() =>
        initiateSession(sodium, {
          identity: alice.identity,
          localAddress: alice.address,
          bundle: forged,
          now: NOW,
        }),
      ),
    ).toBe('CRYPTO_BAD_SIGNATURE');
  });

  it('survives serialization at every step and decrypts exactly as before', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const roundTrip = (device: TestDevice) => {
      for (const [peer, list] of device.sessions) {
        const copies = list.map((s) => deserializeSession(sodium, serializeSession(s)));
        copies.forEach((copy, i) => {
          expect(copy).toEqual(list[i]);
          expect(serializeSession(copy)).toEqual(serializeSession(list[i]!));
        });
        device.sessions.set(peer, copies);
      }
    };
    const held: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      held.push(alice.send(bob, `late ${i}`, NOW));
      roundTrip(alice);
    }
    bob.receive(held[5]!, NOW);
    roundTrip(bob);
    expect([...bob.sessions.get('alice.1')![0]!.ratchet.skipped.values()]).toHaveLength(5);
    for (let i = 4; i >= 0; i--) {
      expect(bob.receive(held[i]!, NOW).text).toBe(`late ${i}`);
      roundTrip(bob);
    }
    alice.receive(bob.send(alice, 'done', NOW), NOW);
    roundTrip(alice);
    expect(bob.receive(alice.send(bob, 'after', NOW), NOW).text).toBe('after');
  });

  it('loads a session record written before the X25519 identity key was kept', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    bob.receive(alice.send(bob, 'hi', NOW), NOW);
    const session = bob.sessions.get('alice.1')![0]!;
    const record = fromBinary(SessionRecordSchema, serializeSession(session));
    const older = toBinary(SessionRecordSchema, { ...record, remoteIdentityDhKey: new Uint8Array(0) });
    expect(deserializeSession(sodium, older)).toEqual(session);
  });

  it('leaves every input unchanged when a decrypt fails', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    bob.receive(alice.send(bob, 'hi', NOW), NOW);
    alice.receive(bob.send(alice, 'hi', NOW), NOW);
    const session = bob.sessions.get('alice.1')![0]!;
    const before = serializeSession(session);
    const inner = openEnvelope(sodium, bob.identity, alice.send(bob, 'x', NOW));
    const body = inner.body.slice();
    body[body.length - 1]! ^= 1;
    expect(() =>
      decryptMessage(sodium, {
        identity: bob.identity,
        localAddress: bob.address,
        sender: inner.sender,
        kind: inner.kind,
        body,
        meta: inner,
        sessions: [session],
        prekeys: bob.prekeys(),
        now: NOW,
      }),
    ).toThrow(ParleyError);
    expect(serializeSession(session)).toEqual(before);
  });

  it('sends prekey messages that carry the ids the responder needs', () => {
    const alice = new TestDevice(sodium, 'alice', 1);
    const bob = new TestDevice(sodium, 'bob', 1);
    const message = decodePrekeyMessage(openEnvelope(sodium, bob.identity, alice.send(bob, 'x', NOW)).body);
    expect(message.signedPrekeyId).toBe(1);
    expect(message.oneTimePrekeyId).toBe(1);
    expect(message.kemPrekeyId).toBe(2);
    expect(message.identityKey).toEqual(alice.identity.publicKey);
  });
});
