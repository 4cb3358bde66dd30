// The backend's client for its auth service, as staging runs it: before each validation a
// GET {AUTH_SERVICE_URL}/health with a 0.3 s deadline (failure → auth_service_unreachable),
// then POST /auth/validate with X-Service-ID / X-Service-Secret, timeouts connect 0.8 s,
// read 1.6 s, write 0.4 s, one retry of a failed connect, and a circuit breaker per client
// (so per backend instance). With AUTH_SERVICE_URL unset it falls back to a dead URL — the
// #631 chain.
import http from 'node:http';
import https from 'node:https';
import { type BreakerOptions, type BreakerState, createCircuitBreaker } from './circuit-breaker';
import { httpCall, type PhaseTimeouts, TransportError } from './http-call';

export interface AuthClientOptions {
  /** AUTH_SERVICE_URL; null = unset, the client uses `fallbackUrl`. */
  authServiceUrl: string | null;
  /** Where an unset AUTH_SERVICE_URL leads (see dead-port.ts). */
  fallbackUrl: string;
  serviceId: string;
  /** Sent as X-Service-Secret when set. */
  serviceSecret: string | null;
  ca?: string | null;
  healthTimeoutMs?: number;
  timeouts?: Partial<PhaseTimeouts>;
  breaker?: Partial<BreakerOptions>;
}

export const STAGING_TIMEOUTS: PhaseTimeouts = { connectMs: 800, readMs: 1600, writeMs: 400 };
export const STAGING_HEALTH_TIMEOUT_MS = 300;

export type AuthCheck =
  | { valid: true; userId: string; email: string | null; permissions: string[] }
  | { valid: false; error: string; message: string };

export interface AuthClient {
  /** The base URL actually used (the fallback when AUTH_SERVICE_URL is unset). */
  readonly baseUrl: string;
  validate(token: string): Promise<AuthCheck>;
  breakerState(): BreakerState;
}

/** The errors this client makes up itself when it could not get an answer from the auth service. */
export const CLIENT_SIDE_ERRORS = ['auth_service_unreachable', 'auth_service_timeout', 'auth_service_error', 'circuit_breaker_open'] as const;

/** true when the refusal is the auth service's own valid=false (or a token the backend never found), not a failure to ask it. */
export function authServiceAnswered(check: Extract<AuthCheck, { valid: false }>): boolean {
  return !(CLIENT_SIDE_ERRORS as readonly string[]).includes(check.error);
}

function parseAnswer(text: string): AuthCheck | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  if (d.valid === true && typeof d.user_id === 'string') {
    const permissions = Array.isArray(d.permissions) ? d.permissions.filter((p): p is string => typeof p === 'string') : [];
    return { valid: true, userId: d.user_id, email: typeof d.email === 'string' ? d.email : null, permissions };
  }
  if (d.valid === false) {
    return { valid: false, error: typeof d.error === 'string' ? d.error : 'invalid_token', message: typeof d.message === 'string' ? d.message : '' };
  }
  return null;
}

export function createAuthClient(opts: AuthClientOptions): AuthClient {
  const baseUrl = (opts.authServiceUrl ?? opts.fallbackUrl).replace(/\/+$/, '');
  const timeouts: PhaseTimeouts = { ...STAGING_TIMEOUTS, ...opts.timeouts };
  const healthMs = opts.healthTimeoutMs ?? STAGING_HEALTH_TIMEOUT_MS;
  const breaker = createCircuitBreaker({ threshold: 3, resetMs: 10_000, ...opts.breaker });
  const ca = opts.ca ?? null;
  // Pooled keep-alive connections, as the real backend's httpx client keeps them: a burst of
  // handshakes then costs two requests each, not two TCP (or TLS) connections each.
  const agent = baseUrl.startsWith('https:') ? new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }) : new http.Agent({ keepAlive: true });

  /** null when healthy, else why not. */
  const healthProblem = async (): Promise<string | null> => {
    try {
      const res = await httpCall(`${baseUrl}/health`, { method: 'GET', ca, agent, timeouts: { connectMs: healthMs, writeMs: healthMs, readMs: healthMs, totalMs: healthMs } });
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (error) {
      return error instanceof TransportError ? `${error.code}: ${error.message}` : 'health check failed';
    }
  };

  const post = async (token: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-service-id': opts.serviceId };
    if (opts.serviceSecret !== null) headers['x-service-secret'] = opts.serviceSecret;
    const init = { method: 'POST' as const, headers, body: JSON.stringify({ token, token_type: 'access' }), timeouts, ca, agent };
    try {
      return await httpCall(`${baseUrl}/auth/validate`, init);
    } catch (error) {
      // One transport retry, for a connection that could not be made (httpx retries=1), or a
      // pooled connection the server had just closed (httpcore replaces a stale one).
      const stale = error instanceof TransportError && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      if (error instanceof TransportError && (error.phase === 'connect' || stale)) return httpCall(`${baseUrl}/auth/validate`, init);
      throw error;
    }
  };

  return {
    baseUrl,
    breakerState: () => breaker.state(),
    async validate(token) {
      if (!breaker.canPass()) return { valid: false, error: 'circuit_breaker_open', message: 'Auth service circuit breaker is open' };
      const problem = await healthProblem();
      if (problem !== null) {
        breaker.failure();
        return { valid: false, error: 'auth_service_unreachable', message: `Auth service health check failed at ${baseUrl}/health (${problem})` };
      }
      try {
        const res = await post(token);
        const answer = res.status === 200 ? parseAnswer(res.body) : null;
        if (!answer) {
          breaker.failure();
          return { valid: false, error: 'auth_service_error', message: `Auth service answered HTTP ${res.status}` };
        }
        breaker.success();
        return answer;
      } catch (error) {
        breaker.failure();
        const timedOut = error instanceof TransportError && error.code === 'ETIMEDOUT';
        return {
          valid: false,
          error: timedOut ? 'auth_service_timeout' : 'auth_service_unreachable',
          message: error instanceof Error ? error.message : 'transport failure',
        };
      }
    },
  };
}
