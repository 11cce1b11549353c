/**
 * Builds the messenger core for a data folder: the handlers of every method of the contract
 * (shared/ipc.ts) and the events the renderer listens to.
 */
import { ParleyError } from '../../shared/errors';
import { AccountController } from './account-controller';
import type { ApiHandlers } from './api/dispatcher';
import { EventHub } from './api/event-hub';
import type { CoreOptions, ParleyCore } from './core';
import {
  type AttachmentCrypto,
  AttachmentWorkerThread,
  inThreadAttachmentCrypto,
  loadSodium,
} from './crypto';
import { checkFileAllowed, filePolicy } from './files/file-policy';
import { inThreadKdf, workerKdf } from './store/key-wrap/passphrase-kdf';
import { UiSettings } from './ui-settings';
import { coreWorkerScript } from './workers/core-worker-script';

export async function createCore(options: CoreOptions): Promise<ParleyCore> {
  const events = new EventHub();
  const sodium = await loadSodium();
  const settings = new UiSettings(options.dataDir);
  const policy = filePolicy(options.files?.policy);
  const workerScript = options.workerScript === undefined ? coreWorkerScript() : options.workerScript;
  const attachmentCrypto: AttachmentCrypto = workerScript
    ? new AttachmentWorkerThread(workerScript)
    : inThreadAttachmentCrypto(sodium);
  const kdf = workerScript ? workerKdf(workerScript) : inThreadKdf(sodium);
  const accounts = new AccountController({
    dataDir: options.dataDir,
    sodium,
    relays: options.relays,
    events,
    clock: options.clock ?? Date.now,
    logger: options.logger,
    keychain: options.keychain ?? null,
    ...(options.pwhashLimits ? { pwhashLimits: options.pwhashLimits } : {}),
    kdf,
    files: {
      policy,
      crypto: attachmentCrypto,
      saver: options.files?.saver ?? null,
      ...(options.files?.tuning ? { tuning: options.files.tuning } : {}),
    },
  });
  await accounts.unlockWithKeychain();
  const messenger = () => accounts.messenger();
  const files = () => accounts.files();

  const handlers: ApiHandlers = {
    'app.info': () => ({
      name: 'Parley',
      version: options.appVersion,
      defaultRelayUrl: options.defaultRelayUrl,
    }),
    'app.state': () => accounts.state(),
    'account.create': (args) => accounts.create(args),
    'account.unlock': ({ passphrase }) => accounts.unlock(passphrase),
    'account.lock': async () => {
      await accounts.lock();
      return null;
    },
    'account.changePassphrase': async ({ current, next }) => {
      await accounts.changePassphrase(current, next);
      return null;
    },
    'account.updateProfile': ({ displayName }) => accounts.updateProfile(displayName),
    'directory.search': ({ query }) => messenger().searchDirectory(query),
    'conversation.list': () => messenger().listConversations(),
    'conversation.open': ({ userId }) => messenger().openConversation(userId),
    'conversation.messages': ({ conversationId, before, limit }) =>
      messenger().pageMessages(conversationId, before, limit),
    'conversation.send': async ({ conversationId, text }) => {
      const message = await messenger().sendText(conversationId, text);
      accounts.emitState();
      return message;
    },
    'conversation.setMuted': ({ conversationId, muted, forMs }) =>
      messenger().setMuted(conversationId, muted, forMs),
    'conversation.markRead': ({ conversationId }) => {
      messenger().markRead(conversationId);
      return null;
    },
    'message.retry': ({ messageId }) => files().retry(messageId),
    'message.search': ({ query, limit }) => messenger().search(query, limit),
    'contact.get': ({ userId }) => messenger().contact(userId),
    'contact.safetyNumber': ({ userId }) => messenger().safetyNumber(userId),
    'contact.setVerified': ({ userId, verified }) => messenger().setVerified(userId, verified),
    'contact.acceptKeyChange': ({ userId }) => messenger().acceptKeyChange(userId),
    'settings.get': () => settings.get(),
    'settings.update': (patch) => {
      if (Object.keys(patch).length === 0) throw new ParleyError('INVALID_ARGUMENT', 'Nothing to change.');
      return settings.update(patch);
    },
    'message.delete': async ({ messageId }) => {
      await files().deleteMessage(messageId);
      accounts.emitState();
      return null;
    },
    'conversation.delete': async ({ conversationId }) => {
      await files().deleteConversation(conversationId);
      accounts.emitState();
      return null;
    },
    'file.rules': () => files().rules(),
    'file.setAutoDownload': ({ maxBytes }) => files().setAutoDownload(maxBytes),
    'file.check': (file) => {
      checkFileAllowed(policy, file);
      return null;
    },
    'file.begin': (args) => files().begin(args),
    'file.chunk': (args) => files().chunk(args),
    'file.finish': ({ transferId }) => files().finish(transferId),
    'file.cancel': async ({ transferId }) => {
      await files().cancel(transferId);
      return null;
    },
    'file.download': ({ messageId }) => files().download(messageId),
    'file.save': ({ messageId }) => files().save(messageId),
  };

  return {
    handlers,
    events,
    close: async () => {
      await accounts.lock();
      await attachmentCrypto.close();
    },
  };
}
