import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium, type Sodium } from './sodium';
import type { Store } from './store';
import { openTempStore } from './test-support';

let sodium: Sodium;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function world(): Store {
  const temp = openTempStore(sodium);
  cleanups.push(temp.remove);
  return temp.store;
}

const bytes = (...values: number[]) => new Uint8Array(values);
const list = (value: Uint8Array | undefined) => (value === undefined ? undefined : Array.from(value));

describe('account and identity', () => {
  it('records the account once and updates the profile', () => {
    const store = world();
    expect(store.account.get()).toBeUndefined();
    expect(() => store.account.update({ displayName: 'x' })).toThrow(
      expect.objectContaining({ code: 'ACCOUNT_MISSING' }),
    );
    const account = {
      userId: 'u1',
      deviceId: 2,
      username: 'ann',
      displayName: 'Ann',
      relayUrl: 'http://r',
      createdAt: 9,
    };
    store.account.create(account);
    expect(() => store.account.create(account)).toThrow(expect.objectContaining({ code: 'ACCOUNT_EXISTS' }));
    expect(store.account.update({ displayName: 'Ann B.' })).toEqual({ ...account, displayName: 'Ann B.' });
    store.identity.put(bytes(1, 2), 1);
    store.identity.put(bytes(3), 2);
    expect(list(store.identity.get())).toEqual([3]);
  });
});

describe('prekeys', () => {
  it('keeps signed prekeys through rotation and purges retired ones after a while', () => {
    const store = world();
    store.prekeys.putSignedPrekey(1, bytes(1), 100);
    store.prekeys.putSignedPrekey(2, bytes(2), 200);
    expect(store.prekeys.retireSignedPrekey(1, 250)).toBe(true);
    expect(store.prekeys.retireSignedPrekey(1, 260)).toBe(false);
    expect(store.prekeys.listSignedPrekeys()).toEqual([
      { id: 2, createdAt: 200, retiredAt: null },
      { id: 1, createdAt: 100, retiredAt: 250 },
    ]);
    expect(store.prekeys.removeSignedPrekeysRetiredBefore(250)).toBe(0);
    expect(store.prekeys.removeSignedPrekeysRetiredBefore(251)).toBe(1);
    expect(store.prekeys.getSignedPrekey(1)).toBeUndefined();
    expect(list(store.prekeys.getSignedPrekey(2))).toEqual([2]);
  });

  it('consumes one-time prekeys exactly once', () => {
    const store = world();
    store.prekeys.putOneTimePrekeys(
      Array.from({ length: 5 }, (_, i) => ({ id: 10 + i, record: bytes(i) })),
      1,
    );
    expect(store.prekeys.countOneTimePrekeys()).toBe(5);
    expect(store.prekeys.maxOneTimePrekeyId()).toBe(14);
    expect(list(store.prekeys.getOneTimePrekey(12))).toEqual([2]);
    expect(store.prekeys.removeOneTimePrekey(12)).toBe(true);
    expect(store.prekeys.removeOneTimePrekey(12)).toBe(false);
    expect(store.prekeys.getOneTimePrekey(12)).toBeUndefined();
    expect(store.prekeys.countOneTimePrekeys()).toBe(4);
  });

  it('removes one-time KEM prekeys when consumed but never a last-resort one', () => {
    const store = world();
    store.prekeys.putKemPrekey(1, bytes(1), false, 10);
    store.prekeys.putKemPrekey(2, bytes(2), true, 20);
    expect(store.prekeys.countOneTimeKemPrekeys()).toBe(1);
    expect(store.prekeys.getKemPrekey(2)).toMatchObject({ id: 2, lastResort: true, retiredAt: null });
    expect(store.prekeys.removeOneTimeKemPrekey(2)).toBe(false);
    expect(store.prekeys.removeOneTimeKemPrekey(1)).toBe(true);
    expect(store.prekeys.getKemPrekey(1)).toBeUndefined();
    expect(store.prekeys.retireLastResortKemPrekey(2, 30)).toBe(true);
    expect(store.prekeys.removeLastResortKemPrekeysRetiredBefore(31)).toBe(1);
    expect(store.prekeys.listKemPrekeys()).toEqual([]);
    expect(store.prekeys.maxKemPrekeyId()).toBe(0);
  });
});

