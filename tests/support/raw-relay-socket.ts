/**
 * A bare socket.io connection to a relay, for tests that must send what a well-behaved
 * RelayClient never would (garbage, replays, floods) and see exactly what the relay answers.
 */
import { io, type Socket } from 'socket.io-client';
import type { DeviceAddress } from '../../shared/address';
import { encodeAuthProof } from '../../shared/relay-protocol/auth-proof';
import { fromBase64url, toBase64url } from '../../shared/relay-protocol/base64url';

export interface Challenge {
  readonly nonce: Uint8Array;
  readonly relayId: string;
  readonly time: number;
}

export interface RawSocket {
  readonly socket: Socket;
  /** The relay's authentication challenge for this connection. */
  readonly challenge: Promise<Challenge>;
  /** Emits and waits for the callback's answer (or `timeoutMs`). */
  request(event: string, ...args: unknown[]): Promise<unknown>;
  /** Answers the challenge as `address`, signing with `sign`. */
  authenticate(address: DeviceAddress, sign: (m: Uint8Array) => Uint8Array, time?: number): Promise<unknown>;
  /** `relay:error` notices received so far. */
  readonly errors: { event: string; error: { code: string; message: string } }[];
  close(): void;
}

export function rawSocket(url: string, timeoutMs = 15_000): RawSocket {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const errors: RawSocket['errors'] = [];
  socket.on('relay:error', (notice: RawSocket['errors'][number]) => errors.push(notice));
  const challenge = new Promise<Challenge>((resolve, reject) => {
    socket.once('auth:challenge', (raw: { nonce: string; relayId: string; time: number }) => {
      const nonce = fromBase64url(raw.nonce);
      if (!nonce) reject(new Error('bad nonce'));
      else resolve({ nonce, relayId: raw.relayId, time: raw.time });
    });
    socket.once('connect_error', reject);
  });
  const request = (event: string, ...args: unknown[]) =>
    socket.timeout(timeoutMs).emitWithAck(event, ...args);
  return {
    socket,
    challenge,
    errors,
    request,
    async authenticate(address, sign, time = Date.now()) {
      const c = await challenge;
      const signature = sign(encodeAuthProof({ nonce: c.nonce, relayId: c.relayId, time }));
      return request('auth:prove', { ...address, time, signature: toBase64url(signature) });
    },
    close: () => socket.close(),
  };
}
