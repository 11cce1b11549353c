/**
 * Attachment blobs over HTTP. A device with a session creates a blob of a declared size and gets
 * an unguessable id and a capability token; it uploads the bytes with PATCH at an offset (so an
 * interrupted upload resumes where the relay's copy ends) and sends id and token to its peers
 * inside the encrypted message. Anyone holding both can download, with Range support, until the
 * blob expires. The relay stores only the token's hash and never learns what the bytes are.
 * Deleting: the uploader may delete its blob at once (DELETE with its session); an uploader
 * that said on create how many devices will fetch the blob has it deleted once that many
 * recipient devices released it (DELETE with the capability), which each does once it holds a
 * verified copy or knows it never will. A download that reaches the last byte does not count by
 * itself: the relay cannot tell whether the device really received it. Otherwise the blob lives
 * until it expires.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeviceAddress } from '../../shared/address';
import { ParleyError } from '../../shared/errors';
import {
  CAPABILITY_HEADER,
  SESSION_AUTH_SCHEME,
  UPLOAD_OFFSET_HEADER,
} from '../../shared/relay-protocol/routes';
import { blobCreateSchema, blobIdSchema, blobTokenSchema } from '../../shared/relay-protocol/schemas';
import { hashSecret, newRandomId, newSecretToken, sameHash } from '../auth/secret-tokens';
import { sendError, sendJson } from '../http/http-reply';
import { readJsonBody } from '../http/json-body';
import type { Logger } from '../logger';
import type { BlobRecord, RelayStore } from '../store/relay-store';
import type { BlobFolder } from './blob-folder';
import { parseByteRange } from './byte-range';

export interface BlobRouteDeps {
  readonly store: RelayStore;
  readonly folder: BlobFolder;
  readonly maxBytes: number;
  readonly ttlMs: number;
  readonly maxJsonBytes: number;
  readonly now: () => number;
  readonly logger: Logger;
}

const notFound = () => new ParleyError('RELAY_BLOB_NOT_FOUND', 'There is no such attachment, or it expired.');

export class BlobRoutes {
  /** Blobs with an upload in progress on this node: one writer at a time. */
  private readonly uploading = new Set<string>();

  constructor(private readonly deps: BlobRouteDeps) {}

  private async sessionDevice(req: IncomingMessage): Promise<DeviceAddress> {
    const header = req.headers.authorization ?? '';
    const match = new RegExp(`^${SESSION_AUTH_SCHEME} ([A-Za-z0-9_-]{43})$`).exec(header);
    const device = match ? await this.deps.store.findSession(hashSecret(match[1]!), this.deps.now()) : null;
    if (!device) {
      throw new ParleyError(
        'RELAY_UNAUTHENTICATED',
        'This request needs a current session token. Reconnect the device to get a new one.',
      );
    }
    return device;
  }

  private async ownBlob(req: IncomingMessage, id: string): Promise<BlobRecord> {
    const device = await this.sessionDevice(req);
    const blob = blobIdSchema.safeParse(id).success ? await this.deps.store.getBlob(id) : null;
    if (
      !blob ||
      blob.expiresAt <= this.deps.now() ||
      blob.owner.userId !== device.userId ||
      blob.owner.deviceId !== device.deviceId
    ) {
      throw notFound();
    }
    return blob;
  }

  /** The blob's bytes are gone before its record when it was deleted or fetched by everyone. */
  private async bytesHeld(id: string): Promise<number> {
    const held = await this.deps.folder.size(id);
    if (held === null) throw notFound();
    return held;
  }

  /** POST /v1/blobs */
  async create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const owner = await this.sessionDevice(req);
    const parsed = blobCreateSchema.safeParse(await readJsonBody(req, this.deps.maxJsonBytes));
    if (!parsed.success) throw new ParleyError('INVALID_ARGUMENT', 'The blob request needs a size in bytes.');
    if (parsed.data.size > this.deps.maxBytes) {
      throw new ParleyError(
        'RELAY_BLOB_TOO_LARGE',
        `Attachments on this relay are limited to ${Math.floor(this.deps.maxBytes / 1_048_576)} MiB.`,
      );
    }
    const id = newRandomId();
    const token = newSecretToken();
    const now = this.deps.now();
    const expiresAt = now + this.deps.ttlMs;
    await this.deps.folder.create(id);
    if (parsed.data.recipients !== undefined)
      await this.deps.folder.expectFetches(id, parsed.data.recipients);
    await this.deps.store.createBlob({
      id,
      tokenHash: hashSecret(token),
      owner,
      size: parsed.data.size,
      createdAt: now,
      expiresAt,
    });
    sendJson(res, 201, { id, token, expiresAt });
  }

  /** GET /v1/blobs/{id}/status */
  async status(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const blob = await this.ownBlob(req, id);
    const offset = await this.bytesHeld(id);
    sendJson(res, 200, { offset, size: blob.size, complete: blob.complete });
  }

  /** PATCH /v1/blobs/{id}: appends the body at the offset the relay holds. */
  async append(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const blob = await this.ownBlob(req, id);
    if (blob.complete) throw new ParleyError('CONFLICT', 'This attachment is uploaded completely already.');
    if (this.uploading.has(id)) {
      throw new ParleyError(
        'CONFLICT',
        'Another upload of this attachment is in progress. Wait for it to end.',
      );
    }
    const current = await this.bytesHeld(id);
    const claimed = req.headers[UPLOAD_OFFSET_HEADER];
    if (typeof claimed !== 'string' || !/^\d{1,16}$/.test(claimed)) {
      throw new ParleyError('INVALID_ARGUMENT', `The upload needs an ${UPLOAD_OFFSET_HEADER} header.`);
    }
    if (Number(claimed) !== current) {
      sendError(
        res,
        {
          code: 'RELAY_BLOB_OFFSET_MISMATCH',
          message: `The relay holds ${current} bytes of this attachment; resume from there.`,
        },
        409,
        { [UPLOAD_OFFSET_HEADER]: String(current) },
      );
      req.resume();
      return;
    }
    this.uploading.add(id);
    let received: Awaited<ReturnType<BlobFolder['receive']>>;
    try {
      received = await this.deps.folder.receive(id, req, blob.size - current);
    } finally {
      this.uploading.delete(id);
    }
    const offset = current + received.written;
    if (received.state === 'exceeded') {
      this.deps.logger.warn({ event: 'relay.blob_too_large' }, 'an upload passed its declared size');
      res.once('finish', () => req.destroy());
      sendError(
        res,
        {
          code: 'RELAY_BLOB_TOO_LARGE',
          message: `The upload is longer than the ${blob.size} bytes declared for it.`,
        },
        413,
        { connection: 'close', [UPLOAD_OFFSET_HEADER]: String(offset) },
      );
      return;
    }
    if (received.state !== 'complete') {
      this.deps.logger.info({ event: 'relay.blob_interrupted', offset }, 'an upload was interrupted');
      if (!res.writableEnded && !req.destroyed) {
        sendError(res, { code: 'UNAVAILABLE', message: 'The upload was interrupted; resume it.' }, 503);
      }
      return;
    }
    const complete = offset === blob.size;
    if (complete) await this.deps.store.markBlobComplete(id);
    sendJson(res, 200, { offset, size: blob.size, complete }, { [UPLOAD_OFFSET_HEADER]: String(offset) });
  }

  /** The blob a capability token opens, or RELAY_BLOB_NOT_FOUND. */
  private async capabilityBlob(req: IncomingMessage, id: string): Promise<BlobRecord> {
    const token = req.headers[CAPABILITY_HEADER];
    const blob =
      blobIdSchema.safeParse(id).success && blobTokenSchema.safeParse(token).success
        ? await this.deps.store.getBlob(id)
        : null;
    if (
      !blob ||
      blob.expiresAt <= this.deps.now() ||
      !sameHash(hashSecret(token as string), blob.tokenHash)
    ) {
      throw notFound();
    }
    await this.bytesHeld(id);
    return blob;
  }

  /**
   * DELETE /v1/blobs/{id}: with the uploader's session, deletes the blob; with the capability
   * token, counts one recipient device done with it.
   */
  async remove(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.headers.authorization !== undefined) {
      await this.ownBlob(req, id);
      await this.bytesHeld(id);
      await this.deps.folder.delete(id);
    } else {
      await this.capabilityBlob(req, id);
      await this.deps.folder.recordFetch(id);
    }
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
  }

  /** GET or HEAD /v1/blobs/{id}, authorized by the capability token. */
  async download(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const blob = await this.capabilityBlob(req, id);
    if (!blob.complete)
      throw new ParleyError('CONFLICT', 'This attachment is still being uploaded. Try again later.');
    const range = parseByteRange(req.headers.range, blob.size);
    const common = {
      'content-type': 'application/octet-stream',
      'cache-control': 'no-store',
      'accept-ranges': 'bytes',
    };
    if (range.kind === 'unsatisfiable') {
      sendError(
        res,
        { code: 'INVALID_ARGUMENT', message: 'The requested range is outside the attachment.' },
        416,
        { 'content-range': `bytes */${blob.size}` },
      );
      return;
    }
    const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, blob.size - 1];
    res.writeHead(range.kind === 'part' ? 206 : 200, {
      ...common,
      'content-length': String(end - start + 1),
      ...(range.kind === 'part' ? { 'content-range': `bytes ${start}-${end}/${blob.size}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await this.deps.folder.send(id, start, end, res).catch(() => {
      // The client went away mid-download, or the file went (deleted meanwhile): the response is cut.
    });
  }
}
