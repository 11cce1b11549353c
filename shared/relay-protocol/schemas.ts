/**
 * Zod schemas of every relay socket event and HTTP route payload. The relay validates all it
 * receives against these; the client validates what the relay answers (the relay is not trusted
 * either: THREAT-MODEL, the relay operator). Wire types are the schemas' inputs (JSON with
 * base64url text); parsed values are their outputs (with Uint8Array keys).
 */
import { z } from 'zod';
import { MAX_DEVICE_ID } from '../address';
import { ERROR_CODES } from '../errors';
import {
  ED25519_PUBLIC_BYTES,
  ED25519_SIGNATURE_BYTES,
  MLKEM1024_PUBLIC_BYTES,
  X25519_PUBLIC_BYTES,
} from '../prekeys';
import { RELAY_ID_PATTERN } from './auth-proof';
import { fixedBytes, frameText } from './binary-schema';
import { ENVELOPE_ID_PATTERN } from './envelope-frame';
import {
  AUTH_NONCE_BYTES,
  MAX_ACK_IDS,
  MAX_DIRECTORY_RESULTS,
  MAX_FRAME_BYTES,
  MAX_ONE_TIME_KEM_PREKEYS_PER_UPLOAD,
  MAX_ONE_TIME_PREKEYS_PER_UPLOAD,
  RELAY_PROTOCOL_VERSION,
} from './limits';

// ---- Building blocks -------------------------------------------------------------------------

export const userIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'A user id is 1 to 64 letters, digits, _ or -.');
export const deviceIdSchema = z.number().int().min(1).max(MAX_DEVICE_ID);
export const envelopeIdSchema = z.string().regex(ENVELOPE_ID_PATTERN, 'An envelope id is a decimal number.');
export const usernameSchema = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-z0-9_.-]+$/, 'A username is 3 to 32 lowercase letters, digits, _ . or -.');
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A display name cannot contain control characters.');
export const invitationCodeSchema = z.string().min(1).max(128);
/** Milliseconds since the Unix epoch. */
export const timeSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const keyIdSchema = z.number().int().min(0).max(0xffffffff);

export const errorInfoSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string().max(1000),
});

const identityKey = fixedBytes(ED25519_PUBLIC_BYTES, 'An identity key');
const signature = fixedBytes(ED25519_SIGNATURE_BYTES, 'A signature');

/** The arguments of a request that needs none. */
export const noArgsSchema = z.strictObject({});

/** A Result<T> as the relay answers a request. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: errorInfoSchema }),
  ]);
}

// ---- Authentication --------------------------------------------------------------------------

export const authChallengeSchema = z.strictObject({
  protocol: z.literal(RELAY_PROTOCOL_VERSION),
  relayId: z.string().regex(RELAY_ID_PATTERN),
  nonce: fixedBytes(AUTH_NONCE_BYTES, 'The nonce'),
  /** The relay's clock, so a device can tell the person when its own clock is off. */
  time: timeSchema,
});

export const authProveSchema = z.strictObject({
  userId: userIdSchema,
  deviceId: deviceIdSchema,
  time: timeSchema,
  signature,
});

/** A short-lived bearer token for the HTTP routes, issued after a signature proof. */
export const sessionGrantSchema = z.strictObject({
  sessionToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  expiresAt: timeSchema,
});

// ---- Prekeys ---------------------------------------------------------------------------------

export const signedEcPrekeySchema = z.strictObject({
  id: keyIdSchema,
  publicKey: fixedBytes(X25519_PUBLIC_BYTES, 'A prekey'),
  signature,
});
export const oneTimeEcPrekeySchema = z.strictObject({
  id: keyIdSchema,
  publicKey: fixedBytes(X25519_PUBLIC_BYTES, 'A prekey'),
});
export const signedKemPrekeySchema = z.strictObject({
  id: keyIdSchema,
  publicKey: fixedBytes(MLKEM1024_PUBLIC_BYTES, 'A KEM prekey'),
  signature,
});

export const prekeyUploadSchema = z
  .strictObject({
    signedPrekey: signedEcPrekeySchema.optional(),
    oneTimePrekeys: z.array(oneTimeEcPrekeySchema).max(MAX_ONE_TIME_PREKEYS_PER_UPLOAD).optional(),
    lastResortKemPrekey: signedKemPrekeySchema.optional(),
    oneTimeKemPrekeys: z.array(signedKemPrekeySchema).max(MAX_ONE_TIME_KEM_PREKEYS_PER_UPLOAD).optional(),
  })
  .refine(
    (u) =>
      u.signedPrekey !== undefined ||
      (u.oneTimePrekeys?.length ?? 0) > 0 ||
      u.lastResortKemPrekey !== undefined ||
      (u.oneTimeKemPrekeys?.length ?? 0) > 0,
    'A prekey upload must contain at least one key.',
  );

export const prekeyCountsSchema = z.strictObject({
  oneTimePrekeys: z.number().int().min(0),
  oneTimeKemPrekeys: z.number().int().min(0),
});

