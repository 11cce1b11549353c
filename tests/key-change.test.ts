/**
 * THREAT-MODEL row "The relay operator": a relay that adds a device with its own identity key
 * to a user (to read what is sent to them) shows up as a safety-number change, and sending to a
 * verified contact stops until the user accepts the new key.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  createIdentity,
  initiateSession,
  loadSodium,
  newMessageId,
  sealMessage,
} from '../electron/core/crypto';
import { signWithIdentity } from '../electron/core/crypto/identity';
import { RelayClient } from '../electron/core/relay-client/relay-client';
import { formatAddress } from '../shared/address';
import { encodeContent } from '../shared/wire/content';
import {
  chatBetween,
  conversationWith,
  type MessengerWorld,
  messengerWorld,
  textsOf,
} from './support/messenger-world';

let world: MessengerWorld;
beforeEach(async () => {
  world = await messengerWorld();
});
afterEach(async () => {
  await world.close();
});

it('a device slipped in by the relay shows as a key change and blocks sending to a verified contact', async () => {
  const alice = await world.client('alice');
  const bob = await world.client('bob');
  const chat = await chatBetween(alice, bob);
  await alice.call('conversation.send', { conversationId: chat, text: 'hello' });
  await conversationWith(bob, 'alice');
  const aliceId = (await alice.call('app.state')).account!.userId;
  const bobId = (await bob.call('app.state')).account!.userId;
  await alice.call('contact.setVerified', { userId: bobId, verified: true });

  // The operator registers its own device for Bob and writes to Alice from it.
  const sodium = await loadSodium();
  const relay = world.relay();
  const fake = createIdentity(sodium);
  const now = Date.now();
  const fakeAddress = await relay.store.addDevice(bobId, fake.publicKey, now, 'operator');
  const [aliceBundle] = await relay.store.takeBundles(aliceId);
  const session = initiateSession(sodium, {
    identity: fake,
    localAddress: formatAddress(fakeAddress),
    bundle: aliceBundle!,
    now,
  });
  const content = encodeContent({ type: 'text', text: 'It is me, Bob, on a new laptop', attachment: null });
  const { envelope } = sealMessage(sodium, session, content, { messageId: newMessageId(), timestamp: now });
  const client = new RelayClient({
    url: world.relayUrl,
    identityPublicKey: fake.publicKey,
    sign: (m) => signWithIdentity(sodium, fake, m),
  });
  await client.connect(fakeAddress);
  await client.send([{ to: { userId: aliceId, deviceId: 1 }, bytes: envelope }]);
  await client.close();

  const view = await alice.until('the key change', async () =>
    (await alice.call('conversation.list')).find((c) => c.keyChanged),
  );
  expect(view).toMatchObject({ verified: true, keyChanged: true });
  const page = await alice.call('conversation.messages', { conversationId: chat, before: null, limit: 50 });
  expect(page.messages.some((m) => m.kind === 'system' && m.text.startsWith('Safety number changed'))).toBe(
    true,
  );
  await expect(
    alice.call('conversation.send', { conversationId: chat, text: 'secret plans' }),
  ).rejects.toMatchObject({
    code: 'CONTACT_KEY_CHANGED',
  });
  expect(await textsOf(alice, chat)).not.toContain('secret plans');

  const accepted = await alice.call('contact.acceptKeyChange', { userId: bobId });
  expect(accepted).toMatchObject({ keyChanged: false, verified: false });
  const sent = await alice.call('conversation.send', { conversationId: chat, text: 'ok then' });
  expect(sent.state).toBe('sending');
});
