/**
 * Sets up sessions with every device of a user before the first message (PQXDH §3.3): fetches
 * their prekey bundles from the relay, verifies and uses them, and records each device's
 * identity key, noticing a change. Bundles are verified before anything is stored.
 */
import type { DeviceAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import { type IdentityKeyPair, initiateSession, type SessionState, type Sodium } from '../crypto';
import type { Clock, Store } from '../store';
import type { ContactKeys } from './contact-keys';
import type { DirectoryUser, RelayPort } from './relay-port';
import type { SessionBook } from './session-book';

export interface SetupResult {
  /** Devices whose identity key differs from the one on file. */
  readonly changed: readonly DeviceAddress[];
}

export class SessionSetup {
  constructor(
    private readonly deps: {
      readonly store: Store;
      readonly sodium: Sodium;
      readonly identity: IdentityKeyPair;
      readonly localAddress: string;
      readonly relay: Pick<RelayPort, 'fetchBundles'>;
      readonly sessions: SessionBook;
      readonly keys: ContactKeys;
      readonly clock: Clock;
    },
  ) {}

  /** True when at least one device of the user has a session. */
  has(userId: string): boolean {
    return this.deps.sessions.addresses(userId).length > 0;
  }

  /** Fetches bundles and starts a session with each device of `user`, replacing none that exist. */
  async start(user: DirectoryUser): Promise<SetupResult> {
    const { relay, sodium, identity, localAddress, clock } = this.deps;
    const bundles = await relay.fetchBundles(user.userId);
    if (bundles.length === 0) {
      throw new ParleyError(
        'CONTACT_UNKNOWN',
        `${user.displayName} has no device that can receive messages right now.`,
      );
    }
    const now = clock();
    // initiateSession checks every prekey signature and refuses a bundle without a PQ prekey.
    const started: { address: DeviceAddress; identityKey: Uint8Array; session: SessionState }[] = bundles.map(
      (bundle) => ({
        address: { userId: bundle.userId, deviceId: bundle.deviceId },
        identityKey: bundle.identityKey,
        session: initiateSession(sodium, { identity, localAddress, bundle, now }),
      }),
    );
    if (started.some((s) => s.address.userId !== user.userId)) {
      throw new ParleyError('CRYPTO_WRONG_RECIPIENT', 'The relay answered with keys for someone else.');
    }
    const { store, keys, sessions } = this.deps;
    const changed: DeviceAddress[] = [];
    store.transaction(() => {
      keys.upsert(user, started[0]!.identityKey, now);
      for (const s of started) {
        if (keys.observe(s.address, s.identityKey, now) === 'changed') changed.push(s.address);
        sessions.saveActive(s.address, s.session, sessions.load(s.address), now);
      }
    });
    return { changed };
  }
}
