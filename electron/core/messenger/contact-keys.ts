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
    const contacts = this.store.contacts;
    const device = contacts.getDevice(address);
    const others = contacts
      .listDevices(address.userId)
      .filter((d) => d.address.deviceId !== address.deviceId);
    const contact = contacts.get(address.userId);
    contacts.putDevice(address, identityKey, now);
    if (device && bytesEqual(device.identityKey, identityKey)) return 'same';
    // The very first key of a new contact is simply new. Any other new or different key changes
    // the safety number (it covers every device's key): a device added behind the user's back
    // is exactly what a malicious relay would do.
    const first =
      !device && others.length === 0 && (!contact || bytesEqual(contact.identityKey, identityKey));
    if (first) return 'new';
    contacts.setIdentityKey(address.userId, identityKey, true, now);
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
