// The staging backend as the contract describes it: health, the dependencies status (which
// lists the auth service only when AUTH_SERVICE_URL is set), and the chat WebSocket at /ws.
// Auth failures are refused BEFORE accept with HTTP 403 (what Starlette/uvicorn do for a
// close-before-accept), unless the backend is built to validate after accept (1008) or has a
// readiness guard (1011). How the 403, the 101 and the after-accept texts LOOK is the
// flavour's (flavours.ts); the mechanism is the same under every flavour.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type AuthCheck, type AuthClient, authServiceAnswered, createAuthClient } from './auth-client';
import { FLAVOURS, type Flavour, NODE_REFUSAL_BODY } from './flavours';
import { httpCall } from './http-call';
import { APP_SERVER_HEADER, sendJson, writeRawAnswer, writeRawResponse } from './http-util';
import { createServer, type Served, serve, type TlsFiles } from './server';
import { chooseSubprotocol, findToken, offeredSubprotocols } from './ws-token';

export interface BackendOptions {
  /** AUTH_SERVICE_URL; null = unset (the #631 misconfiguration). */
  authServiceUrl: string | null;
  /** Where the auth client goes when AUTH_SERVICE_URL is unset (dead-port.ts). */
  fallbackUrl: string;
  serviceId: string;
  /** Deadline of the auth client's pre-validation health check (default: staging's 0.3 s). */
  authHealthTimeoutMs?: number;
  /** The X-Service-Secret this backend sends (service-secret-mismatch: a wrong one). */
  serviceSecret: string | null;
  /** CA the backend trusts for an https auth service. */
  authCa: string | null;
  tls: TlsFiles | null;
  /**
   * Origins a browser may open the socket from. The check applies to browser-style upgrades
   * only (an Origin header AND a `Mozilla/` User-Agent): raw clients pass. A function, because
   * the frontend's origin is known only once it listens.
   */
  allowedOrigins: () => readonly string[];
  /** before-accept (staging: HTTP 403) or after-accept (101, AUTH_FAILED frame, close 1008). */
  authMode: 'before-accept' | 'after-accept';
  /** Readiness guard: accept, then close 1011 "Service not ready: …". */
  notReady: boolean;
  /** false: accept without echoing the offered subprotocol (subprotocol-mismatch). */
  echoSubprotocol: boolean;
  /** true: accept the TCP connection and never answer the upgrade (hang). */
  hangUpgrades: boolean;
  /** How the backend presents itself (default: node, the twin's own). */
  flavour?: Flavour;
  name?: string;
  log?: (line: string) => void;
}

export interface RunningBackend extends Served {
  /** The auth service URL the backend's client really calls (the fallback when unset). */
  authClientUrl: string;
}

/** The node flavour's refusal body (the twin's default presentation). */
export const REFUSAL_BODY = NODE_REFUSAL_BODY;

function isBrowserStyle(req: http.IncomingMessage): boolean {
  return typeof req.headers.origin === 'string' && /\bMozilla\//.test(req.headers['user-agent'] ?? '');
}

/** The AUTH_FAILED frame's text: one generic text, or the contract's two (could not ask / was told no). */
function afterAcceptTextFor(flavour: Flavour, check: Extract<AuthCheck, { valid: false }>): string {
  if (flavour.afterAcceptMessages === 'generic') return 'Authentication failed';
  return authServiceAnswered(check) ? `Token validation failed: ${check.error}` : 'Auth service unavailable';
}

