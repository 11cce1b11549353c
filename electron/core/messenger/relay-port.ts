/**
 * What the messenger needs from its relay connection. `RelayClient` provides it; naming the
 * needs here keeps the messenger's dependency narrow and explicit.
 */
import type { DeviceAddress } from '../../../shared/address';
import type { ConnectionState } from '../../../shared/ipc';
import type { PrekeyBundle, PrekeyCounts, PrekeyUpload } from '../../../shared/prekeys';
import type { BlobPort } from '../files/blob-port';

export interface OutgoingEnvelope {
  readonly to: DeviceAddress;
  readonly bytes: Uint8Array;
}

export interface IncomingEnvelope {
  /** The relay's id for the acknowledgement. */
  readonly id: string;
  readonly bytes: Uint8Array;
}

export interface DirectoryUser {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
}

export interface DeviceIdentity {
  readonly deviceId: number;
  readonly identityKey: Uint8Array;
}

export interface RelayPort {
  /** Resolves once the relay has durably stored every envelope of the batch. */
  send(batch: readonly OutgoingEnvelope[]): Promise<void>;
  fetchBundles(userId: string): Promise<PrekeyBundle[]>;
  uploadPrekeys(upload: PrekeyUpload): Promise<PrekeyCounts>;
  prekeyCounts(): Promise<PrekeyCounts>;
  searchDirectory(query: string): Promise<DirectoryUser[]>;
  /** The active devices of a user and their identity keys. */
  devicesOf(userId: string): Promise<DeviceIdentity[]>;
}

/** A live, authenticated connection for one device, reconnecting by itself; it carries files too. */
export interface RelayConnection extends RelayPort, BlobPort {
  /** Resolves when first authenticated and online; rejects if the relay refuses this device. */
  ready(): Promise<void>;
  lookupUser(userId: string): Promise<DirectoryUser | null>;
  /** The handler stores the batch; the connection acknowledges it once the promise resolves. */
  onEnvelopes(handler: (batch: readonly IncomingEnvelope[]) => Promise<void>): void;
  onState(listener: (state: ConnectionState) => void): void;
  /** The relay says this device's one-time prekeys run low. */
  onPrekeysLow(listener: () => void): void;
  /** This device was revoked or its user deactivated. */
  onRevoked(listener: () => void): void;
  close(): Promise<void>;
}

export interface Registration {
  readonly userId: string;
  readonly deviceId: number;
}

/** How the core reaches relays: registering a new device, and connecting as one. */
export interface RelayConnector {
  register(
    relayUrl: string,
    args: { username: string; displayName: string; invitationCode: string | null; identityKey: Uint8Array },
  ): Promise<Registration>;
  connect(
    relayUrl: string,
    args: {
      address: DeviceAddress;
      identityPublicKey: Uint8Array;
      sign: (message: Uint8Array) => Uint8Array;
    },
  ): RelayConnection;
}
