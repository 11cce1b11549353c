/**
 * This device's private prekeys (PQXDH §3.1-§3.2): the lookup a responder needs to answer a
 * session set-up, and the upkeep that keeps the relay stocked: the first upload, replenishing
 * one-time prekeys when the relay's count runs low, rotating the signed and last-resort prekeys
 * every 7 days and deleting retired ones after 30 (see crypto/prekey-rotation.ts).
 */
import type { PrekeyCounts, PrekeyUpload } from '../../../shared/prekeys';
import {
  deserializeKemPrekey,
  deserializeOneTimePrekey,
  deserializeSignedPrekey,
  generateKemPrekey,
  generateOneTimeKemPrekeys,
  generateOneTimePrekeys,
  generateSignedPrekey,
  type IdentityKeyPair,
  type KemPrekeyRecord,
  makePrekeyUpload,
  nextPrekeyId,
  ONE_TIME_PREKEY_TARGET,
  type OneTimePrekeyRecord,
  type PrekeyLookup,
  planPrekeyMaintenance,
  RETIRED_PREKEY_KEEP_MS,
  type SignedPrekeyRecord,
  type Sodium,
  serializeKemPrekey,
  serializeOneTimePrekey,
  serializeSignedPrekey,
} from '../crypto';
import type { Store } from '../store';

export class PrekeyVault implements PrekeyLookup {
  constructor(
    private readonly store: Store,
    private readonly sodium: Sodium,
    private readonly identity: IdentityKeyPair,
  ) {}

  signedPrekey(id: number): SignedPrekeyRecord | undefined {
    const bytes = this.store.prekeys.getSignedPrekey(id);
    return bytes ? deserializeSignedPrekey(this.sodium, bytes) : undefined;
  }

  oneTimePrekey(id: number): OneTimePrekeyRecord | 'consumed' | undefined {
    const bytes = this.store.prekeys.getOneTimePrekey(id);
    if (bytes) return deserializeOneTimePrekey(this.sodium, bytes);
    return id <= this.store.prekeys.maxOneTimePrekeyId() ? 'consumed' : undefined;
  }

  kemPrekey(id: number): KemPrekeyRecord | 'consumed' | undefined {
    const found = this.store.prekeys.getKemPrekey(id);
    if (found) return deserializeKemPrekey(found.record);
    return id <= this.store.prekeys.maxKemPrekeyId() ? 'consumed' : undefined;
  }

  /** Deletes one-time prekeys a new session used; call inside the message's transaction. */
  consume(used: { readonly oneTimePrekeyId: number | null; readonly kemPrekeyId: number | null }): void {
    if (used.oneTimePrekeyId !== null) this.store.prekeys.removeOneTimePrekey(used.oneTimePrekeyId);
    if (used.kemPrekeyId !== null) this.store.prekeys.removeOneTimeKemPrekey(used.kemPrekeyId);
  }

  /** Everything a new device uploads: signed prekey, last-resort KEM prekey, one-time prekeys of both kinds. */
  createInitial(now: number): PrekeyUpload {
    const signedPrekey = this.newSignedPrekey(now);
    const lastResortKemPrekey = this.newLastResortKemPrekey(now);
    const oneTime = this.newOneTimePrekeys(
      { oneTimePrekeys: ONE_TIME_PREKEY_TARGET, oneTimeKemPrekeys: ONE_TIME_PREKEY_TARGET },
      now,
    );
    return makePrekeyUpload({ signedPrekey, lastResortKemPrekey, ...oneTime });
  }