export async function startBackend(opts: BackendOptions): Promise<RunningBackend> {
  const name = opts.name ?? 'backend';
  const flavour = opts.flavour ?? FLAVOURS.node;
  const log = opts.log ?? (() => {});
  const authClient: AuthClient = createAuthClient({
    authServiceUrl: opts.authServiceUrl,
    fallbackUrl: opts.fallbackUrl,
    serviceId: opts.serviceId,
    serviceSecret: opts.serviceSecret,
    ca: opts.authCa,
    healthTimeoutMs: opts.authHealthTimeoutMs,
  });
  const chosen = new WeakMap<http.IncomingMessage, string | null>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (_protocols, req) => (opts.echoSubprotocol ? (chosen.get(req) ?? false) : false),
  });
  wss.on('headers', (headers) => headers.push(...flavour.acceptHeaders(new Date())));
  const hanging = new Set<Duplex>();

  const refuse = (socket: Duplex, why: string) => {
    log(`${name}: /ws refused with HTTP 403 (${why})`);
    // Every refusal here is the app closing before accept, which the server turns into a 403.
    writeRawAnswer(socket, flavour.refusal(new Date()));
  };

  const serveChat = (ws: WebSocket, check: Extract<AuthCheck, { valid: true }>) => {
    ws.send(JSON.stringify({ type: 'connection_established', payload: { connection_id: randomUUID(), user_id: check.userId } }));
    ws.on('message', (data, isBinary) => {
      let content: unknown;
      try {
        const message = JSON.parse(isBinary ? '' : data.toString()) as { type?: unknown; payload?: { content?: unknown } };
        if (message.type === 'ping') return ws.send(JSON.stringify({ type: 'pong' }));
        content = message.type === 'user_message' ? message.payload?.content : undefined;
      } catch {
        content = undefined;
      }
      if (typeof content !== 'string') return ws.send(JSON.stringify({ type: 'error', error_code: 'INVALID_MESSAGE', error_message: 'Expected {"type":"user_message","payload":{"content":"…"}}' }));
      ws.send(JSON.stringify({ type: 'agent_response', payload: { content } }));
    });
  };

  const afterAcceptText = (check: Extract<AuthCheck, { valid: false }>) => afterAcceptTextFor(flavour, check);

  const afterAccept = (ws: WebSocket, req: http.IncomingMessage, check: AuthCheck) => {
    if (!check.valid) {
      log(`${name}: /ws accepted, then closed 1008 (${check.error})`);
      ws.send(JSON.stringify({ type: 'error_message', error_code: 'AUTH_FAILED', error_message: afterAcceptText(check) }));
      return ws.close(1008, 'Authentication failed');
    }
    if (opts.notReady) {
      log(`${name}: /ws accepted, then closed 1011 (not ready)`);
      return ws.close(1011, 'Service not ready: startup checks incomplete');
    }
    if (opts.echoSubprotocol && offeredSubprotocols(req).length > 0 && ws.protocol === '') {
      log(`${name}: /ws accepted, then closed 1003 (no supported subprotocol offered)`);
      return ws.close(1003, 'Unsupported subprotocol');
    }
    serveChat(ws, check);
  };

  const onUpgrade = async (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/ws') return writeRawResponse(socket, 404, { server: APP_SERVER_HEADER, 'content-type': 'application/json' }, '{"detail":"Not Found"}');
    if (opts.hangUpgrades) {
      log(`${name}: /ws upgrade left unanswered (hang)`);
      hanging.add(socket);
      socket.once('close', () => hanging.delete(socket));
      return;
    }
    if (isBrowserStyle(req) && !opts.allowedOrigins().includes(req.headers.origin ?? '')) return refuse(socket, 'origin not allowed');
    const found = findToken(req);
    chosen.set(req, chooseSubprotocol(offeredSubprotocols(req), found));
    const accept = (then: (ws: WebSocket) => void) => {
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, then);
    };
    const check: AuthCheck = found.token
      ? await authClient.validate(found.token)
      : { valid: false, error: 'missing_token', message: 'No token on the upgrade request' };
    if (opts.authMode === 'after-accept') return accept((ws) => afterAccept(ws, req, check));
    if (!check.valid) return refuse(socket, `${check.error}: ${check.message}`);
    log(`${name}: /ws accepted (token via ${found.source})`);
    accept((ws) => afterAccept(ws, req, check));
  };

  const dependencies = async (res: http.ServerResponse) => {
    if (opts.authServiceUrl === null) return sendJson(res, 200, { status: 'healthy', checks: [] });
    const url = `${opts.authServiceUrl.replace(/\/+$/, '')}/health`;
    const started = performance.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      httpStatus = (await httpCall(url, { method: 'GET', ca: opts.authCa, timeouts: { connectMs: 1000, writeMs: 1000, readMs: 1000, totalMs: 1000 } })).status;
    } catch (e) {
      error = e instanceof Error ? e.message : 'unreachable';
    }
    const healthy = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
    sendJson(res, 200, {
      status: healthy ? 'healthy' : 'degraded',
      checks: [{ name: 'Auth Service', type: 'http', url, status: healthy ? 'healthy' : 'unhealthy', healthy, http_status: httpStatus, latency_ms: Math.round(performance.now() - started), error }],
    });
  };

  const server = createServer(opts.tls);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    if (route === 'GET /health') return sendJson(res, 200, { status: 'healthy', service: 'netra-backend' });
    if (route === 'GET /api/system/dependencies/status' && flavour.dependencyEndpoint) {
      dependencies(res).catch(() => sendJson(res, 500, { detail: 'dependencies check failed' }));
      return;
    }
    sendJson(res, 404, { detail: 'Not Found' });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch(() => {
      if (!socket.destroyed) socket.destroy();
    });
  });
  const served = await serve(server, opts.tls !== null);
  return {
    ...served,
    authClientUrl: authClient.baseUrl,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const socket of hanging) socket.destroy();
      wss.close();
      await served.close();
    },
  };
}
