/**
 * Binary frames that carry sealed envelopes over the socket: one frame for many envelopes in a
 * single socket.io message, as base64url text when small and as bytes when large
 * (frame-payload.ts says when and why). A send frame carries every batch a device sent in one
 * turn of its event loop; each batch keeps its own number and is acknowledged on its own. Every
 * decoder checks versions and lengths before it reads, and refuses trailing bytes.
 *
 * Send frame (device to relay):
 *   u8 version=1 || u8 kind=1 || u16 batches ||
 *   batches × (u32 seq || u16 count || count × (u8 len || address || u32 len || bytes))
 * Delivery frame (relay to device):
 *   u8 version=1 || u8 kind=2 || u16 count || count × (u8 len || id || u32 len || bytes)
 * Addresses are `userId.deviceId` and ids are decimal digits, both ASCII. Integers are big-endian.
 */
import { type DeviceAddress, formatAddress, parseAddress } from '../address';
import { ParleyError } from '../errors';
import { MAX_BATCH_ENVELOPES, MAX_ENVELOPE_BYTES, MAX_FRAME_BYTES } from './limits';

export const FRAME_VERSION = 1;
const KIND_SEND = 1;
const KIND_DELIVERY = 2;
const SEND_HEADER_BYTES = 4;
const BATCH_HEADER_BYTES = 6;
const DELIVERY_HEADER_BYTES = 4;

/** Relay-assigned envelope ids: positive decimal integers, as text (they outgrow JSON numbers). */
export const ENVELOPE_ID_PATTERN = /^[1-9][0-9]{0,18}$/;

export interface OutgoingEnvelope {
  readonly to: DeviceAddress;
  readonly bytes: Uint8Array;
}

/** One batch: stored all together or not at all, acknowledged under its number. */
export interface SendBatch {
  /** The sender's number for this batch; the relay's ack names it. */
  readonly seq: number;
  readonly envelopes: readonly OutgoingEnvelope[];
}

export interface DeliveredEnvelope {
  readonly id: string;
  readonly bytes: Uint8Array;
}

function malformed(what: string): never {
  throw new ParleyError('WIRE_MALFORMED', `The envelope frame is malformed: ${what}.`);
}

function writeAscii(out: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
}

function readAscii(frame: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode.apply(null, frame.subarray(offset, offset + length) as unknown as number[]);
}

function checkEnvelopeSize(bytes: Uint8Array): void {
  if (bytes.length === 0) malformed('an envelope is empty');
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw new ParleyError(
      'PAYLOAD_TOO_LARGE',
      `An envelope is limited to ${MAX_ENVELOPE_BYTES / 1024} KiB; send larger content as an attachment.`,
    );
  }
}

/** Bytes one envelope takes in a send frame (for splitting batches before encoding). */
export function sendItemBytes(envelope: OutgoingEnvelope): number {
  return 1 + formatAddress(envelope.to).length + 4 + envelope.bytes.length;
}

export const SEND_FRAME_HEADER_BYTES = SEND_HEADER_BYTES;
export const SEND_BATCH_HEADER_BYTES = BATCH_HEADER_BYTES;
export const DELIVERY_FRAME_HEADER_BYTES = DELIVERY_HEADER_BYTES;

/** Bytes one envelope takes in a delivery frame. */
export function deliveryItemBytes(id: string, size: number): number {
  return 1 + id.length + 4 + size;
}

export function encodeSendFrame(batches: readonly SendBatch[]): Uint8Array {
  if (batches.length === 0 || batches.length > 0xffff) malformed('a frame holds 1 to 65535 batches');
  const addresses: string[][] = [];
  let size = SEND_HEADER_BYTES;
  for (const { seq, envelopes } of batches) {
    if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) malformed('the batch number is out of range');
    if (envelopes.length === 0 || envelopes.length > MAX_BATCH_ENVELOPES) {
      throw new ParleyError(
        'INVALID_ARGUMENT',
        `A batch holds 1 to ${MAX_BATCH_ENVELOPES} envelopes; this one has ${envelopes.length}.`,
      );
    }
    const texts = envelopes.map((e) => formatAddress(e.to));
    addresses.push(texts);
    size += BATCH_HEADER_BYTES;
    envelopes.forEach((e, i) => {
      checkEnvelopeSize(e.bytes);
      size += 1 + texts[i]!.length + 4 + e.bytes.length;
    });
  }
  if (size > MAX_FRAME_BYTES) {
    throw new ParleyError('PAYLOAD_TOO_LARGE', 'These batches are larger than one frame; split them.');
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = FRAME_VERSION;
  out[1] = KIND_SEND;
  view.setUint16(2, batches.length);
  let o = SEND_HEADER_BYTES;
  batches.forEach(({ seq, envelopes }, b) => {
    view.setUint32(o, seq);
    view.setUint16(o + 4, envelopes.length);
    o += BATCH_HEADER_BYTES;
    envelopes.forEach((e, i) => {
      const address = addresses[b]![i]!;
      out[o++] = address.length;
      writeAscii(out, o, address);
      o += address.length;
      view.setUint32(o, e.bytes.length);
      o += 4;
      out.set(e.bytes, o);
      o += e.bytes.length;
    });
  });
  return out;
}

