/** The RelayConnector the app uses: the socket.io RelayClient, seen through the messenger's port. */
import type { CoreLogger } from '../core';
import { RelayClient } from '../relay-client/relay-client';
import type { RelayConnection, RelayConnector } from './relay-port';

/** Refusals after which this device cannot use the relay again until it is set up anew. */
const REVOKED = new Set(['RELAY_DEVICE_REVOKED', 'RELAY_USER_DEACTIVATED', 'RELAY_UNKNOWN_DEVICE']);

export function relayClientConnector(logger: CoreLogger): RelayConnector {
  const clientLogger = {
    debug() {},
    info: logger.info.bind(logger),
    warn: logger.warn.bind(logger),
    error: logger.error.bind(logger),
  };
  return {
    async register(relayUrl, args) {
      const client = new RelayClient({
        url: relayUrl,
        identityPublicKey: args.identityKey,
        sign: () => new Uint8Array(0),
        logger: clientLogger,
      });
      try {
        return await client.register(args);
      } finally {
        await client.close();
      }
    },

    connect(relayUrl, { address, identityPublicKey, sign }) {
      const client = new RelayClient({ url: relayUrl, identityPublicKey, sign, logger: clientLogger });
      // connect() resolves when first online and keeps reconnecting by itself; a final refusal
      // arrives through onStateChange as well.
      const online = client.connect(address);
      online.catch(() => {});
      const connection: RelayConnection = {
        ready: () => online,
        send: (batch) => client.send(batch),
        fetchBundles: (userId) => client.fetchBundles(userId),
        uploadPrekeys: (upload) => client.uploadPrekeys(upload),
        prekeyCounts: () => client.prekeyCounts(),
        searchDirectory: (query) => client.searchDirectory(query),
        devicesOf: (userId) => client.listDevices(userId),
        lookupUser: (userId) => client.lookupUser(userId),
        createBlob: (size, recipients) => client.createBlob(size, recipients === null ? {} : { recipients }),
        blobStatus: (id) => client.blobStatus(id),
        uploadBlob: async (blob, offset, source) => {
          const status = await client.upload(source, { size: 0, offset, blob });
          return { offset: status.offset, size: status.size, complete: status.complete };
        },
        downloadBlob: async (id, token, start) => {
          const download = await client.download(id, token, start > 0 ? { start } : undefined);
          return { size: download.size, start: download.start, body: download.body };
        },
        deleteBlob: (id) => client.deleteBlob(id),
        releaseBlob: (id, token) => client.releaseBlob(id, token),
        onEnvelopes: (handler) => {
          client.onEnvelopes(handler);
        },
        onState: (listener) => {
          client.onStateChange((state) => listener(state));
        },
        onPrekeysLow: (listener) => {
          client.onPrekeysLow(() => listener());
        },
        onRevoked: (listener) => {
          client.onStateChange((_state, error) => {
            if (error && REVOKED.has(error.code)) listener();
          });
        },
        close: () => client.close(),
      };
      return connection;
    },
  };
}
