// The twin's frontend: GET /health and GET / (the chat page, told its socket URL inline). Which
// page it serves is the flavour's: the contract's chat page, or a React-style service page.
import type http from 'node:http';
import { renderChatPage } from './frontend-page';
import { renderServicePage } from './frontend-page-service';
import { sendJson } from './http-util';
import { createServer, type Served, serve, type TlsFiles } from './server';

export interface FrontendOptions {
  /** A function: the socket URL is known only after the backend (or edge) listens. */
  wsUrl: () => string;
  tokenStorageKey?: string;
  /** contract: frontend-page.ts (default); service: frontend-page-service.ts. */
  page?: 'contract' | 'service';
  tls: TlsFiles | null;
}

const SERVER_HEADER = 'twin-frontend';

export async function startFrontend(opts: FrontendOptions): Promise<Served> {
  const server = createServer(opts.tls);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    if (route === 'GET /health') return sendJson(res, 200, { status: 'healthy', service: 'frontend' }, SERVER_HEADER);
    if (route === 'GET /') {
      const config = { wsUrl: opts.wsUrl(), tokenStorageKey: opts.tokenStorageKey ?? 'jwt_token' };
      const html = opts.page === 'service' ? renderServicePage(config) : renderChatPage(config);
      res.writeHead(200, { server: SERVER_HEADER, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
      return res.end(html);
    }
    if (route === 'GET /favicon.ico') {
      res.writeHead(204, { server: SERVER_HEADER });
      return res.end();
    }
    sendJson(res, 404, { detail: 'Not Found' }, SERVER_HEADER);
  });
  return serve(server, opts.tls !== null);
}