export const prekeyBundleSchema = z.strictObject({
  userId: userIdSchema,
  deviceId: deviceIdSchema,
  identityKey,
  signedPrekey: signedEcPrekeySchema,
  oneTimePrekey: oneTimeEcPrekeySchema.nullable(),
  kemPrekey: signedKemPrekeySchema,
  kemPrekeyIsLastResort: z.boolean(),
});

export const prekeysFetchSchema = z.strictObject({ userId: userIdSchema });
export const prekeysFetchResultSchema = z.strictObject({ bundles: z.array(prekeyBundleSchema).max(1000) });

// ---- Directory and devices -------------------------------------------------------------------

export const directorySearchSchema = z.strictObject({ query: z.string().trim().min(1).max(64) });
export const directoryUserSchema = z.strictObject({
  userId: userIdSchema,
  username: z.string().min(1).max(32),
  displayName: z.string().min(1).max(64),
});
export const directorySearchResultSchema = z.strictObject({
  users: z.array(directoryUserSchema).max(MAX_DIRECTORY_RESULTS),
});

export const directoryLookupSchema = z.strictObject({ userId: userIdSchema });
export const directoryLookupResultSchema = z.strictObject({ user: directoryUserSchema.nullable() });

export const directoryDevicesSchema = z.strictObject({ userId: userIdSchema });
export const directoryDevicesResultSchema = z.strictObject({
  devices: z.array(z.strictObject({ deviceId: deviceIdSchema, identityKey })).max(1000),
});

export const devicesAddSchema = z.strictObject({ identityKey });
export const deviceAddressSchema = z.strictObject({ userId: userIdSchema, deviceId: deviceIdSchema });

// ---- Mailboxes -------------------------------------------------------------------------------

/** `envelopes:send` and `envelopes` carry one envelope frame (envelope-frame.ts) as base64url text. */
/** An envelope frame as base64url text or as bytes (frame-payload.ts says which goes when). */
export const envelopeFrameSchema = z.union([
  frameText(MAX_FRAME_BYTES, 'An envelope frame'),
  z
    .instanceof(Uint8Array)
    .refine(
      (b) => b.length > 0 && b.length <= MAX_FRAME_BYTES,
      `An envelope frame holds 1 to ${MAX_FRAME_BYTES} bytes.`,
    ),
]);

export const envelopesAckSchema = z.strictObject({ ids: z.array(envelopeIdSchema).min(1).max(MAX_ACK_IDS) });

const batchSeqSchema = z.number().int().min(0).max(0xffffffff);

/** A batch the relay refused, stored not at all. */
export const refusedBatchSchema = z.strictObject({
  seq: batchSeqSchema,
  error: errorInfoSchema,
  /** Which envelopes of the batch were refused (by index), so the sender can drop them. */
  rejected: z.array(z.strictObject({ index: z.number().int().min(0), code: z.enum(ERROR_CODES) })),
});

/** Acknowledgements of several batches at once: numbers of the stored ones, and the refused ones. */
export const envelopesSentSchema = z
  .strictObject({ stored: z.array(batchSeqSchema), refused: z.array(refusedBatchSchema) })
  .refine((m) => m.stored.length + m.refused.length > 0, 'An acknowledgement names at least one batch.');

export const relayErrorNoticeSchema = z.strictObject({ event: z.string().max(64), error: errorInfoSchema });
export const revokedNoticeSchema = z.strictObject({ error: errorInfoSchema });

// ---- HTTP ------------------------------------------------------------------------------------

export const relayInfoSchema = z.strictObject({
  relayId: z.string().regex(RELAY_ID_PATTERN),
  protocol: z.number().int(),
  openRegistration: z.boolean(),
  maxEnvelopeBytes: z.number().int(),
  maxBlobBytes: z.number().int(),
});

export const registerRequestSchema = z.strictObject({
  username: usernameSchema,
  displayName: displayNameSchema,
  invitationCode: invitationCodeSchema.nullable(),
  identityKey,
});
export const registerResponseSchema = deviceAddressSchema;

export const blobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'A blob id is 22 base64url characters.');
export const blobTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'A blob token is 43 base64url characters.');
/** Most devices one blob may be meant for. */
export const MAX_BLOB_RECIPIENTS = 1000;
export const blobCreateSchema = z.strictObject({
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** How many devices will fetch the blob: the relay deletes it once that many released it. */
  recipients: z.number().int().min(1).max(MAX_BLOB_RECIPIENTS).optional(),
});
export const blobCreatedSchema = z.strictObject({
  id: blobIdSchema,
  token: blobTokenSchema,
  expiresAt: timeSchema,
});
export const blobStatusSchema = z.strictObject({
  offset: z.number().int().min(0),
  size: z.number().int().min(1),
  complete: z.boolean(),
});
export const httpErrorSchema = z.strictObject({ error: errorInfoSchema });
