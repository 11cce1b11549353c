/**
 * The 1:1 messenger end to end through a real relay: real cores, real encrypted stores, real
 * socket.io. What a person would notice: messages arrive, in order, once; ticks move from sent
 * to delivered to read; nothing is lost across offline periods and restarts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayConnector } from '../electron/core/messenger/relay-port';
import type { ConversationView, MessageView } from '../shared/ipc';
import {
  chatBetween,
  conversationWith,
  type MessengerWorld,
  messengerWorld,
  PASSPHRASE,
  type TestClient,
  textsOf,
} from './support/messenger-world';

let world: MessengerWorld;
beforeEach(async () => {
  world = await messengerWorld();
});
afterEach(async () => {
  await world.close();
});

async function stateOf(
  client: TestClient,
  conversationId: string,
  messageId: string,
): Promise<MessageView['state']> {
  const page = await client.call('conversation.messages', { conversationId, before: null, limit: 200 });
  return page.messages.find((m) => m.id === messageId)?.state ?? null;
}

async function waitForTexts(client: TestClient, conversationId: string, expected: string[]): Promise<void> {
  await client.until(`texts ${JSON.stringify(expected)}`, async () => {
    const texts = await textsOf(client, conversationId);
    return texts.length >= expected.length && texts;
  });
  expect(await textsOf(client, conversationId)).toEqual(expected);
}

describe('1:1 messenger', () => {
  it('carries messages both ways, with delivery and read receipts', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const aliceChat = await chatBetween(alice, bob);
    const sent = await alice.call('conversation.send', { conversationId: aliceChat, text: 'Hello Bob' });
    expect(sent.state).toBe('sending');

    const bobChat = await conversationWith(bob, 'alice');
    await waitForTexts(bob, bobChat, ['Hello Bob']);
    const [bobView] = await bob.call('conversation.list');
    expect(bobView).toMatchObject({ title: 'Alice', unreadCount: 1, lastMessagePreview: 'Hello Bob' });

    await alice.until('delivered', async () => (await stateOf(alice, aliceChat, sent.id)) === 'delivered');
    await bob.call('conversation.markRead', { conversationId: bobChat });
    expect((await bob.call('conversation.list'))[0]?.unreadCount).toBe(0);
    await alice.until('read', async () => (await stateOf(alice, aliceChat, sent.id)) === 'read');

    await bob.call('conversation.send', { conversationId: bobChat, text: 'Hi Alice!\nHow are you?' });
    await waitForTexts(alice, aliceChat, ['Hello Bob', 'Hi Alice!\nHow are you?']);
    // Events, not polling, told Alice's UI about the reply.
    expect(
      alice.events.some(
        (e) => e.event === 'message.added' && (e.payload as MessageView).text === 'Hi Alice!\nHow are you?',
      ),
    ).toBe(true);
  });

  it('shows both people the same safety number, and verifying it is remembered', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    await alice.call('conversation.send', { conversationId: chat, text: 'hi' });
    await conversationWith(bob, 'alice');
    const bobId = (await bob.call('app.state')).account!.userId;
    const aliceId = (await alice.call('app.state')).account!.userId;
    const fromAlice = await alice.call('contact.safetyNumber', { userId: bobId });
    const fromBob = await bob.call('contact.safetyNumber', { userId: aliceId });
    expect(fromAlice.digits).toMatch(/^\d{60}$/);
    expect(fromAlice.digits).toBe(fromBob.digits);
    expect(fromAlice.qrPayload).not.toBe(fromBob.qrPayload);
    await alice.call('contact.setVerified', { userId: bobId, verified: true });
    expect((await alice.call('conversation.list'))[0]?.verified).toBe(true);
  });

  it('holds messages for a recipient who is offline and delivers them in order later', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    await alice.call('conversation.send', { conversationId: chat, text: 'first' });
    const bobChat = await conversationWith(bob, 'alice');
    await bob.call('account.lock');
    expect((await bob.call('app.state')).phase).toBe('locked');
    const texts = ['one', 'two', 'three', 'four'];
    for (const text of texts) await alice.call('conversation.send', { conversationId: chat, text });
    await alice.until('all sent', async () => (await alice.call('app.state')).queued === 0);
    await bob.call('account.unlock', { passphrase: PASSPHRASE });
    await waitForTexts(bob, bobChat, ['first', ...texts]);
  });

  it('refuses a wrong passphrase with a clear error', async () => {
    const bob = await world.client('bob');
    await bob.call('account.lock');
    await expect(bob.call('account.unlock', { passphrase: 'not the passphrase' })).rejects.toMatchObject({
      code: 'STORE_WRONG_PASSPHRASE',
    });
  });

  it('queues while the relay is down and sends when it is back', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    await alice.call('conversation.send', { conversationId: chat, text: 'before' });
    const bobChat = await conversationWith(bob, 'alice');
    await world.stopRelay();
    await alice.until('offline', async () => (await alice.call('app.state')).connection === 'offline');
    const during = await alice.call('conversation.send', { conversationId: chat, text: 'during the outage' });
    expect(during.state).toBe('sending');
    expect((await alice.call('app.state')).queued).toBeGreaterThan(0);
    await world.startRelay();
    await waitForTexts(bob, bobChat, ['before', 'during the outage']);
    await bob.call('conversation.send', { conversationId: bobChat, text: 'after' });
    await waitForTexts(alice, chat, ['before', 'during the outage', 'after']);
  });

  it('never sends what a deleted conversation still had queued', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    await alice.call('conversation.send', { conversationId: chat, text: 'before' });
    const bobChat = await conversationWith(bob, 'alice');
    await waitForTexts(bob, bobChat, ['before']);
    await world.stopRelay();
    await alice.until('offline', async () => (await alice.call('app.state')).connection === 'offline');
    await alice.call('conversation.send', { conversationId: chat, text: 'regretted' });
    expect((await alice.call('app.state')).queued).toBeGreaterThan(0);
    await alice.call('conversation.delete', { conversationId: chat });
    expect((await alice.call('app.state')).queued).toBe(0);
    await world.startRelay();
    await alice.until('online', async () => (await alice.call('app.state')).connection === 'online');
    // Messages go out in order: once "after" arrives, "regretted" would have come before it.
    const users = await alice.call('directory.search', { query: 'bob' });
    const again = await alice.call('conversation.open', {
      userId: users.find((u) => u.username === 'bob')!.userId,
    });
    await alice.call('conversation.send', { conversationId: again.id, text: 'after' });
    await waitForTexts(bob, bobChat, ['before', 'after']);
  });

  it('keeps history and sessions across a restart of the app', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    await alice.call('conversation.send', { conversationId: chat, text: 'before restart' });
    const bobChat = await conversationWith(bob, 'alice');
    await waitForTexts(bob, bobChat, ['before restart']);
    await bob.stop();
    await alice.call('conversation.send', { conversationId: chat, text: 'while Bob was away' });
    await bob.restart();
    expect((await bob.call('app.state')).phase).toBe('locked');
    await bob.call('account.unlock', { passphrase: PASSPHRASE });
    await waitForTexts(bob, bobChat, ['before restart', 'while Bob was away']);
    await bob.call('conversation.send', { conversationId: bobChat, text: 'back again' });
    await waitForTexts(alice, chat, ['before restart', 'while Bob was away', 'back again']);
  });

  it('mutes a conversation until it is unmuted, across a restart, and tells the UI', async () => {
    const alice = await world.client('alice');
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    expect((await alice.call('conversation.list'))[0]?.muted).toBe(false);
    const muted = await alice.call('conversation.setMuted', { conversationId: chat, muted: true });
    expect(muted).toMatchObject({ id: chat, muted: true });
    expect(
      alice.events.some(
        (e) => e.event === 'conversation.updated' && (e.payload as ConversationView).muted === true,
      ),
    ).toBe(true);
    await alice.stop();
    await alice.restart();
    await alice.call('account.unlock', { passphrase: PASSPHRASE });
    expect((await alice.call('conversation.list'))[0]?.muted).toBe(true);
    await alice.call('conversation.setMuted', { conversationId: chat, muted: false });
    expect((await alice.call('conversation.list'))[0]).toMatchObject({ muted: false, mutedUntil: null });
    // For a while: the view says until when.
    const before = Date.now();
    const forAnHour = await alice.call('conversation.setMuted', {
      conversationId: chat,
      muted: true,
      forMs: 3_600_000,
    });
    expect(forAnHour.muted).toBe(true);
    expect(forAnHour.mutedUntil).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(forAnHour.mutedUntil).toBeLessThanOrEqual(Date.now() + 3_600_000);
    await expect(
      alice.call('conversation.setMuted', { conversationId: chat, muted: true, forMs: 5 }),
    ).rejects.toMatchObject({ code: 'IPC_BAD_ARGUMENTS' });
    await expect(
      alice.call('conversation.setMuted', { conversationId: 'nope', muted: true }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps what notifications show, sender only until the user chooses', async () => {
    const alice = await world.client('alice');
    expect((await alice.call('settings.get')).notifications).toBe('sender');
    await alice.call('settings.update', { notifications: 'message' });
    await alice.stop();
    await alice.restart();
    expect((await alice.call('settings.get')).notifications).toBe('message');
    await expect(alice.call('settings.update', { notifications: 'loud' as never })).rejects.toMatchObject({
      code: 'IPC_BAD_ARGUMENTS',
    });
  });

  it('shows a message delivered twice only once', async () => {
    // A network that delivers every batch twice (at-least-once delivery at its worst).
    const twice = (base: RelayConnector): RelayConnector => ({
      register: (url, args) => base.register(url, args),
      connect(url, args) {
        const connection = base.connect(url, args);
        return {
          ...connection,
          send: async (batch) => {
            await connection.send(batch);
            await connection.send(batch);
          },
        };
      },
    });
    const alice = await world.client('alice', { connector: twice });
    const bob = await world.client('bob');
    const chat = await chatBetween(alice, bob);
    for (const text of ['a', 'b', 'c']) await alice.call('conversation.send', { conversationId: chat, text });
    const bobChat = await conversationWith(bob, 'alice');
    await waitForTexts(bob, bobChat, ['a', 'b', 'c']);
    await new Promise((r) => setTimeout(r, 500));
    expect(await textsOf(bob, bobChat)).toEqual(['a', 'b', 'c']);
    expect((await bob.call('conversation.list'))[0]?.unreadCount).toBe(3);
  });
});
