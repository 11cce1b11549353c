/**
 * A device for tests: the real protocol core with in-memory stores standing in for the encrypted
 * database and the relay's prekey directory. It commits exactly what the messenger must commit
 * (session, consumed prekeys, replay key) and only when a message was read.
 */
import type { PrekeyBundle } from '../../../shared/prekeys';
import { type OpenedMessage, openMessage, sealMessage } from './device-message';
import { newMessageId } from './envelope';
import { createIdentity, type IdentityKeyPair } from './identity';
import {
  generateKemPrekey,
  generateOneTimeKemPrekeys,
  generateOneTimePrekeys,
  generateSignedPrekey,
  type KemPrekeyRecord,
  type OneTimePrekeyRecord,
  type SignedPrekeyRecord,
  toOneTimeEcPrekey,
  toSignedEcPrekey,
  toSignedKemPrekey,
} from './prekeys';
import { initiateSession, type PrekeyLookup, type SessionState } from './session';
import type { Sodium } from './sodium';

export class TestDevice {
  readonly address: string;
  readonly identity: IdentityKeyPair;
  readonly signedPrekeys = new Map<number, SignedPrekeyRecord>();
  readonly oneTimePrekeys = new Map<number, OneTimePrekeyRecord>();
  readonly kemPrekeys = new Map<number, KemPrekeyRecord>();
  /** Sessions per peer address, newest first. */
  readonly sessions = new Map<string, SessionState[]>();
  readonly seen = new Set<string>();
  /** The relay's view: one-time prekey ids not yet handed out. */
  private readonly published: number[] = [];
  private readonly publishedKem: number[] = [];
  private maxOneTimeId = 0;
  private maxKemId = 0;

  constructor(
    private readonly sodium: Sodium,
    readonly userId: string,
    readonly deviceId: number,
    options: {
      readonly oneTimePrekeys?: number;
      readonly oneTimeKemPrekeys?: number;
      readonly now?: number;
    } = {},
  ) {
    const now = options.now ?? 1_700_000_000_000;
    this.address = `${userId}.${deviceId}`;
    this.identity = createIdentity(sodium);
    this.rotateSignedPrekey(1, now);
    const lastResort = generateKemPrekey(sodium, this.identity, 1, now, true);
    this.kemPrekeys.set(lastResort.id, lastResort);
    this.maxKemId = 1;
    for (const record of generateOneTimePrekeys(sodium, 1, options.oneTimePrekeys ?? 3)) {
      this.oneTimePrekeys.set(record.id, record);
      this.published.push(record.id);
      this.maxOneTimeId = record.id;
    }
    for (const record of generateOneTimeKemPrekeys(
      sodium,
      this.identity,
      2,
      options.oneTimeKemPrekeys ?? 1,
      now,
    )) {
      this.kemPrekeys.set(record.id, record);
      this.publishedKem.push(record.id);
      this.maxKemId = record.id;
    }
  }

  rotateSignedPrekey(id: number, now: number): SignedPrekeyRecord {
    const record = generateSignedPrekey(this.sodium, this.identity, id, now);
    this.signedPrekeys.set(id, record);
    return record;
  }

  /** What the relay hands out: the newest signed prekey, a one-time prekey while any are left. */
  bundle(): PrekeyBundle {
    const signed = [...this.signedPrekeys.values()].sort(
      (a, b) => b.createdAt - a.createdAt || b.id - a.id,
    )[0]!;
    const oneTimeId = this.published.shift();
    const kemId = this.publishedKem.shift();
    const kem = kemId === undefined ? this.kemPrekeys.get(1)! : this.kemPrekeys.get(kemId)!;
    return {
      userId: this.userId,
      deviceId: this.deviceId,
      identityKey: this.identity.publicKey,
      signedPrekey: toSignedEcPrekey(signed),
      oneTimePrekey: oneTimeId === undefined ? null : toOneTimeEcPrekey(this.oneTimePrekeys.get(oneTimeId)!),
      kemPrekey: toSignedKemPrekey(kem),
      kemPrekeyIsLastResort: kem.lastResort,
    };
  }

  prekeys(): PrekeyLookup {
    return {
      signedPrekey: (id) => this.signedPrekeys.get(id),
      oneTimePrekey: (id) =>
        this.oneTimePrekeys.get(id) ?? (id >= 1 && id <= this.maxOneTimeId ? 'consumed' : undefined),
      kemPrekey: (id) => this.kemPrekeys.get(id) ?? (id >= 1 && id <= this.maxKemId ? 'consumed' : undefined),
    };
  }

  hasSessionWith(peer: TestDevice): boolean {
    return (this.sessions.get(peer.address)?.length ?? 0) > 0;
  }

  /** Encrypts and seals `text` for `peer`, setting up a session from its bundle if there is none. */
  send(peer: TestDevice, text: string, now: number, messageId = newMessageId()): Uint8Array {
    let session = this.sessions.get(peer.address)?.[0];
    if (!session) {
      session = initiateSession(this.sodium, {
        identity: this.identity,
        localAddress: this.address,
        bundle: peer.bundle(),
        now,
      });
    }
    const sealed = sealMessage(this.sodium, session, new TextEncoder().encode(text), {
      messageId,
      timestamp: now,
    });
    this.commitSession(peer.address, sealed.session, session);
    return sealed.envelope;
  }

  /** Opens an envelope and commits the result, as the messenger's receive transaction does. */
  receive(envelope: Uint8Array, now: number): OpenedMessage & { readonly text: string } {
    const opened = openMessage(this.sodium, {
      identity: this.identity,
      localAddress: this.address,
      envelope,
      sessionsWith: (sender) => this.sessions.get(sender) ?? [],
      prekeys: this.prekeys(),
      now,
      seen: (key) => this.seen.has(key),
    });
    const previous =
      opened.sessionIndex >= 0 ? this.sessions.get(opened.sender)?.[opened.sessionIndex] : undefined;
    this.commitSession(opened.sender, opened.session, previous);
    if (opened.consumedPrekeys.oneTimePrekeyId !== null)
      this.oneTimePrekeys.delete(opened.consumedPrekeys.oneTimePrekeyId);
    if (opened.consumedPrekeys.kemPrekeyId !== null)
      this.kemPrekeys.delete(opened.consumedPrekeys.kemPrekeyId);
    this.seen.add(opened.replayKey);
    return { ...opened, text: new TextDecoder().decode(opened.plaintext) };
  }

  /** Makes `session` the active (first) one with `peer`, replacing `previous` if given. */
  private commitSession(peer: string, session: SessionState, previous: SessionState | undefined): void {
    const others = (this.sessions.get(peer) ?? []).filter((s) => s !== previous);
    this.sessions.set(peer, [session, ...others]);
  }
}
