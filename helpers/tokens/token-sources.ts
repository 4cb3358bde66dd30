// The valid token of a target, from the source its environment names (TOKEN_SOURCE).
// A failing source is a fact, not an exception: the diagnosis reports it as
// `token-source-failed`. The token itself never appears in a fact, only its fingerprint.
import { decodeJwt } from 'jose';
import { z } from 'zod';
import type { TokenSourceName } from '../../environments/schema';
import type { TokenSourceFact } from '../records/config-facts';
import { joinUrl, requestJson } from '../target/http-json';
import { fingerprint } from '../redaction/redaction';
import type { Target } from '../target/target';
import { accessClaims, permissionsOf, signHs256 } from './token-source-mint';

export interface ObtainedToken {
  /** null when the source failed (fact.ok false, fact.problem says why). */
  token: string | null;
  fact: TokenSourceFact;
}

export interface ObtainOptions {
  /** Clock in milliseconds; tests freeze it. */
  now?: () => number;
}

/** A static token this close to its exp still works, with a warning: a long run may outlive it. */
export const STATIC_EXPIRY_WARNING_SECONDS = 120;

/** The token's fingerprint in facts: redaction's own, so a fact matches the redacted records. */
export const tokenFingerprint: (token: string) => string = fingerprint;

export async function obtainToken(target: Target, options: ObtainOptions = {}): Promise<ObtainedToken> {
  const now = options.now ?? Date.now;
  const source = target.settings.TOKEN_SOURCE;
  const got = await SOURCES[source](target, now);
  if ('problem' in got) return failed(source, got.problem);
  const expSeconds = expOf(got.token) ?? got.fallbackExp ?? null;
  return {
    token: got.token,
    fact: {
      source,
      ok: true,
      problem: null,
      tokenFingerprint: tokenFingerprint(got.token),
      expiresAt: expSeconds === null ? null : isoOf(expSeconds),
      warning: got.warning ?? null,
    },
  };
}

const cache = new Map<string, Promise<ObtainedToken>>();
/** A cached token this close to expiry is obtained again. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * The target's token, obtained once per worker process (keyed by target name and source),
 * so a test run does not log in once per test. Failures are cached too: they will not heal
 * within a run, and repeating a refused login only adds noise to the target's logs.
 */
export async function tokenOnce(target: Target, options: ObtainOptions = {}): Promise<ObtainedToken> {
  const now = options.now ?? Date.now;
  const key = `${target.name}\u0000${target.settings.TOKEN_SOURCE}`;
  const cached = cache.get(key);
  if (cached) {
    const got = await cached;
    const expiresAt = got.fact.expiresAt ? Date.parse(got.fact.expiresAt) : null;
    if (!got.fact.ok || expiresAt === null || expiresAt - now() > REFRESH_MARGIN_MS) return got;
  }
  const fresh = obtainToken(target, options);
  cache.set(key, fresh);
  return fresh;
}

/** Empties tokenOnce's cache (tests). */
export function forgetTokens(): void {
  cache.clear();
}

type SourceResult = { token: string; fallbackExp?: number; warning?: string } | { problem: string };
type Source = (target: Target, now: () => number) => Promise<SourceResult>;

const loginAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
});
type LoginAnswer = z.infer<typeof loginAnswer>;

const SOURCES: Record<TokenSourceName, Source> = {
  async mint(target, now) {
    const s = target.settings;
    if (!s.JWT_SECRET) return { problem: 'JWT_SECRET is not set' };
    return { token: await signHs256(accessClaims(s, Math.floor(now() / 1000)), s.JWT_SECRET) };
  },

  async 'e2e-endpoint'(target, now) {
    const s = target.settings;
    if (!s.E2E_BYPASS_KEY) return { problem: 'E2E_BYPASS_KEY is not set' };
    const res = await requestJson(joinUrl(target.authUrl, s.E2E_TEST_AUTH_PATH), {
      method: 'POST',
      headers: { 'X-E2E-Bypass-Key': s.E2E_BYPASS_KEY },
      body: { email: s.TEST_USER_EMAIL, name: 'ws-auth-repro', permissions: permissionsOf(s) },
      timeoutMs: s.HTTP_TIMEOUT_MS,
      schema: loginAnswer,
      ca: target.ca,
    });
    const refusals: Record<number, string> = {
      401: 'bypass key rejected: HTTP 401',
      403: 'test auth refused (production?): HTTP 403',
      503: 'auth service has no bypass key configured: HTTP 503',
    };
    return loginResult('e2e test-auth', res, refusals, now);
  },

  async 'dev-login'(target, now) {
    const s = target.settings;
    if (!s.DEV_LOGIN_EMAIL || !s.DEV_LOGIN_PASSWORD) return { problem: 'DEV_LOGIN_EMAIL and DEV_LOGIN_PASSWORD must both be set' };
    const res = await requestJson(joinUrl(target.authUrl, s.DEV_LOGIN_PATH), {
      method: 'POST',
      body: { email: s.DEV_LOGIN_EMAIL, password: s.DEV_LOGIN_PASSWORD },
      timeoutMs: s.HTTP_TIMEOUT_MS,
      schema: loginAnswer,
      ca: target.ca,
    });
    const refusals: Record<number, string> = {
      401: 'dev login credentials rejected: HTTP 401',
      403: 'dev login disabled in this environment: HTTP 403',
    };
    return loginResult('dev login', res, refusals, now);
  },

  async static(target, now) {
    const token = target.settings.STATIC_TOKEN;
    if (!token) return { problem: 'STATIC_TOKEN is not set' };
    let exp: unknown;
    try {
      exp = decodeJwt(token).exp;
    } catch {
      return { problem: 'STATIC_TOKEN is not a JWT' };
    }
    if (typeof exp !== 'number') return { token, warning: 'static token has no exp claim' };
    const leftSeconds = exp - now() / 1000;
    if (leftSeconds <= 0) {
      const minutes = Math.floor(-leftSeconds / 60);
      return { problem: `static token expired at ${isoOf(exp)} (${minutes} minute${minutes === 1 ? '' : 's'} ago)` };
    }
    if (leftSeconds < STATIC_EXPIRY_WARNING_SECONDS) {
      return { token, warning: `static token expires in ${Math.floor(leftSeconds)} s (at ${isoOf(exp)})` };
    }
    return { token };
  },
};

function loginResult(
  label: string,
  res: { status: number | null; data: LoginAnswer | null; problem: string | null },
  refusals: Record<number, string>,
  now: () => number,
): SourceResult {
  const known = res.status === null ? undefined : refusals[res.status];
  if (known) return { problem: known };
  if (res.problem || !res.data) return { problem: `${label}: ${res.problem ?? 'no answer'}` };
  const { access_token, expires_in } = res.data;
  return expires_in === undefined ? { token: access_token } : { token: access_token, fallbackExp: Math.floor(now() / 1000) + expires_in };
}

function failed(source: TokenSourceName, problem: string): ObtainedToken {
  return { token: null, fact: { source, ok: false, problem, tokenFingerprint: null, expiresAt: null, warning: null } };
}

function expOf(token: string): number | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
