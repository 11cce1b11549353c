/**
 * Prekey upkeep through a real relay: when others use up a device's one-time prekeys the relay
 * says so and the device uploads more; after 7 days the signed prekey is replaced (the old one
 * is kept for late session set-ups).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createIdentity, loadSodium } from '../electron/core/crypto';
import { signWithIdentity } from '../electron/core/crypto/identity';
import { RelayClient } from '../electron/core/relay-client/relay-client';
import { type MessengerWorld, messengerWorld, PASSPHRASE } from './support/messenger-world';

let world: MessengerWorld;
beforeEach(async () => {
  world = await messengerWorld();
});
afterEach(async () => {
  await world.close();
});

it('replenishes one-time prekeys when others have used most of them', async () => {
  const bob = await world.client('bob');
  const bobId = (await bob.call('app.state')).account!.userId;
  const bobAddress = { userId: bobId, deviceId: 1 };
  expect(await world.relay().store.prekeyCounts(bobAddress)).toEqual({
    oneTimePrekeys: 100,
    oneTimeKemPrekeys: 100,
  });

  // Someone else starts sessions with Bob, 80 times, through the relay's socket API.
  const sodium = await loadSodium();
  const mallory = createIdentity(sodium);
  const client = new RelayClient({
    url: world.relayUrl,
    identityPublicKey: mallory.publicKey,
    sign: (m) => signWithIdentity(sodium, mallory, m),
  });
  const address = await client.register({
    username: 'mallory',
    displayName: 'Mallory',
    invitationCode: null,
    identityKey: mallory.publicKey,
  });
  await client.connect(address);
  const seen = new Set<number>();
  for (let i = 0; i < 80; i++) {
    const [bundle] = await client.fetchBundles(bobId);
    expect(bundle!.oneTimePrekey).not.toBeNull();
    seen.add(bundle!.oneTimePrekey!.id);
  }
  await client.close();
  expect(seen.size).toBe(80);

  // The relay told Bob's device; it generated and uploaded more.
  await bob.until('replenished prekeys', async () => {
    const counts = await world.relay().store.prekeyCounts(bobAddress);
    return counts.oneTimePrekeys >= 100 && counts.oneTimeKemPrekeys >= 100 && counts;
  });
});

it('rotates the signed prekey after seven days', async () => {
  let now = Date.now();
  const bob = await world.client('bob', { clock: () => now });
  const bobId = (await bob.call('app.state')).account!.userId;
  const [before] = await world.relay().store.takeBundles(bobId);
  now += 8 * 24 * 60 * 60_000;
  await bob.call('account.lock');
  await bob.call('account.unlock', { passphrase: PASSPHRASE });
  await bob.until('a new signed prekey on the relay', async () => {
    const [after] = await world.relay().store.takeBundles(bobId);
    return after && after.signedPrekey.id !== before!.signedPrekey.id && after;
  });
});
