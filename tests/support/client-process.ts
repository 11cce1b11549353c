/**
 * A messenger client in its own process, for tests that kill it with SIGKILL. Usage:
 *   tsx tests/support/client-process.ts DATA_DIR RELAY_URL USERNAME
 * It sets up the account on first run (unlocks it afterwards), prints `{"ready":...}` once
 * online, then takes JSON commands on stdin, one per line, and prints one JSON line per result:
 *   {"op":"send","peer":"bob","texts":["a","b"]}  → {"sent":"a"} after each send is committed
 *   {"op":"texts","peer":"bob"}                   → {"texts":[...]} (oldest first)
 *   {"op":"state"}                                → {"state":{...}}
 */
import { createInterface } from 'node:readline';
import { createDispatcher } from '../../electron/core/api/dispatcher';
import type { CoreLogger } from '../../electron/core/core';
import { createCore } from '../../electron/core/create-core';
import { loadSodium } from '../../electron/core/crypto';
import { relayClientConnector } from '../../electron/core/messenger/relay-client-connector';
import { minimumLimits } from '../../electron/core/store';
import type { ApiMethod } from '../../shared/ipc';

const [dataDir, relayUrl, username] = process.argv.slice(2) as [string, string, string];
const PASSPHRASE = 'correct horse battery staple';
const quiet: CoreLogger = { info() {}, warn() {}, error() {} };
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main(): Promise<void> {
  const sodium = await loadSodium();
  const core = await createCore({
    dataDir,
    defaultRelayUrl: relayUrl,
    appVersion: '0.0.0-test',
    logger: quiet,
    relays: relayClientConnector(quiet),
    pwhashLimits: minimumLimits(sodium),
  });
  const dispatch = createDispatcher(core.handlers, quiet);
  const call = async <T>(method: ApiMethod, args?: unknown): Promise<T> => {
    const result = await dispatch(method, args);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}`);
    return result.value as T;
  };
  const state = await call<{ phase: string }>('app.state');
  if (state.phase === 'onboarding') {
    await call('account.create', {
      relayUrl,
      username,
      displayName: username,
      invitationCode: null,
      passphrase: PASSPHRASE,
    });
  } else {
    await call('account.unlock', { passphrase: PASSPHRASE });
  }
  while ((await call<{ connection: string }>('app.state')).connection !== 'online')
    await new Promise((r) => setTimeout(r, 50));
  print({ ready: await call('app.state') });

  const chats = new Map<string, string>();
  const chatWith = async (peer: string): Promise<string> => {
    const known = chats.get(peer);
    if (known) return known;
    const users = await call<{ userId: string; username: string }[]>('directory.search', { query: peer });
    const user = users.find((u) => u.username === peer);
    if (!user) throw new Error(`no user ${peer}`);
    const id = (await call<{ id: string }>('conversation.open', { userId: user.userId })).id;
    chats.set(peer, id);
    return id;
  };

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line) as { op: string; peer?: string; texts?: string[] };
    if (command.op === 'send') {
      const conversationId = await chatWith(command.peer!);
      for (const text of command.texts ?? []) {
        await call('conversation.send', { conversationId, text });
        print({ sent: text });
      }
    } else if (command.op === 'texts') {
      const list = await call<{ id: string; title: string }[]>('conversation.list');
      const chat = list.find((c) => c.title === command.peer);
      const texts: string[] = [];
      let before: string | null = null;
      while (chat) {
        const page: { messages: { kind: string; text: string }[]; olderCursor: string | null } = await call(
          'conversation.messages',
          { conversationId: chat.id, before, limit: 200 },
        );
        texts.unshift(...page.messages.filter((m) => m.kind === 'text').map((m) => m.text));
        before = page.olderCursor;
        if (before === null) break;
      }
      print({ texts });
    } else if (command.op === 'state') {
      print({ state: await call('app.state') });
    }
  }
}

main().catch((error: unknown) => {
  print({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
