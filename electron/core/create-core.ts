/**
 * Builds the messenger core for a data folder. The account, messaging and contact handlers
 * arrive with the messenger (issue 5); until then they answer UNAVAILABLE with a sentence.
 */
import { ParleyError } from '../../shared/errors';
import type { AppStateView, SettingsView } from '../../shared/ipc';
import type { ApiHandlers } from './api/dispatcher';
import { EventHub } from './api/event-hub';
import type { CoreOptions, ParleyCore } from './core';

function notYet(): never {
  throw new ParleyError('UNAVAILABLE', 'This part of Parley is not available in this build yet.');
}

export async function createCore(options: CoreOptions): Promise<ParleyCore> {
  const events = new EventHub();
  let settings: SettingsView = { theme: 'system', autoLockMinutes: 15 };
  const state: AppStateView = { phase: 'onboarding', account: null, connection: 'offline', queued: 0 };

  const handlers: ApiHandlers = {
    'app.info': () => ({
      name: 'Parley',
      version: options.appVersion,
      defaultRelayUrl: options.defaultRelayUrl,
    }),
    'app.state': () => state,
    'account.create': notYet,
    'account.unlock': notYet,
    'account.lock': notYet,
    'account.changePassphrase': notYet,
    'account.updateProfile': notYet,
    'directory.search': notYet,
    'conversation.list': () => [],
    'conversation.open': notYet,
    'conversation.messages': notYet,
    'conversation.send': notYet,
    'conversation.markRead': notYet,
    'message.retry': notYet,
    'message.search': notYet,
    'contact.get': notYet,
    'contact.safetyNumber': notYet,
    'contact.setVerified': notYet,
    'contact.acceptKeyChange': notYet,
    'settings.get': () => settings,
    'settings.update': (patch) => {
      settings = { ...settings, ...patch };
      return settings;
    },
  };

  return { handlers, events, close: async () => {} };
}
