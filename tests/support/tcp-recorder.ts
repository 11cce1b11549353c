/**
 * A TCP pass-through on 127.0.0.1 that records every byte in both directions: clients connect
 * to it instead of the relay, so a test can read exactly what crossed the wire.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpRecorder {
  readonly url: string;
  /** Everything sent by clients and by the server so far. */
  captured(): Buffer;
  close(): Promise<void>;
}

export async function recordTcp(targetPort: number): Promise<TcpRecorder> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (data) => {
      chunks.push(Buffer.from(data));
      upstream.write(data);
    });
    upstream.on('data', (data) => {
      chunks.push(Buffer.from(data));
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
    captured: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
