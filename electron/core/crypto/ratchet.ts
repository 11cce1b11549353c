/**
 * The Double Ratchet (Signal, "The Double Ratchet Algorithm", revision 1), §3 without header
 * encryption: DH ratchet steps, sending and receiving KDF chains, and skipped message keys for
 * out-of-order messages. States are immutable values: every call returns a new state and leaves
 * its input untouched, so a failed decrypt changes nothing and the caller stores the new state in
 * the same transaction as the message it belongs to (§3.5: "changes to the state are discarded").
 */
import { ParleyError } from '../../../shared/errors';
import {
  bytesEqual,
  type ChainKey,
  type DhKeyPair,
  type DhPublicKey,
  type MessageKey,
  type RootKey,
  wipe,
} from './keys';
import { messageAeadFor } from './message-aead';
import { type RandomBytes, systemRandomBytes } from './random';
import { kdfCk, kdfRk, MESSAGE_NONCE_BYTES, writeMessageNonce } from './ratchet-kdf';
import type { Sodium } from './sodium';
import { dh, generateDhKeyPair } from './x25519';

/** MAX_SKIP (§3.2): the most message keys one message may make us skip in one chain. */
export const MAX_SKIP = 1000;
/** The most skipped message keys a session keeps; the oldest go first (§6.4). */
export const MAX_SKIPPED_KEYS = 2000;
/** Skipped message keys are deleted after this long (§6.4). */
export const SKIPPED_KEY_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
/** Counters are uint32 on the wire. */
const MAX_COUNTER = 0xffffffff;
const HEADER_BYTES = 32 + 4 + 4;

export interface ChainState {
  readonly key: ChainKey;
  /** Ns for a sending chain, Nr for a receiving chain: the number of the next message. */
  readonly counter: number;
}

/** An MKSKIPPED entry: the key of message `counter` of the chain of `ratchetKey`. */
export interface SkippedKey {
  readonly ratchetKey: DhPublicKey;
  readonly counter: number;
  readonly messageKey: MessageKey;
  readonly storedAt: number;
}

/** §3.2 state variables. */
export interface RatchetState {
  /** RK */
  readonly rootKey: RootKey;
  /** DHs */
  readonly sendingRatchetKey: DhKeyPair;
  /** DHr; null until the first message arrives */
  readonly remoteRatchetKey: DhPublicKey | null;
  /** CKs and Ns; null until the first DH ratchet step of the responder */
  readonly sendingChain: ChainState | null;
  /** CKr and Nr */
  readonly receivingChain: ChainState | null;
  /** PN */
  readonly previousCounter: number;
  /** MKSKIPPED, keyed by skippedKeyId(ratchetKey, counter), oldest first. */
  readonly skipped: ReadonlyMap<string, SkippedKey>;
}

/** The AD of §3.4 / §3.5, in parts that are concatenated (saves copying them into one first). */
export type AssociatedData = readonly Uint8Array[];

/** §3.4 HEADER(dh_pair, pn, n). */
export interface RatchetHeader {
  readonly ratchetKey: DhPublicKey;
  readonly previousCounter: number;
  readonly counter: number;
}

const NO_SKIPPED: ReadonlyMap<string, SkippedKey> = new Map();

/**
 * Every RatchetState is built here, with its fields always in the same order, so V8 gives all
 * states one hidden class (spreading states of mixed origins is several times slower).
 */
export function ratchetState(
  rootKey: RootKey,
  sendingRatchetKey: DhKeyPair,
  remoteRatchetKey: DhPublicKey | null,
  sendingChain: ChainState | null,
  receivingChain: ChainState | null,
  previousCounter: number,
  skipped: ReadonlyMap<string, SkippedKey>,
): RatchetState {
  return {
    rootKey,
    sendingRatchetKey,
    remoteRatchetKey,
    sendingChain,
    receivingChain,
    previousCounter,
    skipped,
  };
}

