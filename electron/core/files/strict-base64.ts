/**
 * Base64 from the renderer, decoded strictly: Node's decoder skips characters outside the
 * alphabet, so any such character shows as a decoded length shorter than the text's, which is
 * checked instead of running a regular expression over every character (four times slower than
 * the decoding itself at 256 KiB).
 */
import { ParleyError } from '../../../shared/errors';

export function decodeStrictBase64(text: string): Buffer {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  if (text.length % 4 !== 0 || bytes.length !== (text.length / 4) * 3 - padding) {
    throw new ParleyError('INVALID_ARGUMENT', 'The file data is not valid base64. Send the file again.');
  }
  return bytes;
}
