// Small real servers on loopback (port 0) that behave like the contract's auth service and
// backend, for the token-source, http-json and config-verification tests. Not the twin: these
// are the minimum each test needs, switchable per test.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';
import { envSchema } from '../../environments/schema';
import type { Target } from '../../helpers/target/target';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface TestServer {
  url: string;
  port: number;
  /** Every request received, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Return undefined to never answer (the timeout tests). */
export type Handler = (req: SeenRequest) => Reply | undefined | Promise<Reply | undefined>;

export async function startServer(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {}
      const seenReq = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(seenReq);
      const reply = await handler(seenReq);
      if (!reply) return;
      const isText = typeof reply.body === 'string';
      const payload = reply.body === undefined ? '' : isText ? String(reply.body) : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': isText ? 'text/html' : 'application/json', ...reply.headers });
      res.end(payload);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests hold their sockets open: cut them, or close() never returns.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A port that was just free: nothing listens there (ECONNREFUSED). */
export async function deadPort(): Promise<number> {
  const s = await startServer(() => ({ status: 200 }));
  await s.close();
  return s.port;
}

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const BYPASS_KEY = 'bypass-key-for-tests-4711';
export const DEV_EMAIL = 'dev@example.com';
export const DEV_PASSWORD = 'dev-password-for-tests';
export const SERVICE_SECRET = 'service-secret-for-tests-0815';

export interface AuthServiceOptions {
  /** The secret the service signs and validates with. */
  secret?: string;
  /** null: no bypass key configured (503). */
  bypassKey?: string | null;
  production?: boolean;
  devLogin?: boolean;
  /** When set, /auth/validate checks X-Service-Secret. */
  serviceSecret?: string;
  serverHeader?: string;
}

/** The contract's auth service: health, validate, e2e test-auth, dev login. */
export function startAuthService(o: AuthServiceOptions = {}): Promise<TestServer> {
  const key = new TextEncoder().encode(o.secret ?? SECRET);
  const bypassKey = o.bypassKey === undefined ? BYPASS_KEY : o.bypassKey;
  const headers = { server: o.serverHeader ?? 'uvicorn' };
  const issue = (email: string) =>
    new SignJWT({ email, permissions: ['read'], token_type: 'access', iss: 'netra-auth-service', aud: 'netra-platform' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('15m')
      .setJti(crypto.randomUUID())
      .sign(key);
  return startServer(async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (req.method === 'GET' && (req.path === '/health' || req.path === '/auth/health')) return { status: 200, body: { status: 'healthy' }, headers };
    if (req.method === 'POST' && req.path === '/auth/validate') {
      if (req.headers['x-service-id'] !== 'netra-backend') return { status: 200, body: { valid: false, error: 'invalid_service_id', message: 'x' }, headers };
      if (o.serviceSecret && req.headers['x-service-secret'] !== o.serviceSecret)
        return { status: 200, body: { valid: false, error: 'invalid_service_secret', message: 'x' }, headers };
      if (typeof body.token !== 'string' || !body.token) return { status: 200, body: { valid: false, error: 'missing_token', message: 'x' }, headers };
      try {
        const { payload } = await jwtVerify(body.token, key, { issuer: 'netra-auth-service', audience: 'netra-platform', requiredClaims: ['exp', 'iat', 'sub'] });
        if (payload.token_type !== 'access') throw new Error('token type');
        return { status: 200, body: { valid: true, user_id: payload.sub, email: payload.email, permissions: payload.permissions, expires_at: payload.exp }, headers };
      } catch {
        return { status: 200, body: { valid: false, error: 'invalid_token', message: 'Token validation failed' }, headers };
      }
    }
    if (req.method === 'POST' && req.path === '/auth/e2e/test-auth') {
      if (o.production) return { status: 403, body: { detail: 'forbidden' }, headers };
      if (bypassKey === null) return { status: 503, body: { detail: 'not configured' }, headers };
      if (req.headers['x-e2e-bypass-key'] !== bypassKey) return { status: 401, body: { detail: 'bad key' }, headers };
      const token = await issue(String(body.email));
      return { status: 200, body: { access_token: token, refresh_token: 'r', token_type: 'Bearer', expires_in: 900 }, headers };
    }
    if (req.method === 'POST' && req.path === '/auth/dev/login') {
      if (!o.devLogin) return { status: 403, body: { detail: 'dev login disabled' }, headers };
      if (body.email !== DEV_EMAIL || body.password !== DEV_PASSWORD) return { status: 401, body: { detail: 'bad credentials' }, headers };
      return { status: 200, body: { access_token: await issue(DEV_EMAIL), token_type: 'Bearer', expires_in: 900 }, headers };
    }
    return { status: 404, body: { detail: 'Not Found' }, headers };
  });
}

/** The backend's HTTP side: health and a dependency status with the given answer. */
export function startBackend(dependencies: Reply): Promise<TestServer> {
  return startServer((req) => {
    if (req.path === '/health') return { status: 200, body: { status: 'healthy' }, headers: { server: 'uvicorn' } };
    if (req.path === '/api/system/dependencies/status') return dependencies;
    return { status: 404, body: { detail: 'Not Found' } };
  });
}

/** A Target built through the real env schema, so defaults are the ones the suite runs with. */
export function makeTarget(urls: { frontend?: string; backend?: string; auth?: string }, env: Record<string, string | undefined> = {}, ca: string | null = null): Target {
  const dead = 'http://127.0.0.1:9';
  const settings = envSchema.parse({
    FRONTEND_URL: urls.frontend ?? dead,
    BACKEND_URL: urls.backend ?? dead,
    AUTH_URL: urls.auth ?? dead,
    JWT_SECRET: SECRET,
    ...env,
  });
  const backendUrl = settings.BACKEND_URL ?? dead;
  return {
    name: 'unit-test',
    settings,
    frontendUrl: settings.FRONTEND_URL ?? dead,
    backendUrl,
    authUrl: settings.AUTH_URL ?? dead,
    wsUrl: `${backendUrl.replace(/^http/, 'ws')}/ws`,
    origin: settings.FRONTEND_URL ?? dead,
    ca,
    secrets: [SECRET, BYPASS_KEY, DEV_PASSWORD, SERVICE_SECRET],
  };
}
