/**
 * Argument schemas for every API method. The core validates each call against these before it
 * runs anything, because the renderer is not trusted (THREAT-MODEL: a compromised renderer).
 */
import { z } from 'zod';
import type { ApiArgs, ApiMethod } from './ipc';

const id = z.string().min(1).max(128);
const passphrase = z.string().min(1).max(1024);
const noArgs = z.undefined();

export const MAX_MESSAGE_CHARS = 16_000;
/** Largest `data` of one file.chunk: one IPC or WebSocket frame stays small. */
export const MAX_FILE_CHUNK_BYTES = 256 * 1024;
/** Largest thumbnail, decoded (the wire's limit, shared/wire/content.ts). */
export const MAX_FILE_THUMBNAIL_BYTES = 32 * 1024;

// Only the shape is checked here (a regular expression over 350 KB would cost more than the
// encryption); the core decodes strictly and refuses any other character (file-transfers.ts).
const base64Of = (maxBytes: number) =>
  z
    .string()
    .max(4 * Math.ceil(maxBytes / 3))
    .refine((s) => s.length % 4 === 0, 'Base64 comes in groups of four characters.');
const byteCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const fileName = z.string().min(1).max(1024);
const mimeType = z.string().max(255);

type ArgSchemas = { [M in ApiMethod]: z.ZodType<ApiArgs<M>> };

export const API_ARG_SCHEMAS: ArgSchemas = {
  'app.info': noArgs,
  'app.state': noArgs,
  'account.create': z.strictObject({
    relayUrl: z.string().min(1).max(2048),
    username: z
      .string()
      .min(3)
      .max(32)
      .regex(/^[a-z0-9_.-]+$/),
    displayName: z.string().trim().min(1).max(64),
    invitationCode: z.string().min(1).max(128).nullable(),
    passphrase: z.string().min(8).max(1024),
  }),
  'account.unlock': z.strictObject({ passphrase }),
  'account.lock': noArgs,
  'account.changePassphrase': z.strictObject({ current: passphrase, next: z.string().min(8).max(1024) }),
  'account.updateProfile': z.strictObject({ displayName: z.string().trim().min(1).max(64) }),
  'directory.search': z.strictObject({ query: z.string().max(64) }),
  'conversation.list': noArgs,
  'conversation.open': z.strictObject({ userId: id }),
  'conversation.messages': z.strictObject({
    conversationId: id,
    before: z.string().max(256).nullable(),
    limit: z.number().int().min(1).max(200),
  }),
  'conversation.send': z.strictObject({ conversationId: id, text: z.string().min(1).max(MAX_MESSAGE_CHARS) }),
  'conversation.markRead': z.strictObject({ conversationId: id }),
  'conversation.setMuted': z.strictObject({
    conversationId: id,
    muted: z.boolean(),
    forMs: z
      .number()
      .int()
      .min(60_000)
      .max(366 * 24 * 3_600_000)
      .optional(),
  }),
  'message.retry': z.strictObject({ messageId: id }),
  'message.search': z.strictObject({
    query: z.string().min(1).max(256),
    limit: z.number().int().min(1).max(200),
  }),
  'contact.get': z.strictObject({ userId: id }),
  'contact.safetyNumber': z.strictObject({ userId: id }),
  'contact.setVerified': z.strictObject({ userId: id, verified: z.boolean() }),
  'contact.acceptKeyChange': z.strictObject({ userId: id }),
  'settings.get': noArgs,
  'settings.update': z.strictObject({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    autoLockMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .optional(),
    notifications: z.enum(['message', 'sender', 'hidden', 'off']).optional(),
  }),
  'message.delete': z.strictObject({ messageId: id }),
  'conversation.delete': z.strictObject({ conversationId: id }),
  'file.rules': noArgs,
  'file.setAutoDownload': z.strictObject({ maxBytes: byteCount }),
  'file.check': z.strictObject({ name: fileName, size: byteCount, mimeType }),
  'file.begin': z.strictObject({
    conversationId: id,
    name: fileName,
    size: byteCount,
    mimeType,
    thumbnail: base64Of(MAX_FILE_THUMBNAIL_BYTES).min(4).nullable(),
    text: z.string().max(MAX_MESSAGE_CHARS).optional(),
  }),
  'file.chunk': z.strictObject({
    transferId: id,
    offset: byteCount,
    data: z
      .instanceof(Uint8Array)
      .refine((bytes) => bytes.length <= MAX_FILE_CHUNK_BYTES, 'A piece of a file is at most 256 KiB.'),
  }),
  'file.finish': z.strictObject({ transferId: id }),
  'file.cancel': z.strictObject({ transferId: id }),
  'file.download': z.strictObject({ messageId: id }),
  'file.save': z.strictObject({ messageId: id }),
};
