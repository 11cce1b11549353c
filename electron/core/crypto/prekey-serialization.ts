/**
 * At-rest form of this device's prekey records (schema: shared/wire/proto/parley/state/v1/keys.proto).
 * Deserializing checks version and lengths and that each public key matches its secret key.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ParleyError } from '../../../shared/errors';
import {
  KemPrekeyRecordSchema,
  OneTimePrekeyRecordSchema,
  SignedPrekeyRecordSchema,
} from '../../../shared/wire/gen/parley/state/v1/keys_pb';
import { decodeProto, expectBytes, expectSafeInteger, expectVersion } from '../../../shared/wire/wire-checks';
import {
  asDhPublicKey,
  asDhSecretKey,
  asKemPublicKey,
  asKemSecretKey,
  bytesEqual,
  type DhKeyPair,
  KEM_PUBLIC_KEY_BYTES,
  type KemKeyPair,
} from './keys';
import {
  type KemPrekeyRecord,
  MAX_PREKEY_ID,
  type OneTimePrekeyRecord,
  type SignedPrekeyRecord,
} from './prekeys';
import type { Sodium } from './sodium';
import { dhPublicKeyOf } from './x25519';

const RECORD_VERSION = 1;
const SIGNATURE_BYTES = 64;
const MAX_EC_RECORD_BYTES = 512;
const MAX_KEM_RECORD_BYTES = 8192;
// FIPS 203: the decapsulation key is dk_PKE (384·k bytes, k = 4) ‖ ek ‖ H(ek) ‖ z.
const KEM_EMBEDDED_PUBLIC_KEY_OFFSET = 1536;

export function serializeSignedPrekey(record: SignedPrekeyRecord): Uint8Array {
  return toBinary(
    SignedPrekeyRecordSchema,
    create(SignedPrekeyRecordSchema, {
      version: RECORD_VERSION,
      id: record.id,
      publicKey: record.keyPair.publicKey,
      secretKey: record.keyPair.secretKey,
      signature: record.signature,
      createdAt: BigInt(record.createdAt),
    }),
  );
}

export function deserializeSignedPrekey(sodium: Sodium, bytes: Uint8Array): SignedPrekeyRecord {
  const what = 'stored signed prekey';
  const record = decodeProto(SignedPrekeyRecordSchema, bytes, what, MAX_EC_RECORD_BYTES);
  expectVersion(record.version, RECORD_VERSION, what);
  return {
    id: checkId(record.id, what),
    keyPair: dhKeyPair(sodium, record.publicKey, record.secretKey, what),
    signature: expectBytes(record.signature, SIGNATURE_BYTES, what),
    createdAt: expectSafeInteger(record.createdAt, what),
  };
}

export function serializeOneTimePrekey(record: OneTimePrekeyRecord): Uint8Array {
  return toBinary(
    OneTimePrekeyRecordSchema,
    create(OneTimePrekeyRecordSchema, {
      version: RECORD_VERSION,
      id: record.id,
      publicKey: record.keyPair.publicKey,
      secretKey: record.keyPair.secretKey,
    }),
  );
}

export function deserializeOneTimePrekey(sodium: Sodium, bytes: Uint8Array): OneTimePrekeyRecord {
  const what = 'stored one-time prekey';
  const record = decodeProto(OneTimePrekeyRecordSchema, bytes, what, MAX_EC_RECORD_BYTES);
  expectVersion(record.version, RECORD_VERSION, what);
  return {
    id: checkId(record.id, what),
    keyPair: dhKeyPair(sodium, record.publicKey, record.secretKey, what),
  };
}

export function serializeKemPrekey(record: KemPrekeyRecord): Uint8Array {
  return toBinary(
    KemPrekeyRecordSchema,
    create(KemPrekeyRecordSchema, {
      version: RECORD_VERSION,
      id: record.id,
      publicKey: record.keyPair.publicKey,
      secretKey: record.keyPair.secretKey,
      signature: record.signature,
      createdAt: BigInt(record.createdAt),
      lastResort: record.lastResort,
    }),
  );
}

export function deserializeKemPrekey(bytes: Uint8Array): KemPrekeyRecord {
  const what = 'stored post-quantum prekey';
  const record = decodeProto(KemPrekeyRecordSchema, bytes, what, MAX_KEM_RECORD_BYTES);
  expectVersion(record.version, RECORD_VERSION, what);
  const keyPair: KemKeyPair = {
    publicKey: asKemPublicKey(record.publicKey),
    secretKey: asKemSecretKey(record.secretKey),
  };
  const embedded = keyPair.secretKey.subarray(
    KEM_EMBEDDED_PUBLIC_KEY_OFFSET,
    KEM_EMBEDDED_PUBLIC_KEY_OFFSET + KEM_PUBLIC_KEY_BYTES,
  );
  if (!bytesEqual(embedded, keyPair.publicKey)) throw damaged(what);
  return {
    id: checkId(record.id, what),
    keyPair,
    signature: expectBytes(record.signature, SIGNATURE_BYTES, what),
    createdAt: expectSafeInteger(record.createdAt, what),
    lastResort: record.lastResort,
  };
}

function dhKeyPair(sodium: Sodium, publicKey: Uint8Array, secretKey: Uint8Array, what: string): DhKeyPair {
  const pair = { publicKey: asDhPublicKey(publicKey), secretKey: asDhSecretKey(secretKey) };
  if (!bytesEqual(dhPublicKeyOf(sodium, pair.secretKey), pair.publicKey)) throw damaged(what);
  return pair;
}

function checkId(id: number, what: string): number {
  if (id < 1 || id > MAX_PREKEY_ID) throw new ParleyError('WIRE_MALFORMED', `The ${what} has an invalid id.`);
  return id;
}

function damaged(what: string): ParleyError {
  return new ParleyError('CRYPTO_INVALID_KEY', `The ${what} is damaged: its two halves do not match.`);
}