function header(frame: Uint8Array, kind: number, minBytes: number): DataView {
  if (frame.length < minBytes) malformed('it is too short');
  if (frame.length > MAX_FRAME_BYTES) {
    throw new ParleyError('PAYLOAD_TOO_LARGE', 'The envelope frame is larger than the relay accepts.');
  }
  if (frame[0] !== FRAME_VERSION) {
    throw new ParleyError('WIRE_BAD_VERSION', `Envelope frame version ${frame[0]} is not supported.`);
  }
  if (frame[1] !== kind) malformed('it is not the expected kind of frame');
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
}

/**
 * Reads `count` items of (u8 len || ASCII || u32 len || bytes) from `start`; bytes are views into
 * `frame`, labels go through `readLabel(offset, length)`. Returns the offset after the last item.
 */
function readItems<L>(
  frame: Uint8Array,
  view: DataView,
  start: number,
  count: number,
  readLabel: (offset: number, length: number) => L,
  onItem: (label: L, bytes: Uint8Array) => void,
): number {
  let o = start;
  for (let i = 0; i < count; i++) {
    if (o + 1 > frame.length) malformed('an item is cut short');
    const labelLength = frame[o++]!;
    if (labelLength === 0 || o + labelLength + 4 > frame.length) malformed('an item is cut short');
    const label = readLabel(o, labelLength);
    o += labelLength;
    const length = view.getUint32(o);
    o += 4;
    if (length > frame.length - o) malformed('an envelope is cut short');
    const bytes = frame.subarray(o, o + length);
    o += length;
    checkEnvelopeSize(bytes);
    onItem(label, bytes);
  }
  return o;
}

/**
 * Reads recipient addresses; a label with the same bytes as the one before it (a device's
 * batches to one peer) gives the same address without reading or checking the text again.
 */
function addressReader(frame: Uint8Array): (offset: number, length: number) => DeviceAddress {
  let lastOffset = -1;
  let lastLength = 0;
  let last: DeviceAddress | null = null;
  return (offset, length) => {
    if (last !== null && length === lastLength) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (frame[offset + i] !== frame[lastOffset + i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    try {
      last = parseAddress(readAscii(frame, offset, length));
    } catch {
      malformed('a recipient is not a device address');
    }
    lastOffset = offset;
    lastLength = length;
    return last;
  };
}

export function decodeSendFrame(frame: Uint8Array): SendBatch[] {
  const view = header(frame, KIND_SEND, SEND_HEADER_BYTES);
  const count = view.getUint16(2);
  if (count === 0) malformed('a frame holds at least one batch');
  const batches: SendBatch[] = [];
  const readAddress = addressReader(frame);
  let o = SEND_HEADER_BYTES;
  for (let b = 0; b < count; b++) {
    if (o + BATCH_HEADER_BYTES > frame.length) malformed('a batch is cut short');
    const seq = view.getUint32(o);
    const size = view.getUint16(o + 4);
    if (size === 0 || size > MAX_BATCH_ENVELOPES)
      malformed(`a batch holds 1 to ${MAX_BATCH_ENVELOPES} envelopes`);
    const envelopes: OutgoingEnvelope[] = [];
    o = readItems(frame, view, o + BATCH_HEADER_BYTES, size, readAddress, (to, bytes) => {
      envelopes.push({ to, bytes });
    });
    batches.push({ seq, envelopes });
  }
  if (o !== frame.length) malformed('it has bytes after the last envelope');
  return batches;
}

export function encodeDeliveryFrame(envelopes: readonly DeliveredEnvelope[]): Uint8Array {
  if (envelopes.length === 0 || envelopes.length > 0xffff) malformed('a delivery holds 1 to 65535 envelopes');
  let size = DELIVERY_HEADER_BYTES;
  for (const e of envelopes) {
    // The relay encodes its own ids (decimal by construction); decoders check the pattern.
    if (e.id.length === 0 || e.id.length > 20) malformed('an envelope id is not a decimal number');
    size += deliveryItemBytes(e.id, e.bytes.length);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = FRAME_VERSION;
  out[1] = KIND_DELIVERY;
  view.setUint16(2, envelopes.length);
  let o = DELIVERY_HEADER_BYTES;
  for (const e of envelopes) {
    out[o++] = e.id.length;
    writeAscii(out, o, e.id);
    o += e.id.length;
    view.setUint32(o, e.bytes.length);
    o += 4;
    out.set(e.bytes, o);
    o += e.bytes.length;
  }
  return out;
}

export function decodeDeliveryFrame(frame: Uint8Array): DeliveredEnvelope[] {
  const view = header(frame, KIND_DELIVERY, DELIVERY_HEADER_BYTES);
  const count = view.getUint16(2);
  if (count === 0) malformed('a delivery holds at least one envelope');
  const envelopes: DeliveredEnvelope[] = [];
  const readId = (offset: number, length: number) => readAscii(frame, offset, length);
  const end = readItems(frame, view, DELIVERY_HEADER_BYTES, count, readId, (id, bytes) => {
    if (!ENVELOPE_ID_PATTERN.test(id)) malformed('an envelope id is not a decimal number');
    envelopes.push({ id, bytes });
  });
  if (end !== frame.length) malformed('it has bytes after the last envelope');
  return envelopes;
}
