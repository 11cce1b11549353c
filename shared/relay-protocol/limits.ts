/**
 * Sizes both sides of the relay protocol agree on. The relay enforces them; the client checks
 * them first so that a person gets a clear error instead of a dropped connection.
 */

/** Version of the socket events and HTTP routes in this folder. */
export const RELAY_PROTOCOL_VERSION = 1;

/** Largest sealed envelope; larger content goes through attachment blobs. */
export const MAX_ENVELOPE_BYTES = 256 * 1024;

/** Envelopes in one wire batch (one ack). The client splits larger batches. */
export const MAX_BATCH_ENVELOPES = 1000;

/** Largest binary frame (a batch of envelopes on the wire, headers included). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Largest socket.io message the relay accepts: one frame (as base64url text), or a JSON payload such as prekeys. */
export const MAX_SOCKET_MESSAGE_BYTES = Math.ceil((MAX_FRAME_BYTES * 4) / 3) + 64 * 1024;

/** Envelope ids in one acknowledgement. */
export const MAX_ACK_IDS = 1000;

/** One-time prekeys of each kind in one upload. */
export const MAX_ONE_TIME_PREKEYS_PER_UPLOAD = 200;
export const MAX_ONE_TIME_KEM_PREKEYS_PER_UPLOAD = 100;

/** Results of one directory search. */
export const MAX_DIRECTORY_RESULTS = 20;

/** Largest JSON body the relay reads on an HTTP route. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Bytes of the relay's authentication nonce. */
export const AUTH_NONCE_BYTES = 32;

/** A device whose one-time prekeys fall below this is told to upload more. */
export const LOW_PREKEY_THRESHOLD = 25;
