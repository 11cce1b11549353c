/**
 * THREAT-MODEL rows "The relay operator", "A network attacker" and "A thief with the laptop":
 * after a conversation, neither client's database file shows the SQLite header or any text that
 * was sent, and the relay's database, its log (at its most verbose) and the captured socket
 * traffic contain none of the texts either.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  chatBetween,
  conversationWith,
  type MessengerWorld,
  messengerWorld,
  textsOf,
} from './support/messenger-world';
import { recordTcp, type TcpRecorder } from './support/tcp-recorder';

let world: MessengerWorld;
let recorder: TcpRecorder;
afterEach(async () => {
  await recorder?.close();
  await world?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

it('leaves no sent text on either disk, in the relay or on the wire', async () => {
  const logFile = join(tmpdir(), `parley-relay-log-${process.pid}-${Date.now()}.jsonl`);
  world = await messengerWorld({ relayLogFile: logFile });
  recorder = await recordTcp(world.relay().port);
  world.relayUrl = recorder.url;
  const alice = await world.client('alice');
  const bob = await world.client('bob');
  const secrets = [
    'the merger closes on Friday',
    'Ünïcödé passphrase-ish: tr0ub4dor&3',
    'wire 4.2M to account 7781',
  ];
  const chat = await chatBetween(alice, bob);
  await alice.call('conversation.send', { conversationId: chat, text: secrets[0]! });
  const bobChat = await conversationWith(bob, 'alice');
  await bob.call('conversation.send', { conversationId: bobChat, text: secrets[1]! });
  await alice.call('conversation.send', { conversationId: chat, text: secrets[2]! });
  await bob.until('all three', async () => (await textsOf(bob, bobChat)).length === 3);
  await alice.until('the reply', async () => (await textsOf(alice, chat)).length === 3);
  await alice.stop();
  await bob.stop();
  await world.stopRelay();

  const needles = secrets.flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]);
  const leaks = (haystack: Buffer) => needles.filter((n) => haystack.includes(n)).map((n) => n.toString());

  for (const client of [alice, bob]) {
    const files = filesUnder(client.dataDir).filter((f) => /parley\.db(-wal)?$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
      expect(leaks(bytes)).toEqual([]);
    }
  }
  const relayFiles = filesUnder(world.dir).filter((f) => f.includes('relay.sqlite'));
  expect(relayFiles.length).toBeGreaterThan(0);
  for (const file of relayFiles) expect(leaks(readFileSync(file))).toEqual([]);
  expect(existsSync(logFile)).toBe(true);
  expect(readFileSync(logFile).length).toBeGreaterThan(0);
  expect(leaks(readFileSync(logFile))).toEqual([]);
  rmSync(logFile, { force: true });
  const wire = recorder.captured();
  expect(wire.length).toBeGreaterThan(10_000);
  // The capture does see what is meant to be visible (event names, usernames in a search)...
  expect(wire.includes(Buffer.from('directory:search'))).toBe(true);
  expect(wire.includes(Buffer.from('"bob"'))).toBe(true);
  // ...and none of the texts.
  expect(leaks(wire)).toEqual([]);
});
