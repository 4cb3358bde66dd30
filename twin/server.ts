// Listening on 127.0.0.1:0 (the OS picks the port) and closing for real: every socket the
// server ever accepted — keep-alive, upgraded, or deliberately left hanging — is destroyed on
// close, so a stopped twin never holds a port or keeps a test waiting.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

export interface TlsFiles {
  key: string;
  cert: string;
}

export interface Served {
  server: http.Server;
  /** Origin of the server, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createServer(tls: TlsFiles | null): http.Server {
  return tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer();
}

export async function serve(server: http.Server, tls: boolean): Promise<Served> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  const port = address.port;
  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
