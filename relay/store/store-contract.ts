/**
 * The one test suite both stores pass (DESIGN.md, Storage). `describeRelayStore` registers the
 * tests; each test opens a fresh, empty store from the factory and closes it afterwards.
 * Signatures are the relay's job (checked before a store sees keys), so keys here are random.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceAddress } from '../../shared/address';
import type { PrekeyUpload } from '../../shared/prekeys';
import { verifyAuditChain } from './audit-chain';
import type { CommitResult, MailboxLimits, RelayStore } from './relay-store';

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

function key(bytes = 32): Uint8Array {
  return new Uint8Array(randomBytes(bytes));
}

const limits = (over: Partial<MailboxLimits> = {}): MailboxLimits => ({
  quota: 1000,
  maxBytes: 1_000_000,
  now: NOW,
  expiresAt: NOW + DAY,
  ...over,
});

function envelope(to: DeviceAddress, text: string) {
  return { to, bytes: new TextEncoder().encode(text) };
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function storedIds(result: CommitResult): string[] {
  const outcome = result.outcomes[0];
  if (!outcome?.ok) throw new Error('the batch was refused');
  return outcome.stored.map((e) => e.id);
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

let users = 0;
async function register(store: RelayStore, username?: string, displayName?: string): Promise<DeviceAddress> {
  users++;
  return store.registerUser({
    userId: `user${users}_${randomBytes(4).toString('hex')}`,
    username: username ?? `user${users}`,
    displayName: displayName ?? `User ${users}`,
    identityKey: key(),
    invitationCodeHash: null,
    now: NOW,
    actor: 'test',
  });
}

function prekeys(from: number, count: number, kemCount: number): PrekeyUpload {
  return {
    signedPrekey: { id: 1, publicKey: key(), signature: key(64) },
    lastResortKemPrekey: { id: 100_000, publicKey: key(1568), signature: key(64) },
    oneTimePrekeys: Array.from({ length: count }, (_, i) => ({ id: from + i, publicKey: key() })),
    oneTimeKemPrekeys: Array.from({ length: kemCount }, (_, i) => ({
      id: from + i,
      publicKey: key(1568),
      signature: key(64),
    })),
  };
}

export function describeRelayStore(name: string, open: () => Promise<RelayStore>): void {
  describe(`RelayStore contract: ${name}`, () => {
    let store: RelayStore;
    const opened: RelayStore[] = [];
    async function fresh(): Promise<RelayStore> {
      store = await open();
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    describe('accounts', () => {
      it('registers with an invitation once, for its username only, before it expires', async () => {
        await fresh();
        const codeHash = key();
        await store.createInvitation({
          codeHash,
          username: 'alice',
          createdAt: NOW,
          expiresAt: NOW + DAY,
          actor: 'cli',
        });
        const base = { displayName: 'Alice', invitationCodeHash: codeHash, now: NOW, actor: 'invitation' };
        await expectCode(
          store.registerUser({ ...base, userId: 'u-mallory', username: 'mallory', identityKey: key() }),
          'RELAY_INVITATION_INVALID',
        );
        const alice = await store.registerUser({
          ...base,
          userId: 'u-alice',
          username: 'alice',
          identityKey: key(),
        });
        expect(alice).toEqual({ userId: 'u-alice', deviceId: 1 });
        await expectCode(
          store.registerUser({ ...base, userId: 'u-alice2', username: 'alice', identityKey: key() }),
          'RELAY_INVITATION_INVALID',
        );

        const late = key();
        await store.createInvitation({
          codeHash: late,
          username: 'bob',
          createdAt: NOW,
          expiresAt: NOW + 10,
          actor: 'cli',
        });
        await expectCode(
          store.registerUser({
            ...base,
            invitationCodeHash: late,
            now: NOW + 10,
            userId: 'u-bob',
            username: 'bob',
            identityKey: key(),
          }),
          'RELAY_INVITATION_INVALID',
        );
        expect(await store.getUserByUsername('bob')).toBeNull();
      });

      it('refuses a taken username and a device key registered already', async () => {
        await fresh();
        const identityKey = key();
        const base = { displayName: 'A', invitationCodeHash: null, now: NOW, actor: 'open-registration' };
        await store.registerUser({ ...base, userId: 'u1', username: 'ann', identityKey });
        await expectCode(
          store.registerUser({ ...base, userId: 'u2', username: 'ann', identityKey: key() }),
          'RELAY_USERNAME_TAKEN',
        );
        await expectCode(
          store.registerUser({ ...base, userId: 'u3', username: 'bea', identityKey }),
          'CONFLICT',
        );
        expect(await store.getUser('u3')).toBeNull();
        await expectCode(store.addDevice('u1', identityKey, NOW, 'device:u1.1'), 'CONFLICT');
      });

      it('numbers added devices per user and records users and devices', async () => {
        await fresh();
        const first = await register(store, 'carl', 'Carl');
        const second = await store.addDevice(first.userId, key(), NOW + 1, `device:${first.userId}.1`);
        const third = await store.addDevice(first.userId, key(), NOW + 2, `device:${first.userId}.1`);
        expect([second.deviceId, third.deviceId]).toEqual([2, 3]);
        const user = await store.getUser(first.userId);
        expect(user).toMatchObject({
          username: 'carl',
          displayName: 'Carl',
          status: 'active',
          externalId: null,
        });
        expect((await store.listActiveDevices(first.userId)).map((d) => d.deviceId)).toEqual([1, 2, 3]);
        await store.touchDevice(second, NOW + 5);
        expect(await store.getDevice(second)).toMatchObject({ lastSeenAt: NOW + 5, revokedAt: null });
        await expectCode(store.addDevice('nobody', key(), NOW, 'x'), 'NOT_FOUND');
      });

      it('revokes a device: gone from the active list, its mailbox, prekeys and sessions deleted', async () => {
        await fresh();
        const dana = await register(store);
        const second = await store.addDevice(dana.userId, key(), NOW, 'test');
        const tokenHash = key();
        await store.createSession({ tokenHash, address: second, expiresAt: NOW + DAY });
        await store.savePrekeys(second, prekeys(1, 3, 2));
        await store.commit({ batches: [{ envelopes: [envelope(second, 'x')] }], acks: [] }, limits());

        expect(await store.revokeDevice(second, NOW + 1, 'admin-cli')).toBe(true);
        expect(await store.revokeDevice(second, NOW + 2, 'admin-cli')).toBe(false);
        expect((await store.getDevice(second))?.revokedAt).toBe(NOW + 1);
        expect((await store.listActiveDevices(dana.userId)).map((d) => d.deviceId)).toEqual([1]);
        expect(await store.findSession(tokenHash, NOW)).toBeNull();
        expect(await store.pending(second, null, 10, NOW)).toEqual([]);
        expect(await store.depth(second)).toEqual({ count: 0, bytes: 0 });
        expect(await store.prekeyCounts(second)).toEqual({ oneTimePrekeys: 0, oneTimeKemPrekeys: 0 });
      });

      it('deactivates a user: hidden from the directory, sessions refused, no bundles, nothing delivered', async () => {
        await fresh();
        const erin = await register(store, 'erin', 'Erin');
        const tokenHash = key();
        await store.createSession({ tokenHash, address: erin, expiresAt: NOW + DAY });
        await store.savePrekeys(erin, prekeys(1, 2, 2));
        expect(await store.deactivateUser(erin.userId, NOW + 1, 'admin-cli')).toBe(true);
        expect(await store.deactivateUser(erin.userId, NOW + 2, 'admin-cli')).toBe(false);
        expect((await store.getUser(erin.userId))?.status).toBe('deactivated');
        expect(await store.searchDirectory('erin', 10)).toEqual([]);
        expect(await store.findSession(tokenHash, NOW)).toBeNull();
        await expectCode(store.takeBundles(erin.userId), 'RELAY_USER_DEACTIVATED');
        await expectCode(store.addDevice(erin.userId, key(), NOW, 'x'), 'RELAY_USER_DEACTIVATED');
        const result = await store.commit(
          { batches: [{ envelopes: [envelope(erin, 'late')] }], acks: [] },
          limits(),
        );
        expect(result.outcomes[0]).toMatchObject({ ok: false, code: 'RELAY_USER_DEACTIVATED' });
      });

      it('searches active users by username, display name or a word of it, case-insensitively', async () => {
        await fresh();
        const alice = await register(store, 'alice', 'Alice Smith');
        await register(store, 'bob_1', 'Robert Jones');
        await register(store, 'bobby', 'Bobby Tables');
        const gone = await register(store, 'bobo', 'Bobo');
        await store.deactivateUser(gone.userId, NOW, 'admin-cli');

        expect((await store.searchDirectory('bob', 10)).map((u) => u.username)).toEqual(['bob_1', 'bobby']);
        expect(await store.searchDirectory('SMI', 10)).toEqual([
          { userId: alice.userId, username: 'alice', displayName: 'Alice Smith' },
        ]);
        expect((await store.searchDirectory('rob', 10)).map((u) => u.username)).toEqual(['bob_1']);
        // LIKE wildcards in a query match literally.
        expect((await store.searchDirectory('bob_', 10)).map((u) => u.username)).toEqual(['bob_1']);
        expect(await store.searchDirectory('%', 10)).toEqual([]);
        expect(await store.searchDirectory('b', 1)).toHaveLength(1);
      });

      it('finds a session only while it lives and deletes expired credentials', async () => {
        await fresh();
        const fay = await register(store);
        const tokenHash = key();
        await store.createSession({ tokenHash, address: fay, expiresAt: NOW + 100 });
        expect(await store.findSession(tokenHash, NOW)).toEqual(fay);
        expect(await store.findSession(key(), NOW)).toBeNull();
        expect(await store.findSession(tokenHash, NOW + 100)).toBeNull();
        const codeHash = key();
        await store.createInvitation({
          codeHash,
          username: 'gus',
          createdAt: NOW,
          expiresAt: NOW + 100,
          actor: 'cli',
        });
        await store.expireCredentials(NOW + 100);
        // The expired invitation is gone even for a clock that is behind.
        await expectCode(
          store.registerUser({
            userId: 'u-gus',
            username: 'gus',
            displayName: 'Gus',
            identityKey: key(),
            invitationCodeHash: codeHash,
            now: NOW,
            actor: 'invitation',
          }),
          'RELAY_INVITATION_INVALID',
        );
      });
    });

    describe('prekeys', () => {
      it('stores prekeys, counts them and hands out each one-time prekey once', async () => {
        await fresh();
        const hal = await register(store);
        const upload = prekeys(1, 3, 2);
        expect(await store.savePrekeys(hal, upload)).toEqual({ oneTimePrekeys: 3, oneTimeKemPrekeys: 2 });
        // Re-uploading the same ids adds nothing.
        expect(await store.savePrekeys(hal, { oneTimePrekeys: upload.oneTimePrekeys })).toEqual({
          oneTimePrekeys: 3,
          oneTimeKemPrekeys: 2,
        });
        const taken = [];
        for (let i = 0; i < 4; i++) taken.push((await store.takeBundles(hal.userId))[0]!);
        expect(taken.map((b) => b.oneTimePrekey?.id ?? null)).toEqual([1, 2, 3, null]);
        expect(taken.map((b) => [b.kemPrekey.id, b.kemPrekeyIsLastResort])).toEqual([
          [1, false],
          [2, false],
          [100_000, true],
          [100_000, true],
        ]);
        const first = taken[0]!;
        expect(first.identityKey).toHaveLength(32);
        expect(first.signedPrekey.publicKey).toEqual(upload.signedPrekey!.publicKey);
        expect(first.signedPrekey.signature).toEqual(upload.signedPrekey!.signature);
        expect(first.oneTimePrekey?.publicKey).toEqual(upload.oneTimePrekeys![0]!.publicKey);
        expect(first.kemPrekey.publicKey).toEqual(upload.oneTimeKemPrekeys![0]!.publicKey);
        expect(await store.prekeyCounts(hal)).toEqual({ oneTimePrekeys: 0, oneTimeKemPrekeys: 0 });
      });

      it('returns one bundle per active device that has prekeys', async () => {
        await fresh();
        const ida = await register(store);
        const second = await store.addDevice(ida.userId, key(), NOW, 'test');
        const third = await store.addDevice(ida.userId, key(), NOW, 'test');
        await store.addDevice(ida.userId, key(), NOW, 'test'); // never uploads prekeys
        for (const d of [ida, second, third]) await store.savePrekeys(d, prekeys(1, 2, 2));
        await store.revokeDevice(third, NOW, 'admin-cli');
        const bundles = await store.takeBundles(ida.userId);
        expect(bundles.map((b) => b.deviceId)).toEqual([1, 2]);
        expect(await store.prekeyCounts(ida)).toEqual({ oneTimePrekeys: 1, oneTimeKemPrekeys: 1 });
        await expectCode(store.takeBundles('nobody'), 'NOT_FOUND');
      });

      it('never hands out the same one-time prekey twice under concurrent fetches', async () => {
        await fresh();
        const jay = await register(store);
        const second = await store.addDevice(jay.userId, key(), NOW, 'test');
        await store.savePrekeys(jay, prekeys(1, 40, 30));
        await store.savePrekeys(second, prekeys(1, 40, 30));
        const results = await Promise.all(Array.from({ length: 60 }, () => store.takeBundles(jay.userId)));
        for (const deviceId of [1, 2]) {
          const bundles = results.map((r) => r.find((b) => b.deviceId === deviceId)!);
          const ec = bundles.flatMap((b) => (b.oneTimePrekey ? [b.oneTimePrekey.id] : []));
          const kem = bundles.filter((b) => !b.kemPrekeyIsLastResort).map((b) => b.kemPrekey.id);
          expect(new Set(ec).size).toBe(ec.length);
          expect(new Set(kem).size).toBe(kem.length);
          expect(ec).toHaveLength(40);
          expect(kem).toHaveLength(30);
        }
      });

      it('refuses prekeys for an unknown device and more one-time prekeys than it keeps', async () => {
        await fresh();
        await expectCode(
          store.savePrekeys({ userId: 'nobody', deviceId: 1 }, prekeys(1, 1, 1)),
          'RELAY_UNKNOWN_DEVICE',
        );
        const kim = await register(store);
        for (let i = 0; i < 10; i++)
          await store.savePrekeys(kim, { oneTimePrekeys: prekeys(i * 200, 200, 0).oneTimePrekeys });
        await expectCode(
          store.savePrekeys(kim, { oneTimePrekeys: prekeys(5000, 1, 0).oneTimePrekeys }),
          'INVALID_ARGUMENT',
        );
        expect((await store.prekeyCounts(kim)).oneTimePrekeys).toBe(2000);
      });
    });

    describe('mailboxes', () => {
      it('stores batches in one commit, lists them in order and deletes them on ack', async () => {
        await fresh();
        const leo = await register(store);
        const mia = await register(store);
        const result = await store.commit(
          {
            batches: [
              { envelopes: [envelope(leo, 'a'), envelope(mia, 'b')] },
              { envelopes: [envelope(leo, 'c')] },
            ],
            acks: [],
          },
          limits(),
        );
        expect(result.outcomes.map((o) => o.ok)).toEqual([true, true]);
        const leoPending = await store.pending(leo, null, 10, NOW);
        expect(leoPending.map((e) => text(e.bytes))).toEqual(['a', 'c']);
        expect(BigInt(leoPending[0]!.id) < BigInt(leoPending[1]!.id)).toBe(true);
        expect(await store.depth(leo)).toEqual({ count: 2, bytes: 2 });
        expect(await store.totalDepth()).toBe(3);
        expect((await store.pending(leo, leoPending[0]!.id, 10, NOW)).map((e) => text(e.bytes))).toEqual([
          'c',
        ]);

        // An ack deletes only the acking device's own envelopes.
        const miaId = (await store.pending(mia, null, 10, NOW))[0]!.id;
        const acked = await store.commit(
          { batches: [], acks: [{ device: leo, ids: [leoPending[0]!.id, miaId, '999999'] }] },
          limits(),
        );
        expect(acked.deleted).toBe(1);
        expect((await store.pending(leo, null, 10, NOW)).map((e) => text(e.bytes))).toEqual(['c']);
        expect(await store.pending(mia, null, 10, NOW)).toHaveLength(1);
        expect(await store.depth(leo)).toEqual({ count: 1, bytes: 1 });
      });

      it('refuses a whole batch for an unknown, revoked or full mailbox, without touching the others', async () => {
        await fresh();
        const ned = await register(store);
        const ola = await register(store);
        const old = await store.addDevice(ola.userId, key(), NOW, 'test');
        await store.revokeDevice(old, NOW, 'admin-cli');
        const result = await store.commit(
          {
            batches: [
              { envelopes: [envelope(ned, '1'), envelope({ userId: 'ghost', deviceId: 1 }, '2')] },
              { envelopes: [envelope(ned, '3'), envelope(old, '4')] },
              { envelopes: [envelope(ned, '5'), envelope(ned, '6'), envelope(ola, '7')] },
              { envelopes: [envelope(ned, '8')] },
            ],
            acks: [],
          },
          limits({ quota: 2 }),
        );
        expect(result.outcomes).toEqual([
          { ok: false, code: 'RELAY_UNKNOWN_DEVICE', rejected: [{ index: 1, code: 'RELAY_UNKNOWN_DEVICE' }] },
          { ok: false, code: 'RELAY_DEVICE_REVOKED', rejected: [{ index: 1, code: 'RELAY_DEVICE_REVOKED' }] },
          expect.objectContaining({ ok: true }),
          {
            ok: false,
            code: 'RELAY_MAILBOX_FULL',
            rejected: [{ index: 0, code: 'RELAY_MAILBOX_FULL' }],
          },
        ]);
        expect((await store.pending(ned, null, 10, NOW)).map((e) => text(e.bytes))).toEqual(['5', '6']);

        const bytesFull = await store.commit(
          { batches: [{ envelopes: [{ to: ola, bytes: new Uint8Array(600) }] }], acks: [] },
          limits({ maxBytes: 500 }),
        );
        expect(bytesFull.outcomes[0]).toMatchObject({ ok: false, code: 'RELAY_MAILBOX_FULL' });
      });

      it('makes room with acks committed in the same group', async () => {
        await fresh();
        const pia = await register(store);
        await store.commit(
          { batches: [{ envelopes: [envelope(pia, 'old')] }], acks: [] },
          limits({ quota: 1 }),
        );
        const [old] = await store.pending(pia, null, 1, NOW);
        const result = await store.commit(
          { batches: [{ envelopes: [envelope(pia, 'new')] }], acks: [{ device: pia, ids: [old!.id] }] },
          limits({ quota: 1 }),
        );
        expect(result.outcomes[0]?.ok).toBe(true);
        expect((await store.pending(pia, null, 10, NOW)).map((e) => text(e.bytes))).toEqual(['new']);
      });

      it('never reuses an envelope id, even after the newest was deleted', async () => {
        await fresh();
        const quinn = await register(store);
        const first = await store.commit(
          { batches: [{ envelopes: [envelope(quinn, 'a')] }], acks: [] },
          limits(),
        );
        const id = storedIds(first)[0]!;
        await store.commit({ batches: [], acks: [{ device: quinn, ids: [id] }] }, limits());
        const second = await store.commit(
          { batches: [{ envelopes: [envelope(quinn, 'b')] }], acks: [] },
          limits(),
        );
        const next = storedIds(second)[0]!;
        expect(BigInt(next) > BigInt(id)).toBe(true);
      });

      it('expires envelopes past their time to live and hides them before that', async () => {
        await fresh();
        const rae = await register(store);
        await store.commit(
          { batches: [{ envelopes: [envelope(rae, 'short')] }], acks: [] },
          limits({ expiresAt: NOW + 10 }),
        );
        await store.commit(
          { batches: [{ envelopes: [envelope(rae, 'long')] }], acks: [] },
          limits({ expiresAt: NOW + 1000 }),
        );
        expect((await store.pending(rae, null, 10, NOW + 10)).map((e) => text(e.bytes))).toEqual(['long']);
        expect(await store.expireEnvelopes(NOW + 10)).toBe(1);
        expect(await store.depth(rae)).toEqual({ count: 1, bytes: 4 });
        expect((await store.pending(rae, null, 10, NOW)).map((e) => text(e.bytes))).toEqual(['long']);
      });
    });

    describe('blobs and audit', () => {
      it('keeps blob records until they expire', async () => {
        await fresh();
        const sam = await register(store);
        const tokenHash = key();
        await store.createBlob({
          id: 'b1',
          tokenHash,
          owner: sam,
          size: 10,
          createdAt: NOW,
          expiresAt: NOW + 5,
        });
        await store.createBlob({
          id: 'b2',
          tokenHash: key(),
          owner: sam,
          size: 10,
          createdAt: NOW,
          expiresAt: NOW + 50,
        });
        expect(await store.getBlob('b1')).toEqual({
          id: 'b1',
          tokenHash,
          owner: sam,
          size: 10,
          createdAt: NOW,
          expiresAt: NOW + 5,
          complete: false,
        });
        await store.markBlobComplete('b1');
        expect((await store.getBlob('b1'))?.complete).toBe(true);
        expect(await store.takeExpiredBlobs(NOW + 5, 10)).toEqual(['b1']);
        expect(await store.getBlob('b1')).toBeNull();
        expect(await store.getBlob('b2')).not.toBeNull();
      });

      it('logs account and device changes as a hash chain of metadata', async () => {
        await fresh();
        expect(await store.lastAuditSeq()).toBe(0);
        await store.createInvitation({
          codeHash: key(),
          username: 'tom',
          createdAt: NOW,
          expiresAt: NOW + DAY,
          actor: 'admin-cli',
        });
        const tom = await register(store, 'tom2', 'Tom');
        const second = await store.addDevice(tom.userId, key(), NOW, `device:${tom.userId}.1`);
        await store.revokeDevice(second, NOW, 'admin-cli');
        await store.deactivateUser(tom.userId, NOW, 'admin-cli');
        const events = await store.auditEvents(0, 100);
        expect(events.map((e) => e.type)).toEqual([
          'invitation.created',
          'user.registered',
          'device.added',
          'device.revoked',
          'user.deactivated',
        ]);
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(events[3]).toMatchObject({ userId: tom.userId, deviceId: 2, actor: 'admin-cli' });
        expect(verifyAuditChain(events)).toBeNull();
        expect((await store.auditEvents(3, 100)).map((e) => e.seq)).toEqual([4, 5]);
        expect(await store.lastAuditSeq()).toBe(5);
        // Editing an event breaks the chain from there on.
        const edited = events.map((e) => (e.seq === 2 ? { ...e, actor: 'someone-else' } : e));
        expect(verifyAuditChain(edited)).toBe(2);
      });
    });
  });
}
