/**
 * Content: what a 1:1 session message decrypts to. A text message (optionally with a file), a
 * delivery receipt or a read receipt. Schema: proto/parley/wire/v1/content.proto.
 * Decoding validates every field, because the sender may be malicious (THREAT-MODEL.md,
 * "Malicious message content").
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ParleyError } from '../errors';
import { MAX_INNER_ENVELOPE_BYTES } from './envelope-size';
import {
  type AttachmentPointer as AttachmentPointerMessage,
  AttachmentPointerSchema,
  ContentSchema,
  ReceiptSchema,
  TextMessageSchema,
} from './gen/parley/wire/v1/content_pb';
import { MESSAGE_ID_BYTES } from './message-id';
import {
  decodeProto,
  expectBytes,
  expectBytesBetween,
  expectSafeInteger,
  expectStringBetween,
  expectVersion,
} from './wire-checks';

export const CONTENT_VERSION = 1;
export const MAX_TEXT_BYTES = 128 * 1024;
export const MAX_THUMBNAIL_BYTES = 32 * 1024;
export const MAX_FILE_NAME_BYTES = 255;
export const MAX_MIME_TYPE_BYTES = 255;
export const MAX_BLOB_ID_LENGTH = 128;
export const MAX_CAPABILITY_TOKEN_LENGTH = 1024;
export const MAX_RECEIPT_IDS = 1000;
export const ATTACHMENT_KEY_BYTES = 32;
export const ATTACHMENT_HASH_BYTES = 32;

export interface AttachmentPointer {
  /** The file's secretstream key. */
  readonly key: Uint8Array;
  /** SHA-256 of the ciphertext blob. */
  readonly ciphertextHash: Uint8Array;
  /** Plaintext size in bytes. */
  readonly size: number;
  readonly fileName: string;
  readonly mimeType: string;
  readonly blobId: string;
  readonly capabilityToken: string;
  readonly thumbnail: Uint8Array | null;
}

export type Content =
  | { readonly type: 'text'; readonly text: string; readonly attachment: AttachmentPointer | null }
  | { readonly type: 'delivery-receipt'; readonly messageIds: readonly Uint8Array[] }
  | { readonly type: 'read-receipt'; readonly messageIds: readonly Uint8Array[] };

const WHAT = 'message content';
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;
const BLOB_ID = /^[A-Za-z0-9_-]+$/;
const TOKEN = /^[\x21-\x7e]+$/;
// Control characters and path separators: a received name must not escape the save folder.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects.
const BAD_FILE_NAME_CHARS = /[\u0000-\u001f\u007f/\\]/;

export function encodeContent(content: Content): Uint8Array {
  checkContent(content);
  return toBinary(ContentSchema, create(ContentSchema, { version: CONTENT_VERSION, body: toBody(content) }));
}

export function decodeContent(bytes: Uint8Array): Content {
  const message = decodeProto(ContentSchema, bytes, WHAT, MAX_INNER_ENVELOPE_BYTES);
  expectVersion(message.version, CONTENT_VERSION, WHAT);
  let content: Content;
  switch (message.body.case) {
    case 'text': {
      const { text, attachment } = message.body.value;
      content = { type: 'text', text, attachment: attachment ? fromPointer(attachment) : null };
      break;
    }
    case 'deliveryReceipt':
      content = { type: 'delivery-receipt', messageIds: message.body.value.messageIds };
      break;
    case 'readReceipt':
      content = { type: 'read-receipt', messageIds: message.body.value.messageIds };
      break;
    default:
      throw new ParleyError(
        'WIRE_MALFORMED',
        `The ${WHAT} is of a kind this version of Parley does not know. Update Parley to read it.`,
      );
  }
  checkContent(content);
  return content;
}

function toBody(content: Content) {
  switch (content.type) {
    case 'text':
      return {
        case: 'text' as const,
        value: create(TextMessageSchema, {
          text: content.text,
          ...(content.attachment ? { attachment: toPointer(content.attachment) } : {}),
        }),
      };
    case 'delivery-receipt':
      return {
        case: 'deliveryReceipt' as const,
        value: create(ReceiptSchema, { messageIds: [...content.messageIds] }),
      };
    case 'read-receipt':
      return {
        case: 'readReceipt' as const,
        value: create(ReceiptSchema, { messageIds: [...content.messageIds] }),
      };
  }
}