/** §3.3 RatchetInitAlice: the initiator's first DH ratchet step against the responder's signed prekey. */
export function ratchetInitAlice(
  sodium: Sodium,
  sharedKey: RootKey,
  remoteRatchetKey: DhPublicKey,
  random: RandomBytes = systemRandomBytes,
): RatchetState {
  const sendingRatchetKey = generateDhKeyPair(sodium, random);
  const dhOutput = dh(sodium, sendingRatchetKey.secretKey, remoteRatchetKey);
  const { rootKey, chainKey } = kdfRk(sodium, sharedKey, dhOutput);
  wipe(sodium, dhOutput);
  return ratchetState(
    rootKey,
    sendingRatchetKey,
    remoteRatchetKey.slice() as DhPublicKey,
    { key: chainKey, counter: 0 },
    null,
    0,
    NO_SKIPPED,
  );
}

/** §3.3 RatchetInitBob: the responder starts with its signed prekey pair as its ratchet key. */
export function ratchetInitBob(sharedKey: RootKey, signedPrekeyPair: DhKeyPair): RatchetState {
  const ownKey = {
    publicKey: signedPrekeyPair.publicKey.slice() as DhPublicKey,
    secretKey: signedPrekeyPair.secretKey.slice() as typeof signedPrekeyPair.secretKey,
  };
  return ratchetState(sharedKey, ownKey, null, null, null, 0, NO_SKIPPED);
}

/** §3.4 RatchetEncrypt: one step of the sending chain, then AEAD with AD ‖ header. */
export function ratchetEncrypt(
  sodium: Sodium,
  state: RatchetState,
  plaintext: Uint8Array,
  associatedData: AssociatedData,
): { readonly state: RatchetState; readonly header: RatchetHeader; readonly ciphertext: Uint8Array } {
  const chain = state.sendingChain;
  if (!chain) {
    throw new ParleyError(
      'CRYPTO_NO_SESSION',
      'This session cannot send until the other device has written.',
    );
  }
  if (chain.counter >= MAX_COUNTER) {
    throw new ParleyError(
      'CRYPTO_NO_SESSION',
      'This session has sent all the messages it can; start a new one.',
    );
  }
  const { chainKey, messageKey } = kdfCk(sodium, chain.key);
  const header: RatchetHeader = {
    ratchetKey: state.sendingRatchetKey.publicKey,
    previousCounter: state.previousCounter,
    counter: chain.counter,
  };
  const ciphertext = messageAeadFor(sodium).encrypt(
    plaintext,
    withHeader(associatedData, header),
    messageNonce(header.counter),
    messageKey,
  );
  wipe(sodium, messageKey);
  return {
    state: ratchetState(
      state.rootKey,
      state.sendingRatchetKey,
      state.remoteRatchetKey,
      { key: chainKey, counter: chain.counter + 1 },
      state.receivingChain,
      state.previousCounter,
      state.skipped,
    ),
    header,
    ciphertext,
  };
}

/**
 * §3.5 RatchetDecrypt: a skipped key if one is stored for the header, else the current
 * receiving chain, else a DH ratchet step; skipping at most MAX_SKIP keys per chain. The new
 * sending ratchet key is generated only after the message authenticated, so a forged message
 * costs one DH, not two, and changes nothing.
 */
