/**
 * At-rest form of a session (schema: shared/wire/proto/parley/state/v1/session.proto).
 * deserializeSession(serializeSession(s)) equals s, and serializing that again gives the same
 * bytes. Decoding checks version, lengths, counters and key pairs before the state is used.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ParleyError } from '../../../shared/errors';
import {
  ChainStateSchema,
  PendingPrekeySchema,
  RatchetKeyPairSchema,
  type SessionRecord,
  SessionRecordSchema,
  SkippedMessageKeySchema,
} from '../../../shared/wire/gen/parley/state/v1/session_pb';
import { decodeProto, expectSafeInteger, expectVersion } from '../../../shared/wire/wire-checks';
import { identityDhPublicKey } from './identity';
import {
  asChainKey,
  asDhPublicKey,
  asDhSecretKey,
  asIdentityPublicKey,
  asMessageKey,
  asRootKey,
  bytesEqual,
  KEM_CIPHERTEXT_BYTES,
} from './keys';
import { pqxdhAssociatedData } from './pqxdh';
import { type ChainState, MAX_SKIPPED_KEYS, ratchetState, type SkippedKey, skippedKeysFrom } from './ratchet';
import { type PendingPrekey, type SessionState, sessionState } from './session';
import type { Sodium } from './sodium';
import { dhPublicKeyOf } from './x25519';

const SESSION_RECORD_VERSION = 1;
// The skipped keys dominate: ~90 bytes each, at most MAX_SKIPPED_KEYS of them.
const MAX_SESSION_RECORD_BYTES = 4096 + MAX_SKIPPED_KEYS * 128;
const WHAT = 'stored session';

export function serializeSession(session: SessionState): Uint8Array {
  const { ratchet, pendingPrekey } = session;
  return toBinary(
    SessionRecordSchema,
    create(SessionRecordSchema, {
      version: SESSION_RECORD_VERSION,
      localAddress: session.localAddress,
      remoteAddress: session.remoteAddress,
      localIdentityKey: session.localIdentityKey,
      remoteIdentityKey: session.remoteIdentityKey,
      rootKey: ratchet.rootKey,
      sendingRatchetKey: create(RatchetKeyPairSchema, {
        publicKey: ratchet.sendingRatchetKey.publicKey,
        secretKey: ratchet.sendingRatchetKey.secretKey,
      }),
      ...(ratchet.remoteRatchetKey ? { remoteRatchetKey: ratchet.remoteRatchetKey } : {}),
      ...(ratchet.sendingChain ? { sendingChain: chainRecord(ratchet.sendingChain) } : {}),
      ...(ratchet.receivingChain ? { receivingChain: chainRecord(ratchet.receivingChain) } : {}),
      previousCounter: ratchet.previousCounter,
      skipped: [...ratchet.skipped.values()].map((entry) =>
        create(SkippedMessageKeySchema, {
          ratchetKey: entry.ratchetKey,
          counter: entry.counter,
          messageKey: entry.messageKey,
          storedAt: BigInt(entry.storedAt),
        }),
      ),
      ...(pendingPrekey
        ? {
            pendingPrekey: create(PendingPrekeySchema, {
              signedPrekeyId: pendingPrekey.signedPrekeyId,
              ...(pendingPrekey.oneTimePrekeyId === null
                ? {}
                : { oneTimePrekeyId: pendingPrekey.oneTimePrekeyId }),
              kemPrekeyId: pendingPrekey.kemPrekeyId,
              baseKey: pendingPrekey.baseKey,
              kemCiphertext: pendingPrekey.kemCiphertext,
            }),
          }
        : {}),
      baseKey: session.baseKey,
      createdAt: BigInt(session.createdAt),
      initiator: session.initiator,
      remoteIdentityDhKey: session.remoteIdentityDhKey,
    }),
  );
}

export function deserializeSession(sodium: Sodium, bytes: Uint8Array): SessionState {
  const record = decodeProto(SessionRecordSchema, bytes, WHAT, MAX_SESSION_RECORD_BYTES);
  expectVersion(record.version, SESSION_RECORD_VERSION, WHAT);
  const localIdentityKey = keyOf(() => asIdentityPublicKey(record.localIdentityKey));
  const remoteIdentityKey = keyOf(() => asIdentityPublicKey(record.remoteIdentityKey));
  const pair = record.sendingRatchetKey;
  if (!pair) throw malformed();
  const sendingRatchetKey = {
    publicKey: keyOf(() => asDhPublicKey(pair.publicKey)),
    secretKey: keyOf(() => asDhSecretKey(pair.secretKey)),
  };
  if (!bytesEqual(dhPublicKeyOf(sodium, sendingRatchetKey.secretKey), sendingRatchetKey.publicKey)) {
    throw malformed();
  }
  const remoteRatchetKey =
    record.remoteRatchetKey === undefined ? null : keyOf(() => asDhPublicKey(record.remoteRatchetKey!));
  const receivingChain = record.receivingChain ? chainState(record.receivingChain) : null;
  // A receiving chain always belongs to a remote ratchet key (Double Ratchet §3.5 DHRatchet).
  if (receivingChain !== null && remoteRatchetKey === null) throw malformed();
  if (record.skipped.length > MAX_SKIPPED_KEYS) throw malformed();
  const skipped: SkippedKey[] = record.skipped.map((entry) => ({
    ratchetKey: keyOf(() => asDhPublicKey(entry.ratchetKey)),
    counter: entry.counter,
    messageKey: keyOf(() => asMessageKey(entry.messageKey)),
    storedAt: expectSafeInteger(entry.storedAt, WHAT),
  }));
  const skippedMap = skippedKeysFrom(skipped);
  if (skippedMap.size !== skipped.length) throw malformed();
  return sessionState({
    localAddress: record.localAddress,
    remoteAddress: record.remoteAddress,
    localIdentityKey,
    remoteIdentityKey,
    // Derived from the identity key; records written before it was kept get it recomputed.
    remoteIdentityDhKey:
      record.remoteIdentityDhKey.length === 0
        ? identityDhPublicKey(sodium, remoteIdentityKey)
        : keyOf(() => asDhPublicKey(record.remoteIdentityDhKey)),
    initiator: record.initiator,
    associatedData: associatedDataOf(record, localIdentityKey, remoteIdentityKey),
    baseKey: keyOf(() => asDhPublicKey(record.baseKey)),
    pendingPrekey: record.pendingPrekey ? pendingPrekeyOf(record.pendingPrekey) : null,
    createdAt: expectSafeInteger(record.createdAt, WHAT),
    ratchet: ratchetState(
      keyOf(() => asRootKey(record.rootKey)),
      sendingRatchetKey,
      remoteRatchetKey,
      record.sendingChain ? chainState(record.sendingChain) : null,
      receivingChain,
      record.previousCounter,
      skippedMap,
    ),
  });
}

/** The PQXDH AD depends on who initiated: the initiator's identity comes first. */
function associatedDataOf(
  record: SessionRecord,
  local: ReturnType<typeof asIdentityPublicKey>,
  remote: ReturnType<typeof asIdentityPublicKey>,
): Uint8Array {
  if (record.pendingPrekey !== undefined && !record.initiator) throw malformed();
  try {
    return record.initiator
      ? pqxdhAssociatedData(local, remote, record.localAddress, record.remoteAddress)
      : pqxdhAssociatedData(remote, local, record.remoteAddress, record.localAddress);
  } catch (cause) {
    throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} is damaged, so it cannot be used.`, { cause });
  }
}

function chainRecord(chain: ChainState) {
  return create(ChainStateSchema, { key: chain.key, counter: chain.counter });
}

function chainState(record: { key: Uint8Array; counter: number }): ChainState {
  return { key: keyOf(() => asChainKey(record.key)), counter: record.counter };
}

function pendingPrekeyOf(record: {
  signedPrekeyId: number;
  oneTimePrekeyId?: number;
  kemPrekeyId: number;
  baseKey: Uint8Array;
  kemCiphertext: Uint8Array;
}): PendingPrekey {
  if (record.kemCiphertext.length !== KEM_CIPHERTEXT_BYTES) throw malformed();
  return {
    signedPrekeyId: record.signedPrekeyId,
    oneTimePrekeyId: record.oneTimePrekeyId ?? null,
    kemPrekeyId: record.kemPrekeyId,
    baseKey: keyOf(() => asDhPublicKey(record.baseKey)),
    kemCiphertext: record.kemCiphertext,
  };
}

function keyOf<T>(make: () => T): T {
  try {
    return make();
  } catch (cause) {
    throw new ParleyError(
      'WIRE_BAD_LENGTH',
      `The ${WHAT} holds a key of the wrong length, so it cannot be used.`,
      {
        cause,
      },
    );
  }
}

function malformed(): ParleyError {
  return new ParleyError('WIRE_MALFORMED', `The ${WHAT} is damaged, so it cannot be used.`);
}
