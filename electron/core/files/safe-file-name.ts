/**
 * File names from other people (THREAT-MODEL: malicious message content) made safe to show and
 * to save under: no path separators, no control or bidirectional-override characters (which can
 * disguise "gpj.exe" as "exe.jpg"), no names Windows reserves, no leading dot, at most 255 bytes
 * of UTF-8 with the extension kept. The result is always one plain file name.
 */
const MAX_NAME_BYTES = 255;
const MAX_EXTENSION_CHARS = 16;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const FALLBACK = 'file';

export function sanitizeFileName(raw: string): string {
  let name = raw.normalize('NFC').replace(INVISIBLE, '').replace(UNSAFE, '_');
  // Windows drops trailing dots and spaces ("a.exe." opens as "a.exe"); a leading dot hides a file.
  name = name
    .trim()
    .replace(/[. ]+$/, '')
    .replace(/^\.+/, '');
  if (name === '') return FALLBACK;
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  return truncate(name);
}

/** The lower-case extension without its dot ("pdf"), or '' when the name has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  return name.slice(dot + 1).toLowerCase();
}

/** `name` with " (n)" before its extension, for a name that is taken already. */
export function numberedFileName(name: string, n: number): string {
  const extension = extensionOf(name);
  const stem = extension ? name.slice(0, -(extension.length + 1)) : name;
  return truncate(`${stem} (${n})${extension ? `.${name.slice(-extension.length)}` : ''}`);
}

function truncate(name: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= MAX_NAME_BYTES) return name;
  const extension = extensionOf(name);
  const suffix =
    extension && extension.length <= MAX_EXTENSION_CHARS ? name.slice(-(extension.length + 1)) : '';
  const budget = MAX_NAME_BYTES - encoder.encode(suffix).length;
  let stem = '';
  let bytes = 0;
  // By code point, so a character is never cut in half.
  for (const char of suffix ? name.slice(0, -suffix.length) : name) {
    const size = encoder.encode(char).length;
    if (bytes + size > budget) break;
    stem += char;
    bytes += size;
  }
  return `${stem}${suffix}`;
}