function toPointer(pointer: AttachmentPointer): AttachmentPointerMessage {
  return create(AttachmentPointerSchema, {
    key: pointer.key,
    ciphertextHash: pointer.ciphertextHash,
    size: BigInt(pointer.size),
    fileName: pointer.fileName,
    mimeType: pointer.mimeType,
    blobId: pointer.blobId,
    capabilityToken: pointer.capabilityToken,
    ...(pointer.thumbnail ? { thumbnail: pointer.thumbnail } : {}),
  });
}

function fromPointer(pointer: AttachmentPointerMessage): AttachmentPointer {
  return {
    key: pointer.key,
    ciphertextHash: pointer.ciphertextHash,
    size: expectSafeInteger(pointer.size, 'file size'),
    fileName: pointer.fileName,
    mimeType: pointer.mimeType,
    blobId: pointer.blobId,
    capabilityToken: pointer.capabilityToken,
    thumbnail: pointer.thumbnail ?? null,
  };
}

function checkContent(content: Content): void {
  switch (content.type) {
    case 'text':
      expectStringBetween(content.text, 0, MAX_TEXT_BYTES, 'message text');
      if (content.attachment) checkPointer(content.attachment);
      else if (content.text.length === 0) {
        throw new ParleyError(
          'WIRE_MALFORMED',
          'The message has neither text nor a file, so it was refused.',
        );
      }
      return;
    case 'delivery-receipt':
    case 'read-receipt':
      if (content.messageIds.length < 1 || content.messageIds.length > MAX_RECEIPT_IDS) {
        throw new ParleyError(
          'WIRE_BAD_LENGTH',
          'The receipt lists too few or too many messages, so it was refused.',
        );
      }
      for (const id of content.messageIds) expectBytes(id, MESSAGE_ID_BYTES, 'receipt message id');
      return;
    default:
      throw new ParleyError('WIRE_MALFORMED', `The ${WHAT} is of an unknown kind.`);
  }
}

function checkPointer(pointer: AttachmentPointer): void {
  expectBytes(pointer.key, ATTACHMENT_KEY_BYTES, 'file key');
  expectBytes(pointer.ciphertextHash, ATTACHMENT_HASH_BYTES, 'file hash');
  if (!Number.isSafeInteger(pointer.size) || pointer.size < 0) {
    throw new ParleyError('WIRE_MALFORMED', 'The file size is out of range, so the file was refused.');
  }
  expectStringBetween(pointer.fileName, 1, MAX_FILE_NAME_BYTES, 'file name');
  if (BAD_FILE_NAME_CHARS.test(pointer.fileName) || pointer.fileName === '.' || pointer.fileName === '..') {
    throw new ParleyError('WIRE_MALFORMED', 'The file name is not allowed, so the file was refused.');
  }
  expectStringBetween(pointer.mimeType, 3, MAX_MIME_TYPE_BYTES, 'file type');
  if (!MIME_TYPE.test(pointer.mimeType)) {
    throw new ParleyError(
      'WIRE_MALFORMED',
      'The file type is not a valid media type, so the file was refused.',
    );
  }
  if (
    pointer.blobId.length < 1 ||
    pointer.blobId.length > MAX_BLOB_ID_LENGTH ||
    !BLOB_ID.test(pointer.blobId)
  ) {
    throw new ParleyError('WIRE_MALFORMED', 'The file location is not valid, so the file was refused.');
  }
  if (
    pointer.capabilityToken.length < 1 ||
    pointer.capabilityToken.length > MAX_CAPABILITY_TOKEN_LENGTH ||
    !TOKEN.test(pointer.capabilityToken)
  ) {
    throw new ParleyError('WIRE_MALFORMED', 'The file download token is not valid, so the file was refused.');
  }
  if (pointer.thumbnail) expectBytesBetween(pointer.thumbnail, 1, MAX_THUMBNAIL_BYTES, 'file thumbnail');
}
