// Throwaway settings for the twin's own tests (never real secrets).
import type { JwtSettings } from '../../../twin/jwt';
import type { TwinOptions } from '../../../twin/start';

export const JWT: JwtSettings = {
  secret: 'twin-test-only-jwt-secret-0123456789abcdef',
  issuer: 'netra-auth-service',
  audience: 'netra-platform',
  tokenType: 'access',
  env: 'staging',
};

export const SERVICE_ID = 'netra-backend';
export const SERVICE_SECRET = 'twin-test-service-secret-0001';
export const BYPASS_KEY = 'twin-test-bypass-key-0001';
export const DEV_LOGIN = { email: 'dev@example.com', password: 'twin-test-dev-password' };

export function twinOptions(change: Partial<TwinOptions> = {}): TwinOptions {
  return {
    fault: 'none',
    tls: false,
    jwtSecret: JWT.secret,
    jwtIssuer: JWT.issuer,
    jwtAudience: JWT.audience,
    jwtTokenType: JWT.tokenType,
    jwtEnv: JWT.env,
    serviceId: SERVICE_ID,
    serviceSecret: SERVICE_SECRET,
    e2eBypassKey: BYPASS_KEY,
    devLogin: DEV_LOGIN,
    ...change,
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export async function getJson(url: string): Promise<{ status: number; server: string | null; json: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, server: res.headers.get('server'), json: (await res.json()) as Record<string, unknown> };
}

/**
 * A Node timer may fire up to 1 ms before performance.now() says its delay has passed (CI saw
 * 999.82 ms for 1000): lower bounds on timer-driven durations allow this. The twin's tests keep
 * to twin/ and their own support, so this repeats tests/support/timer-slack.ts.
 */
export const TIMER_EARLY_MS = 1;
