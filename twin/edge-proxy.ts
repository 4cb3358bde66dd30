// An edge proxy in front of one or more backends (round-robin), like a cloud load balancer:
// it forwards HTTP requests and WebSocket upgrades, and can be configured to do what edges
// do wrong — refuse Origins it does not know with its own HTML 403 (edge-403), or drop
// `Authorization` from upgrade requests (header-stripped). The answers it makes itself are
// its product's exact bytes (edge-products.ts: AWS ELB, nginx, HAProxy — the flavour's pick).
// Backends behind it listen on plain http, as load-balancer targets usually do.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { AWS_ELB, AWS_ELB_SERVER, type EdgeProduct, type EdgeStatus } from './edge-products';
import { writeRawAnswer } from './http-util';
import { createServer, type Served, serve, type TlsFiles } from './server';

export interface EdgeOptions {
  /** Backend origins (http://127.0.0.1:port), used in turn. */
  upstreams: readonly string[];
  tls: TlsFiles | null;
  /** null: no Origin policy. Else upgrades carrying an Origin outside the list get the edge's HTML 403. */
  allowedOrigins: readonly string[] | null;
  stripAuthorization: boolean;
  /** The product whose voice the edge's own answers have (default: AWS ELB). */
  product?: EdgeProduct;
  log?: (line: string) => void;
}

/** The default edge's Server header (the node flavour's AWS ELB). */
export const EDGE_SERVER_HEADER = AWS_ELB_SERVER;

export async function startEdgeProxy(opts: EdgeOptions): Promise<Served> {
  if (opts.upstreams.length === 0) throw new Error('edge proxy needs at least one upstream');
  const product = opts.product ?? AWS_ELB;
  const log = opts.log ?? (() => {});
  const upstreamSockets = new Set<net.Socket>();
  let turn = 0;
  const pick = () => new URL(opts.upstreams[turn++ % opts.upstreams.length] ?? '');
  const edgeAnswer = (socket: Duplex, status: EdgeStatus) => writeRawAnswer(socket, product.answer(status, new Date()));

  const server = createServer(opts.tls);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = pick();
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false, timeout: 10_000 },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    const fail = (status: EdgeStatus) => {
      if (res.headersSent) return res.destroy();
      const answer = product.answer(status, new Date());
      // node adds Date and Connection itself unless told not to: the product's headers as given.
      res.sendDate = false;
      res.shouldKeepAlive = !answer.close;
      res.writeHead(answer.status, answer.reason, answer.headers.flat());
      res.end(answer.body);
    };
    forwarded.once('timeout', () => {
      forwarded.destroy();
      fail(504);
    });
    forwarded.once('error', () => fail(502));
    req.pipe(forwarded);
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const origin = req.headers.origin;
    if (opts.allowedOrigins && typeof origin === 'string' && !opts.allowedOrigins.includes(origin)) {
      log(`edge (${product.name}): upgrade refused with HTML 403 (origin not allowed at the edge)`);
      return edgeAnswer(socket, 403);
    }
    const upstream = pick();
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? '';
      if (opts.stripAuthorization && name.toLowerCase() === 'authorization') continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
    }
    const backend = net.connect({ host: upstream.hostname, port: Number(upstream.port) });
    upstreamSockets.add(backend);
    let answered = false;
    backend.once('close', () => {
      upstreamSockets.delete(backend);
      // An answer already being written (the edge's 502, or the backend's last bytes) finishes
      // first; a keep-alive product's 502 leaves the client's connection open on purpose.
      if (!socket.writableEnded && !answered) socket.destroy();
    });
    socket.once('close', () => backend.destroy());
    backend.once('error', () => {
      if (backend.readableDidRead) return;
      answered = true;
      edgeAnswer(socket, 502);
    });
    backend.once('connect', () => {
      backend.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) backend.write(head);
      backend.pipe(socket);
      socket.pipe(backend);
    });
  });

  const served = await serve(server, opts.tls !== null);
  return {
    ...served,
    close: async () => {
      for (const s of upstreamSockets) s.destroy();
      await served.close();
    },
  };
}
