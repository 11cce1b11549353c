/** The host bridge's binary invoke frames: what the page encodes, the host decodes, bytes intact. */
import { describe, expect, it } from 'vitest';
import { decodeBinaryInvoke, encodeBinaryInvoke } from './host-protocol';

describe('binary invoke frames', () => {
  it('carry the other arguments (any characters) and the bytes as they were', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const frame = encodeBinaryInvoke(
      {
        type: 'invoke',
        id: 7,
        method: 'file.chunk',
        args: { transferId: 'id-é-😀', offset: 42 },
        binary: 'data',
      },
      bytes,
    );
    const decoded = decodeBinaryInvoke(frame);
    expect(decoded).toEqual({
      type: 'invoke',
      id: 7,
      method: 'file.chunk',
      args: { transferId: 'id-é-😀', offset: 42, data: bytes },
    });
  });

  it('refuse what is not one', () => {
    expect(decodeBinaryInvoke(new Uint8Array(3))).toBeNull();
    expect(decodeBinaryInvoke(Uint8Array.from([0, 0, 1, 0, 1]))).toBeNull(); // longer than the frame
    const json = (text: string) => {
      const bytes = new Uint8Array(4 + text.length);
      new DataView(bytes.buffer).setUint32(0, text.length);
      for (let i = 0; i < text.length; i++) bytes[4 + i] = text.charCodeAt(i);
      return bytes;
    };
    expect(decodeBinaryInvoke(json('{not json'))).toBeNull();
    expect(decodeBinaryInvoke(json('{"type":"invoke","id":1,"method":"file.chunk"}'))).toBeNull(); // no `binary`
    expect(decodeBinaryInvoke(json('{"type":"invoke","id":1,"binary":"data","args":[1]}'))).toBeNull();
    const latin = json('{"type":"invoke","id":1,"binary":"data","args":{"x":"A"}}');
    latin[4 + 53] = 0xe9; // the "A": a byte that is not ASCII, valid JSON otherwise
    expect(decodeBinaryInvoke(latin)).toBeNull();
  });
});
