/** The direct secretstream path interoperates with libsodium's wrapper in both directions. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DirectSecretstream, secretstreamChunksFor, wrapperSecretstream } from './secretstream-chunks';
import { loadSodium, type Sodium } from './sodium';

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

function streams() {
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const pull = () => sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as unknown as number;
  return { push: state as unknown as number, pull };
}

describe('secretstream chunks', () => {
  it('uses the direct path with this libsodium build', () => {
    expect(secretstreamChunksFor(sodium)).toBeInstanceOf(DirectSecretstream);
  });

  it('pushes chunks the wrapper pulls, and pulls chunks the wrapper pushed', () => {
    const direct = secretstreamChunksFor(sodium);
    const wrapper = wrapperSecretstream(sodium);
    const { MESSAGE, FINAL } = {
      MESSAGE: sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
      FINAL: sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    };
    const chunks = [sodium.randombytes_buf(65536), sodium.randombytes_buf(10), new Uint8Array(0)];
    for (const [pusher, puller] of [
      [direct, wrapper],
      [wrapper, direct],
    ] as const) {
      const s = streams();
      const sealed = chunks.map((chunk, i) =>
        pusher.push(s.push, chunk, i === chunks.length - 1 ? FINAL : MESSAGE),
      );
      const into = s.pull();
      sealed.forEach((frame, i) => {
        const opened = puller.pull(into, frame);
        expect(Buffer.compare(opened!.message, chunks[i]!)).toBe(0);
        expect(opened?.tag).toBe(i === chunks.length - 1 ? FINAL : MESSAGE);
      });
    }
  });

  it('refuses a reordered or altered chunk', () => {
    const direct = secretstreamChunksFor(sodium);
    const s = streams();
    const a = direct.push(s.push, new Uint8Array([1]), 0);
    const b = direct.push(s.push, new Uint8Array([2]), 0);
    expect(direct.pull(s.pull(), b)).toBeNull();
    const altered = a.slice();
    altered[5]! ^= 1;
    expect(direct.pull(s.pull(), altered)).toBeNull();
    expect(direct.pull(s.pull(), a.subarray(0, 16))).toBeNull();
  });
});
