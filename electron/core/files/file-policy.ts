/**
 * Which files may be sent and received on this device: a largest size and allowed and blocked
 * types (extensions and media types), given to the core as configuration so that a managed
 * policy can set them later. By default files up to 2 GiB of any type may be sent, except those
 * that run code when opened with a double click on Windows or macOS (programs, installers, script
 * host files, shortcuts, disk images). Scripts that need an explicit interpreter (.sh, .py) and
 * archives are allowed: people who work together share them, and nothing runs them by accident.
 */
import { ParleyError } from '../../../shared/errors';
import type { FileRulesView } from '../../../shared/ipc';
import { extensionOf, sanitizeFileName } from './safe-file-name';

export interface FilePolicy {
  /** Largest file, in bytes. */
  readonly maxBytes: number;
  /** Lower-case extensions without the dot. */
  readonly blockedExtensions: readonly string[];
  /** Media types; "type/*" blocks a whole family. */
  readonly blockedMimeTypes: readonly string[];
  /** When set, only these extensions may be used (blocked ones still may not). */
  readonly allowedExtensions: readonly string[] | null;
  /** When set, only these media types ("type/*" allowed) may be used. */
  readonly allowedMimeTypes: readonly string[] | null;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;

export const DEFAULT_FILE_POLICY: FilePolicy = {
  maxBytes: DEFAULT_MAX_FILE_BYTES,
  blockedExtensions: [
    // Windows programs, installers and what the shell or script host runs on open.
    'exe',
    'com',
    'scr',
    'pif',
    'cpl',
    'msi',
    'msp',
    'mst',
    'msc',
    'bat',
    'cmd',
    'ps1',
    'psm1',
    'vbs',
    'vbe',
    'js',
    'jse',
    'wsf',
    'wsh',
    'hta',
    'reg',
    'lnk',
    'scf',
    'inf',
    'appx',
    'msix',
    // Java and macOS programs, installers and disk images.
    'jar',
    'app',
    'pkg',
    'dmg',
    'command',
  ],
  blockedMimeTypes: [
    'application/x-msdownload',
    'application/x-msdos-program',
    'application/x-ms-installer',
    'application/x-msi',
    'application/vnd.microsoft.portable-executable',
    'application/x-bat',
    'application/hta',
    'application/java-archive',
    'application/x-apple-diskimage',
  ],
  allowedExtensions: null,
  allowedMimeTypes: null,
};

/** A policy from configuration: the defaults with `overrides`, checked and normalised. */
export function filePolicy(overrides: Partial<FilePolicy> = {}): FilePolicy {
  const policy = { ...DEFAULT_FILE_POLICY, ...overrides };
  if (!Number.isSafeInteger(policy.maxBytes) || policy.maxBytes < 0) {
    throw new ParleyError('CONFIG_INVALID', 'The largest file size must be a whole number of bytes.');
  }
  const extensions = (list: readonly string[]) => list.map((e) => e.replace(/^\./, '').toLowerCase());
  const types = (list: readonly string[]) => list.map((t) => t.toLowerCase());
  return {
    maxBytes: policy.maxBytes,
    blockedExtensions: extensions(policy.blockedExtensions),
    blockedMimeTypes: types(policy.blockedMimeTypes),
    allowedExtensions: policy.allowedExtensions && extensions(policy.allowedExtensions),
    allowedMimeTypes: policy.allowedMimeTypes && types(policy.allowedMimeTypes),
  };
}

/** The media type as the policy sees it: lower case, without parameters; octet-stream if unknown. */
export function normalizeMimeType(raw: string): string {
  const type = (raw.split(';')[0] ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type)
    ? type
    : 'application/octet-stream';
}

/** Throws FILE_TOO_LARGE or FILE_TYPE_BLOCKED, with the reason, for a file the policy refuses. */
export function checkFileAllowed(
  policy: FilePolicy,
  file: { readonly name: string; readonly size: number; readonly mimeType: string },
): void {
  if (file.size > policy.maxBytes) {
    let [size, limit] = [formatBytes(file.size), formatBytes(policy.maxBytes)];
    // Just over the limit, rounded figures would look the same: say the bytes.
    if (size === limit) [size, limit] = [exactBytes(file.size), exactBytes(policy.maxBytes)];
    throw new ParleyError('FILE_TOO_LARGE', `This file is ${size}; files up to ${limit} can be shared.`);
  }
  const extension = extensionOf(sanitizeFileName(file.name));
  const type = normalizeMimeType(file.mimeType);
  const shown = extension ? `.${extension}` : 'without an extension';
  if (extension && policy.blockedExtensions.includes(extension)) {
    throw new ParleyError(
      'FILE_TYPE_BLOCKED',
      `Files of type ${shown} are blocked on this device, because opening them can run a program.`,
    );
  }
  if (matchesType(policy.blockedMimeTypes, type)) {
    throw new ParleyError(
      'FILE_TYPE_BLOCKED',
      `Files of type ${type} are blocked on this device, because opening them can run a program.`,
    );
  }
  if (policy.allowedExtensions && !policy.allowedExtensions.includes(extension)) {
    throw new ParleyError(
      'FILE_TYPE_BLOCKED',
      `Files ${extension ? `of type ${shown}` : shown} are not allowed by this device's file rules.`,
    );
  }
  if (policy.allowedMimeTypes && !matchesType(policy.allowedMimeTypes, type)) {
    throw new ParleyError(
      'FILE_TYPE_BLOCKED',
      `Files of type ${type} are not allowed by this device's file rules.`,
    );
  }
}

export function rulesView(
  policy: FilePolicy,
  limits: {
    maxChunkBytes: number;
    maxThumbnailBytes: number;
    autoDownloadMaxBytes: number;
    saveWhileDownloading: boolean;
  },
): FileRulesView {
  return {
    maxBytes: policy.maxBytes,
    blockedExtensions: policy.blockedExtensions,
    blockedMimeTypes: policy.blockedMimeTypes,
    allowedExtensions: policy.allowedExtensions,
    allowedMimeTypes: policy.allowedMimeTypes,
    ...limits,
  };
}

function matchesType(list: readonly string[], type: string): boolean {
  const family = `${type.split('/')[0]}/*`;
  return list.includes(type) || list.includes(family);
}

function exactBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/** 1.5 GB, 320 KB, 12 bytes: for sentences, in decimal units as file managers show them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}
