// Loopback listeners that count every TCP connection they are offered, to prove that a run sent
// nothing (0) or did send (> 0). One answers HTTP (health, login) with 404; the other is bare TCP
// and hangs up at once (a socket upgrade gets nothing to talk to). Both on OS-chosen ports.
import http from 'node:http';
import net from 'node:net';

export interface CountingListeners {
  /** http://127.0.0.1:<port> of the HTTP listener. */
  httpUrl: string;
  /** http://127.0.0.1:<port> of the bare TCP listener. */
  tcpUrl: string;
  /** Connections accepted so far, by listener. */
  connections: () => { http: number; tcp: number };
  close: () => Promise<void>;
}

export async function startCountingListeners(): Promise<CountingListeners> {
  const counts = { http: 0, tcp: 0 };
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const web = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json', connection: 'close' }).end('{"detail":"counting listener"}');
  });
  web.on('connection', (socket: net.Socket) => {
    counts.http++;
    track(socket);
  });
  const tcp = net.createServer((socket) => {
    counts.tcp++;
    track(socket);
    socket.destroy();
  });
  const listen = (server: net.Server) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const [httpPort, tcpPort] = [await listen(web), await listen(tcp)];
  const shut = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    tcpUrl: `http://127.0.0.1:${tcpPort}`,
    connections: () => ({ ...counts }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([shut(web), shut(tcp)]);
    },
  };
}
