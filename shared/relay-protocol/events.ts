/**
 * Socket events between a device and the relay. Requests carry a socket.io acknowledgement
 * callback that receives a Result; envelope traffic uses binary frames (envelope-frame.ts) and
 * batched acknowledgements instead, because it is the hot path.
 *
 * Connection: the relay sends `auth:challenge` as soon as a socket connects; the device answers
 * `auth:prove` within AUTH_DEADLINE_MS or is disconnected. Every other event before that is
 * refused with RELAY_UNAUTHENTICATED.
 */
import type { z } from 'zod';
import type { FramePayload } from './frame-payload';
import type {
  authChallengeSchema,
  authProveSchema,
  deviceAddressSchema,
  devicesAddSchema,
  directoryDevicesResultSchema,
  directoryDevicesSchema,
  directoryLookupResultSchema,
  directoryLookupSchema,
  directorySearchResultSchema,
  directorySearchSchema,
  directoryUserSchema,
  envelopesAckSchema,
  envelopesSentSchema,
  prekeyBundleSchema,
  prekeyCountsSchema,
  prekeysFetchResultSchema,
  prekeysFetchSchema,
  prekeyUploadSchema,
  refusedBatchSchema,
  relayErrorNoticeSchema,
  revokedNoticeSchema,
  sessionGrantSchema,
} from './schemas';

/** Events a device sends. */
export const DEVICE_EVENTS = {
  authProve: 'auth:prove',
  sessionRefresh: 'session:refresh',
  envelopesSend: 'envelopes:send',
  envelopesAck: 'envelopes:ack',
  prekeysUpload: 'prekeys:upload',
  prekeysCounts: 'prekeys:counts',
  prekeysFetch: 'prekeys:fetch',
  directorySearch: 'directory:search',
  directoryDevices: 'directory:devices',
  directoryLookup: 'directory:lookup',
  devicesAdd: 'devices:add',
} as const;

/** Events the relay sends. */
export const RELAY_EVENTS = {
  authChallenge: 'auth:challenge',
  /** A delivery frame of envelopes for this device (base64url text or bytes: frame-payload.ts). */
  envelopes: 'envelopes',
  /** Acknowledgements of send frames, several batches at once. */
  envelopesSent: 'envelopes:sent',
  /** This device's one-time prekeys are running low: upload more. */
  prekeysLow: 'prekeys:low',
  /** An event without a callback was refused. */
  error: 'relay:error',
  /** This device was revoked or its user deactivated; the relay disconnects it next. */
  revoked: 'relay:revoked',
} as const;

export type DeviceEvent = (typeof DEVICE_EVENTS)[keyof typeof DEVICE_EVENTS];
export type RelayEvent = (typeof RELAY_EVENTS)[keyof typeof RELAY_EVENTS];

/** Time a new socket has to prove its identity. */
export const AUTH_DEADLINE_MS = 10_000;

/** How far a device's clock may be from the relay's in an authentication proof. */
export const AUTH_CLOCK_SKEW_MS = 5 * 60_000;

/** Wire shapes (what crosses the socket, base64url text for bytes). */
export type WireAuthChallenge = z.input<typeof authChallengeSchema>;
export type WireAuthProve = z.input<typeof authProveSchema>;
export type WireSessionGrant = z.input<typeof sessionGrantSchema>;
export type WirePrekeyUpload = z.input<typeof prekeyUploadSchema>;
export type WirePrekeyBundle = z.input<typeof prekeyBundleSchema>;
export type WirePrekeysFetchResult = z.input<typeof prekeysFetchResultSchema>;
export type WireDirectoryDevicesResult = z.input<typeof directoryDevicesResultSchema>;
export type EnvelopesSent = z.output<typeof envelopesSentSchema>;
export type RefusedBatch = z.output<typeof refusedBatchSchema>;
export type RelayErrorNotice = z.output<typeof relayErrorNoticeSchema>;
export type RevokedNotice = z.output<typeof revokedNoticeSchema>;

/** Parsed shapes (after validation). */
export type AuthChallenge = z.output<typeof authChallengeSchema>;
export type AuthProve = z.output<typeof authProveSchema>;
export type SessionGrant = z.output<typeof sessionGrantSchema>;
export type DirectoryUser = z.output<typeof directoryUserSchema>;
export type DeviceKey = z.output<typeof directoryDevicesResultSchema>['devices'][number];

/** Request events: arguments (as sent) and the value inside the Result the callback receives. */
export interface RelayRequests {
  'auth:prove': { args: WireAuthProve; value: WireSessionGrant };
  'session:refresh': { args: Record<string, never>; value: WireSessionGrant };
  'prekeys:upload': { args: WirePrekeyUpload; value: z.input<typeof prekeyCountsSchema> };
  'prekeys:counts': { args: Record<string, never>; value: z.input<typeof prekeyCountsSchema> };
  'prekeys:fetch': { args: z.input<typeof prekeysFetchSchema>; value: WirePrekeysFetchResult };
  'directory:search': {
    args: z.input<typeof directorySearchSchema>;
    value: z.input<typeof directorySearchResultSchema>;
  };
  'directory:devices': { args: z.input<typeof directoryDevicesSchema>; value: WireDirectoryDevicesResult };
  'directory:lookup': {
    args: z.input<typeof directoryLookupSchema>;
    value: z.input<typeof directoryLookupResultSchema>;
  };
  'devices:add': { args: z.input<typeof devicesAddSchema>; value: z.input<typeof deviceAddressSchema> };
}

export type RelayRequest = keyof RelayRequests;

/**
 * Events a device sends without a callback. `envelopes:send` carries a send frame (base64url text
 * or bytes: frame-payload.ts) and, optionally, acknowledgements riding along (the same shape as
 * `envelopes:ack`).
 */
export interface RelayNotifications {
  'envelopes:send': [frame: FramePayload, acks?: z.input<typeof envelopesAckSchema>];
  'envelopes:ack': z.input<typeof envelopesAckSchema>;
}
