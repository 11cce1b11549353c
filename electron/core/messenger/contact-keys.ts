/**
 * Tracks the identity keys of each contact's devices and notices when one changes
 * (THREAT-MODEL: the relay may serve a substituted key). A change is recorded on the contact
 * (`keyChanged`) and as a notice in the chat; a verified contact then cannot be sent to until
 * the user accepts the new key, and accepting makes the contact unverified again.
 */
import type { DeviceAddress } from '../../../shared/address';
import { ParleyError } from '../../../shared/errors';
import { bytesEqual } from '../crypto';
import type { Contact, Store } from '../store';
import type { DirectoryUser } from './relay-port';

export type KeyObservation = 'new' | 'same' | 'changed';

export class ContactKeys {
  constructor(private readonly store: Store) {}

  /** Creates the contact on first sight, or refreshes its names from the directory. */
  upsert(user: DirectoryUser, firstIdentityKey: Uint8Array, now: number): Contact {
    const existing = this.store.contacts.get(user.userId);
    this.store.contacts.put({
      userId: user.userId,
      username: user.username,
      displayName: user.displayName,
      identityKey: existing?.identityKey ?? firstIdentityKey,
      verified: existing?.verified ?? false,
      keyChanged: existing?.keyChanged ?? false,
      updatedAt: now,
    });
    return this.store.contacts.get(user.userId)!;
  }

  /**
   * Records the identity key seen for one device (from a prekey bundle or a decrypted message).
   * Call inside the transaction that stores what the key authenticated.
   */
  observe(address: DeviceAddress, identityKey: Uint8Array, now: number): KeyObservation {
    const device = this.store.contacts.getDevice(address);
    this.store.contacts.putDevice(address, identityKey, now);
    const contact = this.store.contacts.get(address.userId);
    if (!device) {
      // A first device key is "new" unless the contact's recorded key says otherwise.
      if (
        contact &&
        this.store.contacts.listDevices(address.userId).length === 1 &&
        !bytesEqual(contact.identityKey, identityKey)
      ) {
        this.store.contacts.setIdentityKey(address.userId, identityKey, true, now);
        return 'changed';
      }
      return 'new';
    }
    if (bytesEqual(device.identityKey, identityKey)) return 'same';
    this.store.contacts.setIdentityKey(address.userId, identityKey, true, now);
    return 'changed';
  }

  /** Refuses to send to a verified contact whose key changed until the user accepts it. */
  assertMaySend(userId: string): Contact {
    const contact = this.store.contacts.get(userId);
    if (!contact)
      throw new ParleyError(
        'CONTACT_UNKNOWN',
        'This contact is not known on this device. Start a new chat with them.',
      );
    if (contact.keyChanged && contact.verified) {
      throw new ParleyError(
        'CONTACT_KEY_CHANGED',
        `${contact.displayName}'s safety number changed. Compare it again, then accept the new one to keep sending.`,
      );
    }
    return contact;
  }

  /** The user accepted a changed key: the warning goes, and so does the old verification. */
  acceptChange(userId: string, now: number): Contact {
    const contact = this.store.contacts.get(userId);
    if (!contact) throw new ParleyError('CONTACT_UNKNOWN', 'This contact is not known on this device.');
    this.store.contacts.setKeyChanged(userId, false, now);
    if (contact.verified) this.store.contacts.setVerified(userId, false, now);
    return this.store.contacts.get(userId)!;
  }
}