export function ratchetDecrypt(
  sodium: Sodium,
  state: RatchetState,
  header: RatchetHeader,
  ciphertext: Uint8Array,
  associatedData: AssociatedData,
  now: number,
  random: RandomBytes = systemRandomBytes,
): { readonly state: RatchetState; readonly plaintext: Uint8Array } {
  let skipped = state.skipped.size > 0 ? dropExpired(state.skipped, now) : state.skipped;

  // TrySkippedMessageKeys
  if (skipped.size > 0) {
    const id = skippedKeyId(header.ratchetKey, header.counter);
    const entry = skipped.get(id);
    if (entry) {
      const plaintext = open(sodium, entry.messageKey, ciphertext, associatedData, header);
      const rest = new Map(skipped);
      rest.delete(id);
      const next = ratchetState(
        state.rootKey,
        state.sendingRatchetKey,
        state.remoteRatchetKey,
        state.sendingChain,
        state.receivingChain,
        state.previousCounter,
        rest,
      );
      return { state: next, plaintext };
    }
  }

  // Same chain as before: advance the receiving chain.
  if (
    state.remoteRatchetKey &&
    state.receivingChain &&
    bytesEqual(header.ratchetKey, state.remoteRatchetKey)
  ) {
    const chain = state.receivingChain;
    if (header.counter < chain.counter) {
      throw new ParleyError(
        'CRYPTO_DUPLICATE_MESSAGE',
        'This message was already received (or arrived too late to be read), so it was ignored.',
      );
    }
    checkSkip(chain.counter, header.counter);
    const step = advance(sodium, chain, header.counter, state.remoteRatchetKey, now);
    const plaintext = openOrDiscard(sodium, step, ciphertext, associatedData, header);
    return {
      state: ratchetState(
        state.rootKey,
        state.sendingRatchetKey,
        state.remoteRatchetKey,
        state.sendingChain,
        step.chain,
        state.previousCounter,
        remember(skipped, step.skipped),
      ),
      plaintext,
    };
  }

  // A new ratchet key: DHRatchet. Check the work it asks for before doing any.
  checkSkip(state.receivingChain?.counter ?? 0, state.receivingChain ? header.previousCounter : 0);
  checkSkip(0, header.counter);
  const remoteRatchetKey = header.ratchetKey.slice() as DhPublicKey;
  let oldChainSkipped: SkippedKey[] = [];
  if (
    state.receivingChain &&
    state.remoteRatchetKey &&
    header.previousCounter > state.receivingChain.counter
  ) {
    // SkipMessageKeys(state, header.pn) over the chain that just ended.
    const rest = advance(sodium, state.receivingChain, header.previousCounter, state.remoteRatchetKey, now);
    oldChainSkipped = rest.skipped;
    wipe(sodium, rest.messageKey);
  }
  const receiveOutput = dh(sodium, state.sendingRatchetKey.secretKey, remoteRatchetKey);
  const receiveStep = kdfRk(sodium, state.rootKey, receiveOutput);
  wipe(sodium, receiveOutput);
  const step = advance(
    sodium,
    { key: receiveStep.chainKey, counter: 0 },
    header.counter,
    remoteRatchetKey,
    now,
  );
  let plaintext: Uint8Array;
  try {
    plaintext = openOrDiscard(sodium, step, ciphertext, associatedData, header);
  } catch (error) {
    wipe(
      sodium,
      receiveStep.rootKey,
      receiveStep.chainKey,
      ...oldChainSkipped.map((entry) => entry.messageKey),
    );
    throw error;
  }

  const sendingRatchetKey = generateDhKeyPair(sodium, random);
  const sendOutput = dh(sodium, sendingRatchetKey.secretKey, remoteRatchetKey);
  const sendStep = kdfRk(sodium, receiveStep.rootKey, sendOutput);
  // The intermediate root key and the receiving chain's first key are not part of any state.
  wipe(sodium, sendOutput, receiveStep.rootKey, receiveStep.chainKey);
  skipped = remember(skipped, oldChainSkipped.concat(step.skipped));
  return {
    state: ratchetState(
      sendStep.rootKey,
      sendingRatchetKey,
      remoteRatchetKey,
      { key: sendStep.chainKey, counter: 0 },
      step.chain,
      state.sendingChain?.counter ?? 0,
      skipped,
    ),
    plaintext,
  };
}

/** The MKSKIPPED map key for (ratchet public key, message number). */
export function skippedKeyId(ratchetKey: Uint8Array, counter: number): string {
  return `${Buffer.from(ratchetKey.buffer, ratchetKey.byteOffset, ratchetKey.byteLength).toString('base64')}:${counter}`;
}

/** Rebuilds an MKSKIPPED map (oldest first) from a list, e.g. after deserializing. */
export function skippedKeysFrom(entries: readonly SkippedKey[]): ReadonlyMap<string, SkippedKey> {
  if (entries.length === 0) return NO_SKIPPED;
  return new Map(entries.map((entry) => [skippedKeyId(entry.ratchetKey, entry.counter), entry]));
}

/**
 * §3.4 CONCAT(AD, header): the AD parts, then the header in a fixed encoding
 * (DHs ‖ PN ‖ N, big-endian uint32).
 */
function withHeader(associatedData: AssociatedData, header: RatchetHeader): Uint8Array[] {
  const encoded = new Uint8Array(HEADER_BYTES);
  encoded.set(header.ratchetKey, 0);
  writeUint32(encoded, 32, header.previousCounter);
  writeUint32(encoded, 36, header.counter);
  return [...associatedData, encoded];
}