  /**
   * What is due given the relay's counts: new one-time prekeys, rotated signed and last-resort
   * prekeys (the previous ones retired, kept 30 days for late set-ups). Null when nothing is.
   * The new keys are stored before the upload: a failed upload only leaves spares behind.
   */
  maintain(relayCounts: PrekeyCounts, now: number): PrekeyUpload | null {
    const prekeys = this.store.prekeys;
    const kem = prekeys.listKemPrekeys().filter((k) => k.lastResort);
    const plan = planPrekeyMaintenance({
      signedPrekeys: prekeys.listSignedPrekeys(),
      lastResortKemPrekeys: kem,
      relayCounts,
      now,
    });
    prekeys.removeSignedPrekeysRetiredBefore(now - RETIRED_PREKEY_KEEP_MS);
    prekeys.removeLastResortKemPrekeysRetiredBefore(now - RETIRED_PREKEY_KEEP_MS);
    const upload: Parameters<typeof makePrekeyUpload>[0] = {
      ...(plan.rotateSignedPrekey ? { signedPrekey: this.rotateSignedPrekey(now) } : {}),
      ...(plan.rotateLastResortKemPrekey ? { lastResortKemPrekey: this.rotateLastResortKemPrekey(now) } : {}),
      ...this.newOneTimePrekeys(plan.generate, now),
    };
    const nothing =
      !upload.signedPrekey &&
      !upload.lastResortKemPrekey &&
      !upload.oneTimePrekeys?.length &&
      !upload.oneTimeKemPrekeys?.length;
    return nothing ? null : makePrekeyUpload(upload);
  }

  private rotateSignedPrekey(now: number): SignedPrekeyRecord {
    const current = this.store.prekeys.listSignedPrekeys().filter((k) => k.retiredAt === null);
    const fresh = this.newSignedPrekey(now);
    for (const old of current) this.store.prekeys.retireSignedPrekey(old.id, now);
    return fresh;
  }

  private rotateLastResortKemPrekey(now: number): KemPrekeyRecord {
    const current = this.store.prekeys.listKemPrekeys().filter((k) => k.lastResort && k.retiredAt === null);
    const fresh = this.newLastResortKemPrekey(now);
    for (const old of current) this.store.prekeys.retireLastResortKemPrekey(old.id, now);
    return fresh;
  }

  private newSignedPrekey(now: number): SignedPrekeyRecord {
    const ids = this.store.prekeys.listSignedPrekeys().map((k) => k.id);
    const record = generateSignedPrekey(this.sodium, this.identity, nextPrekeyId(Math.max(0, ...ids)), now);
    this.store.prekeys.putSignedPrekey(record.id, serializeSignedPrekey(record), now);
    return record;
  }

  private newLastResortKemPrekey(now: number): KemPrekeyRecord {
    const id = nextPrekeyId(this.store.prekeys.maxKemPrekeyId());
    const record = generateKemPrekey(this.sodium, this.identity, id, now, true);
    this.store.prekeys.putKemPrekey(id, serializeKemPrekey(record), true, now);
    return record;
  }

  private newOneTimePrekeys(
    counts: PrekeyCounts,
    now: number,
  ): { oneTimePrekeys?: OneTimePrekeyRecord[]; oneTimeKemPrekeys?: KemPrekeyRecord[] } {
    const out: { oneTimePrekeys?: OneTimePrekeyRecord[]; oneTimeKemPrekeys?: KemPrekeyRecord[] } = {};
    if (counts.oneTimePrekeys > 0) {
      const first = nextPrekeyId(this.store.prekeys.maxOneTimePrekeyId());
      const records = generateOneTimePrekeys(this.sodium, first, counts.oneTimePrekeys);
      this.store.prekeys.putOneTimePrekeys(
        records.map((r) => ({ id: r.id, record: serializeOneTimePrekey(r) })),
        now,
      );
      out.oneTimePrekeys = records;
    }
    if (counts.oneTimeKemPrekeys > 0) {
      const first = nextPrekeyId(this.store.prekeys.maxKemPrekeyId());
      const records = generateOneTimeKemPrekeys(
        this.sodium,
        this.identity,
        first,
        counts.oneTimeKemPrekeys,
        now,
      );
      for (const r of records) this.store.prekeys.putKemPrekey(r.id, serializeKemPrekey(r), false, now);
      out.oneTimeKemPrekeys = records;
    }
    return out;
  }
}
