// The staging auth service as the contract describes it: health, token validation for the
// backend (always HTTP 200, valid or not), and the two test logins (dev login, e2e bypass).
// With a capacity (the overloaded fault) health and validation share one bounded worker.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { type CapacityOptions, createSingleFlight } from './capacity';
import { readJson, sendJson } from './http-util';
import { type JwtSettings, mintJwt, verifyJwt } from './jwt';
import { createServer, type Served, serve, type TlsFiles } from './server';

export type AuthEnvironment = 'development' | 'staging' | 'production';

export interface AuthServiceOptions {
  /** The settings this service signs and validates with (jwt-secret-mismatch gives it another secret). */
  jwt: JwtSettings;
  /** The X-Service-ID it expects from callers ("netra-backend"). */
  serviceId: string;
  /** The shared SERVICE_SECRET; null = not configured (a caller sending one gets service_not_configured). */
  serviceSecret: string | null;
  /** null = no bypass key configured: e2e/test-auth answers 503. */
  e2eBypassKey: string | null;
  devLogin: { email: string; password: string } | null;
  /** dev login works in development only; e2e/test-auth is refused in production. */
  environment: AuthEnvironment;
  /** Access token lifetime for dev login (the contract's staging value is 30 min). */
  accessLifetimeSeconds?: number;
  /** auth-slow: POST /auth/validate answers only after this many ms. */
  validateDelayMs?: number;
  /** overloaded: /health, /auth/health and /auth/validate are served one at a time (capacity.ts); null = unbounded. */
  capacity?: CapacityOptions | null;
  tls: TlsFiles | null;
  log?: (line: string) => void;
}

export type ValidateAnswer =
  | { valid: true; user_id: string; email: string | null; permissions: string[]; expires_at: string }
  | { valid: false; error: ValidateError; message: string };

export type ValidateError = 'invalid_token' | 'missing_token' | 'invalid_service_id' | 'invalid_service_secret' | 'service_not_configured';

/** Compares secrets without leaking their length through timing more than a hash does. */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

export async function startAuthService(opts: AuthServiceOptions): Promise<Served> {
  const log = opts.log ?? (() => {});
  const accessLifetime = opts.accessLifetimeSeconds ?? 1800;
  const timers = new Set<NodeJS.Timeout>();
  const worker = opts.capacity ? createSingleFlight(opts.capacity) : null;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const issueTokens = async (sub: string, email: string, permissions: string[], lifetime: number) => ({
    access_token: await mintJwt(opts.jwt, { sub, email, permissions, lifetimeSeconds: lifetime }),
    refresh_token: await mintJwt(opts.jwt, { sub, email, permissions, lifetimeSeconds: 7 * 24 * 3600, tokenType: 'refresh' }),
    token_type: 'Bearer',
    expires_in: lifetime,
  });

  const invalid = (error: ValidateError, message: string): ValidateAnswer => ({ valid: false, error, message });

  const validate = async (req: http.IncomingMessage): Promise<ValidateAnswer> => {
    const body = await readJson(req);
    const serviceId = header(req, 'x-service-id');
    if (serviceId !== null && serviceId !== opts.serviceId) return invalid('invalid_service_id', 'Unknown service id');
    const serviceSecret = header(req, 'x-service-secret');
    if (serviceSecret !== null) {
      if (opts.serviceSecret === null) return invalid('service_not_configured', 'Service authentication is not configured');
      if (!sameSecret(serviceSecret, opts.serviceSecret)) return invalid('invalid_service_secret', 'Invalid service secret');
    }
    const token = field(body, 'token');
    if (typeof token !== 'string' || token.trim() === '') return invalid('missing_token', 'No token provided');
    const result = await verifyJwt(token.trim(), opts.jwt);
    if (!result.ok) return invalid('invalid_token', `Token validation failed: ${result.code}`);
    return {
      valid: true,
      user_id: result.claims.sub,
      email: result.claims.email,
      permissions: result.claims.permissions,
      expires_at: new Date(result.claims.exp * 1000).toISOString(),
    };
  };

  const devLogin = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = await readJson(req);
    if (opts.environment !== 'development') return sendJson(res, 403, { detail: 'Dev login is only available in development' });
    if (!opts.devLogin) return sendJson(res, 503, { detail: 'Dev login is not configured' });
    const email = field(body, 'email');
    const password = field(body, 'password');
    if (typeof email !== 'string' || typeof password !== 'string' || email !== opts.devLogin.email || !sameSecret(password, opts.devLogin.password)) {
      return sendJson(res, 401, { detail: 'Invalid credentials' });
    }
    const sub = `dev-${createHash('sha256').update(email).digest('hex').slice(0, 12)}`;
    return sendJson(res, 200, await issueTokens(sub, email, ['read', 'write'], accessLifetime));
  };

  const e2eLogin = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = await readJson(req);
    if (opts.environment === 'production') return sendJson(res, 403, { detail: 'E2E test auth is disabled in production' });
    if (opts.e2eBypassKey === null) return sendJson(res, 503, { detail: 'E2E bypass key is not configured' });
    const key = header(req, 'x-e2e-bypass-key');
    if (key === null || !sameSecret(key, opts.e2eBypassKey)) return sendJson(res, 401, { detail: 'Invalid E2E bypass key' });
    const email = field(body, 'email');
    const permissions = field(body, 'permissions');
    const perms = Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string') : ['read', 'write'];
    return sendJson(res, 200, await issueTokens(`e2e-${randomUUID()}`, typeof email === 'string' ? email : 'e2e@example.com', perms, 900));
  };

  const server = createServer(opts.tls);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = `${req.method} ${path}`;
    const handle = async () => {
      if (worker && route === 'POST /auth/validate') {
        const admission = await worker.serve(() => res.destroyed || req.socket.destroyed);
        if (admission === 'gone') return;
        if (admission === 'full') return sendJson(res, 503, { detail: 'Service Unavailable' });
      }
      switch (route) {
        case 'GET /health':
        case 'GET /auth/health':
          return sendJson(res, 200, { status: 'healthy', service: 'auth-service', environment: opts.environment });
        case 'POST /auth/validate': {
          if (opts.validateDelayMs) await delay(opts.validateDelayMs);
          const answer = await validate(req);
          log(`auth: validate → ${answer.valid ? 'valid' : `invalid (${answer.error})`}`);
          return sendJson(res, 200, answer);
        }
        case 'POST /auth/dev/login':
          return devLogin(req, res);
        case 'POST /auth/e2e/test-auth':
          return e2eLogin(req, res);
        default:
          return sendJson(res, 404, { detail: 'Not Found' });
      }
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 400, { detail: error instanceof Error ? error.message : 'bad request' });
    });
  });
  const served = await serve(server, opts.tls !== null);
  return {
    ...served,
    close: async () => {
      worker?.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await served.close();
    },
  };
}