function messageNonce(counter: number): Uint8Array {
  const nonce = new Uint8Array(MESSAGE_NONCE_BYTES);
  writeMessageNonce(nonce, counter);
  return nonce;
}

function writeUint32(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 24) & 0xff;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

function checkSkip(from: number, until: number): void {
  if (until - from > MAX_SKIP) {
    throw new ParleyError(
      'CRYPTO_TOO_MANY_SKIPPED',
      'A message claims more than 1,000 earlier messages are missing, so it was refused.',
    );
  }
}

/**
 * SkipMessageKeys then KDF_CK: steps `chain` up to message `until`, keeping the keys passed over,
 * and returns the key of message `until` and the chain after it.
 */
function advance(
  sodium: Sodium,
  chain: ChainState,
  until: number,
  ratchetKey: DhPublicKey,
  now: number,
): { readonly chain: ChainState; readonly messageKey: MessageKey; readonly skipped: SkippedKey[] } {
  const skipped: SkippedKey[] = [];
  let key = chain.key;
  for (let counter = chain.counter; counter < until; counter++) {
    const step = kdfCk(sodium, key);
    skipped.push({ ratchetKey, counter, messageKey: step.messageKey, storedAt: now });
    key = step.chainKey;
  }
  const last = kdfCk(sodium, key);
  return { chain: { key: last.chainKey, counter: until + 1 }, messageKey: last.messageKey, skipped };
}

/** Adds skipped keys, evicting the oldest beyond MAX_SKIPPED_KEYS; returns `current` when nothing changes. */
function remember(
  current: ReadonlyMap<string, SkippedKey>,
  added: readonly SkippedKey[],
): ReadonlyMap<string, SkippedKey> {
  if (added.length === 0) return current;
  const next = new Map(current);
  for (const entry of added) next.set(skippedKeyId(entry.ratchetKey, entry.counter), entry);
  for (const id of next.keys()) {
    if (next.size <= MAX_SKIPPED_KEYS) break;
    next.delete(id);
  }
  return next;
}

/** Drops skipped keys older than SKIPPED_KEY_MAX_AGE_MS (they are stored oldest first). */
function dropExpired(skipped: ReadonlyMap<string, SkippedKey>, now: number): ReadonlyMap<string, SkippedKey> {
  const cutoff = now - SKIPPED_KEY_MAX_AGE_MS;
  let expired = 0;
  for (const entry of skipped.values()) {
    if (entry.storedAt > cutoff) break;
    expired++;
  }
  if (expired === 0) return skipped;
  const next = new Map(skipped);
  for (const id of skipped.keys()) {
    if (expired-- === 0) break;
    next.delete(id);
  }
  return next;
}

/** Opens with the key `advance` derived and wipes it; on failure also wipes the keys it skipped. */
function openOrDiscard(
  sodium: Sodium,
  step: {
    readonly chain: ChainState;
    readonly messageKey: MessageKey;
    readonly skipped: readonly SkippedKey[];
  },
  ciphertext: Uint8Array,
  associatedData: AssociatedData,
  header: RatchetHeader,
): Uint8Array {
  try {
    return open(sodium, step.messageKey, ciphertext, associatedData, header);
  } catch (error) {
    wipe(sodium, step.chain.key, ...step.skipped.map((entry) => entry.messageKey));
    throw error;
  } finally {
    wipe(sodium, step.messageKey);
  }
}

/** §3.5 DECRYPT(mk, ciphertext, CONCAT(AD, header)). */
function open(
  sodium: Sodium,
  messageKey: MessageKey,
  ciphertext: Uint8Array,
  associatedData: AssociatedData,
  header: RatchetHeader,
): Uint8Array {
  const plaintext = messageAeadFor(sodium).decrypt(
    ciphertext,
    withHeader(associatedData, header),
    messageNonce(header.counter),
    messageKey,
  );
  if (plaintext === null) {
    throw new ParleyError(
      'CRYPTO_DECRYPT_FAILED',
      'A message could not be decrypted: it was altered, or it belongs to another session. Ask the sender to send it again.',
    );
  }
  return plaintext;
}
