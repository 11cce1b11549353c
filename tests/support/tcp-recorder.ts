/**
 * A TCP pass-through on 127.0.0.1 that records every byte in both directions: clients connect
 * to it instead of the relay, so a test can read exactly what crossed the wire. WebSocket frames
 * from clients are masked (RFC 6455 §5.3), so `captured()` also unmasks every frame's payload:
 * a search of the capture then sees what an observer of the connection could read.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpRecorder {
  readonly url: string;
  /** Raw bytes of every connection, both directions, plus each WebSocket payload unmasked. */
  captured(): Buffer;
  close(): Promise<void>;
}

/** The payloads of the WebSocket frames in one direction of a connection (after its HTTP head). */
export function websocketPayloads(stream: Buffer): Buffer[] {
  const head = stream.indexOf('\r\n\r\n');
  if (head < 0) return [];
  const payloads: Buffer[] = [];
  let at = head + 4;
  while (at + 2 <= stream.length) {
    const masked = (stream[at + 1]! & 0x80) !== 0;
    let length = stream[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (offset + 2 > stream.length) break;
      length = stream.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (offset + 8 > stream.length) break;
      length = Number(stream.readBigUInt64BE(offset));
      offset += 8;
    }
    const mask = masked ? stream.subarray(offset, offset + 4) : null;
    if (masked) offset += 4;
    if (offset + length > stream.length) break;
    const payload = Buffer.from(stream.subarray(offset, offset + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    payloads.push(payload);
    at = offset + length;
  }
  return payloads;
}

export async function recordTcp(targetPort: number): Promise<TcpRecorder> {
  const directions: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const up: Buffer[] = [];
    const down: Buffer[] = [];
    directions.push(up, down);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (data) => {
      up.push(Buffer.from(data));
      upstream.write(data);
    });
    upstream.on('data', (data) => {
      down.push(Buffer.from(data));
      client.write(data);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    captured: () => {
      const raw = directions.map((chunks) => Buffer.concat(chunks));
      return Buffer.concat([...raw, ...raw.flatMap(websocketPayloads)]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
