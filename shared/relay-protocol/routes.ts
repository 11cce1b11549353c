/**
 * The relay's HTTP routes. Socket events carry the conversation; HTTP carries what must work
 * before a device is authenticated (registration) and what streams (attachment blobs).
 *
 *   GET   /healthz                   liveness
 *   GET   /readyz                    readiness (storage reachable, not shutting down)
 *   GET   /metrics                   Prometheus text
 *   GET   /v1/info                   relayInfoSchema
 *   POST  /v1/register               registerRequestSchema -> registerResponseSchema
 *   POST  /v1/blobs                  blobCreateSchema -> blobCreatedSchema           (session)
 *   PATCH /v1/blobs/{id}             body bytes at UPLOAD_OFFSET_HEADER -> blobStatusSchema (session)
 *   GET   /v1/blobs/{id}/status      -> blobStatusSchema                             (session, uploader)
 *   GET   /v1/blobs/{id}             bytes, Range supported                          (capability)
 *   DELETE /v1/blobs/{id}            deletes it (session, uploader), or releases it for one
 *                                    recipient device done with it (capability)      -> 204
 *
 * Errors answer `{ error: { code, message } }` (httpErrorSchema) with a fitting status.
 */
export const ROUTES = {
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  info: '/v1/info',
  register: '/v1/register',
  blobs: '/v1/blobs',
} as const;

export function blobPath(id: string): string {
  return `${ROUTES.blobs}/${id}`;
}

export function blobStatusPath(id: string): string {
  return `${ROUTES.blobs}/${id}/status`;
}

/** `Authorization: Bearer <session token>` for the routes marked (session). */
export const SESSION_AUTH_SCHEME = 'Bearer';

/** The capability token of a blob, which travels inside the encrypted message that names it. */
export const CAPABILITY_HEADER = 'x-parley-capability';

/** Where a PATCH appends: it must equal the bytes the relay already holds. */
export const UPLOAD_OFFSET_HEADER = 'upload-offset';