describe('contacts and sessions', () => {
  const bob = {
    userId: 'bob',
    username: 'bob',
    displayName: 'Bob',
    identityKey: bytes(7, 7),
    verified: false,
    keyChanged: false,
    updatedAt: 1,
  };

  it('tracks verification and identity key changes', () => {
    const store = world();
    store.contacts.put(bob);
    store.contacts.setVerified('bob', true, 2);
    store.contacts.setIdentityKey('bob', bytes(8, 8), true, 3);
    expect(store.contacts.get('bob')).toEqual({
      ...bob,
      identityKey: expect.anything(),
      verified: true,
      keyChanged: true,
      updatedAt: 3,
    });
    expect(list(store.contacts.get('bob')?.identityKey)).toEqual([8, 8]);
    store.contacts.setKeyChanged('bob', false, 4);
    expect(store.contacts.getByUsername('bob')).toMatchObject({ verified: true, keyChanged: false });
    expect(() => store.contacts.setVerified('nobody', true, 1)).toThrow(
      expect.objectContaining({ code: 'CONTACT_UNKNOWN' }),
    );
    expect(store.contacts.list().map((c) => c.userId)).toEqual(['bob']);
  });

  it('keeps devices per contact and drops them with the contact', () => {
    const store = world();
    expect(() => store.contacts.putDevice({ userId: 'bob', deviceId: 1 }, bytes(1), 1)).toThrow(
      expect.objectContaining({ code: 'CONTACT_UNKNOWN' }),
    );
    store.contacts.put(bob);
    store.contacts.putDevice({ userId: 'bob', deviceId: 2 }, bytes(2), 1);
    store.contacts.putDevice({ userId: 'bob', deviceId: 1 }, bytes(1), 1);
    expect(store.contacts.listDevices('bob').map((d) => d.address.deviceId)).toEqual([1, 2]);
    expect(store.contacts.removeDevice({ userId: 'bob', deviceId: 2 })).toBe(true);
    expect(store.contacts.delete('bob')).toBe(true);
    expect(store.contacts.getDevice({ userId: 'bob', deviceId: 1 })).toBeUndefined();
  });

  it('stores session state per device address', () => {
    const store = world();
    store.sessions.put({ userId: 'bob', deviceId: 1 }, bytes(1), 1);
    store.sessions.put({ userId: 'bob', deviceId: 3 }, bytes(3), 1);
    store.sessions.put({ userId: 'bob', deviceId: 1 }, bytes(9), 2);
    store.sessions.put({ userId: 'bobby', deviceId: 1 }, bytes(5), 1);
    expect(list(store.sessions.get({ userId: 'bob', deviceId: 1 }))).toEqual([9]);
    expect(store.sessions.addressesOf('bob')).toEqual([
      { userId: 'bob', deviceId: 1 },
      { userId: 'bob', deviceId: 3 },
    ]);
    expect(store.sessions.delete({ userId: 'bob', deviceId: 3 })).toBe(true);
    expect(store.sessions.deleteAllFor('bob')).toBe(1);
    expect(store.sessions.get({ userId: 'bobby', deviceId: 1 })).toBeDefined();
  });
});

describe('outbox, seen ids and settings', () => {
  it('hands out due envelopes earliest first and reschedules attempts', () => {
    const store = world();
    const to = (deviceId: number) => ({ userId: 'bob', deviceId });
    const a = store.outbox.enqueue({
      messageId: 'm1',
      recipient: to(1),
      envelope: bytes(1),
      nextAttemptAt: 100,
      createdAt: 1,
    });
    store.outbox.enqueue({
      messageId: 'm1',
      recipient: to(2),
      envelope: bytes(2),
      nextAttemptAt: 50,
      createdAt: 1,
    });
    store.outbox.enqueue({
      messageId: 'm2',
      recipient: to(1),
      envelope: bytes(3),
      nextAttemptAt: 500,
      createdAt: 2,
    });
    expect(() =>
      store.outbox.enqueue({
        messageId: 'm1',
        recipient: to(1),
        envelope: bytes(1),
        nextAttemptAt: 1,
        createdAt: 1,
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(store.outbox.due(100).map((e) => list(e.envelope))).toEqual([[2], [1]]);
    expect(store.outbox.nextAttemptAt()).toBe(50);
    store.outbox.recordAttempt(a.id, 1_000);
    expect(store.outbox.get(a.id)).toMatchObject({ attempts: 1, nextAttemptAt: 1_000, recipient: to(1) });
    expect(store.outbox.due(100)).toHaveLength(1);
    expect(store.outbox.remove(a.id)).toBe(true);
    expect(store.outbox.removeForMessage('m1')).toBe(1);
    expect(store.outbox.size()).toBe(1);
  });

  it('recognises a replayed message id until the retention window passes', () => {
    const store = world();
    expect(store.seen.markSeen('abc', 1_000)).toBe(true);
    expect(store.seen.markSeen('abc', 2_000)).toBe(false);
    expect(store.seen.hasSeen('abc')).toBe(true);
    expect(store.seen.prune(1_500, 1_000)).toBe(0);
    expect(store.seen.prune(2_001, 1_000)).toBe(1);
    expect(store.seen.hasSeen('abc')).toBe(false);
  });

  it('keeps settings as JSON values', () => {
    const store = world();
    store.settings.set('theme', { mode: 'dark', accents: ['blue'] });
    expect(store.settings.get('theme')).toEqual({ mode: 'dark', accents: ['blue'] });
    expect(store.settings.delete('theme')).toBe(true);
    expect(store.settings.get('theme')).toBeUndefined();
  });
});
