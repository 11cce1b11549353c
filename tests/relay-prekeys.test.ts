/**
 * Issue 4, item 3: the prekey directory. Signatures are checked on upload (PQXDH §2.5), a bundle
 * fetch returns one bundle per active device and consumes one one-time EC and one one-time KEM
 * prekey per device, never the same one twice, even under many concurrent fetches.
 * THREAT-MODEL row: "The relay operator" (clients still verify; the relay refuses garbage).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEC } from '../shared/prekeys';
import { LOW_PREKEY_THRESHOLD } from '../shared/relay-protocol/limits';
import { eventually, type RelayWorld, signedPrekeys, startRelayWorld } from './support/relay-world';

let world: RelayWorld;
afterEach(async () => {
  await world?.close();
});

describe('prekey directory', () => {
  it('stores a signed upload, counts it, and serves bundles that verify', async () => {
    world = await startRelayWorld();
    const alice = await world.device();
    const bob = await world.device();
    const upload = signedPrekeys(world.sodium, bob.keys, { oneTime: 3, oneTimeKem: 2 });
    expect(await bob.client.uploadPrekeys(upload)).toEqual({ oneTimePrekeys: 3, oneTimeKemPrekeys: 2 });
    expect(await bob.client.prekeyCounts()).toEqual({ oneTimePrekeys: 3, oneTimeKemPrekeys: 2 });

    const [bundle] = await alice.client.fetchBundles(bob.address.userId);
    expect(bundle).toMatchObject({
      userId: bob.address.userId,
      deviceId: 1,
      oneTimePrekey: { id: upload.oneTimePrekeys![0]!.id },
      kemPrekey: { id: upload.oneTimeKemPrekeys![0]!.id },
      kemPrekeyIsLastResort: false,
    });
    expect(bundle!.identityKey).toEqual(bob.keys.publicKey);
    const sodium = world.sodium;
    expect(
      sodium.crypto_sign_verify_detached(
        bundle!.signedPrekey.signature,
        encodeEC(bundle!.signedPrekey.publicKey),
        bundle!.identityKey,
      ),
    ).toBe(true);
    expect(await bob.client.prekeyCounts()).toEqual({ oneTimePrekeys: 2, oneTimeKemPrekeys: 1 });
  });

  it('refuses an upload whose signature is not by the device key, storing nothing', async () => {
    world = await startRelayWorld();
    const carol = await world.device();
    const stranger = world.newKeys();
    const forged = signedPrekeys(world.sodium, stranger, { oneTime: 2, oneTimeKem: 2 });
    await expect(carol.client.uploadPrekeys(forged)).rejects.toMatchObject({ code: 'CRYPTO_BAD_SIGNATURE' });
    const good = signedPrekeys(world.sodium, carol.keys, { oneTime: 2, oneTimeKem: 2 });
    const tampered = {
      ...good,
      oneTimeKemPrekeys: good.oneTimeKemPrekeys!.map((k, i) =>
        i === 1 ? { ...k, publicKey: k.publicKey.map((b, j) => (j === 0 ? b ^ 1 : b)) } : k,
      ),
    };
    await expect(carol.client.uploadPrekeys(tampered)).rejects.toMatchObject({
      code: 'CRYPTO_BAD_SIGNATURE',
    });
    expect(await carol.client.prekeyCounts()).toEqual({ oneTimePrekeys: 0, oneTimeKemPrekeys: 0 });
  });

  it('returns a bundle per active device, falling back to the last-resort KEM prekey', async () => {
    world = await startRelayWorld();
    const dan = await world.device();
    const eve = await world.device();
    const tabletKeys = world.newKeys();
    const tablet = world.client(tabletKeys);
    await tablet.connect(await eve.client.addDevice(tabletKeys.publicKey));
    await eve.client.uploadPrekeys(signedPrekeys(world.sodium, eve.keys, { oneTime: 1, oneTimeKem: 1 }));
    await tablet.uploadPrekeys(signedPrekeys(world.sodium, tabletKeys, { oneTime: 0, oneTimeKem: 0 }));

    const first = await dan.client.fetchBundles(eve.address.userId);
    expect(first.map((b) => [b.deviceId, b.oneTimePrekey !== null, b.kemPrekeyIsLastResort])).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
    const second = await dan.client.fetchBundles(eve.address.userId);
    expect(second.map((b) => [b.deviceId, b.oneTimePrekey, b.kemPrekeyIsLastResort])).toEqual([
      [1, null, true],
      [2, null, true],
    ]);
    await expect(dan.client.fetchBundles('no-such-user')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never hands out a one-time prekey twice under many concurrent fetches', async () => {
    world = await startRelayWorld();
    const fred = await world.device();
    await fred.client.uploadPrekeys(signedPrekeys(world.sodium, fred.keys, { oneTime: 60, oneTimeKem: 40 }));
    const fetchers = await Promise.all(Array.from({ length: 6 }, () => world.device()));
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        fetchers[i % fetchers.length]!.client.fetchBundles(fred.address.userId),
      ),
    );
    const bundles = results.map((r) => r[0]!);
    const ec = bundles.flatMap((b) => (b.oneTimePrekey ? [b.oneTimePrekey.id] : []));
    const kem = bundles.filter((b) => !b.kemPrekeyIsLastResort).map((b) => b.kemPrekey.id);
    expect(ec).toHaveLength(60);
    expect(new Set(ec).size).toBe(60);
    expect(kem).toHaveLength(40);
    expect(new Set(kem).size).toBe(40);
    expect(await fred.client.prekeyCounts()).toEqual({ oneTimePrekeys: 0, oneTimeKemPrekeys: 0 });
  });

  it('tells a device when its one-time prekeys run low', async () => {
    world = await startRelayWorld();
    const gil = await world.device();
    const hana = await world.device();
    const low: number[] = [];
    gil.client.onPrekeysLow((counts) => low.push(counts.oneTimePrekeys));
    await gil.client.uploadPrekeys(
      signedPrekeys(world.sodium, gil.keys, {
        oneTime: LOW_PREKEY_THRESHOLD + 1,
        oneTimeKem: LOW_PREKEY_THRESHOLD * 2,
      }),
    );
    await hana.client.fetchBundles(gil.address.userId);
    await hana.client.fetchBundles(gil.address.userId);
    await eventually(() => (low.length > 0 ? true : undefined));
    // The first fetch leaves exactly the threshold; the second goes below it.
    expect(low).toEqual([LOW_PREKEY_THRESHOLD - 1]);
  });

  it('refuses malformed uploads with a clear code', async () => {
    world = await startRelayWorld();
    const ian = await world.device();
    const good = signedPrekeys(world.sodium, ian.keys, { oneTime: 1, oneTimeKem: 1 });
    await expect(ian.client.uploadPrekeys({})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      ian.client.uploadPrekeys({ signedPrekey: { ...good.signedPrekey!, publicKey: new Uint8Array(31) } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      ian.client.uploadPrekeys({
        oneTimePrekeys: Array.from({ length: 201 }, (_, i) => ({ id: i, publicKey: new Uint8Array(32) })),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
