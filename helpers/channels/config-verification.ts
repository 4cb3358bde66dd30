// What the target says about itself before any handshake: health of the three services,
// the auth service's own verdict on our tokens, and whether the backend lists an auth
// service among its dependencies. These are the diagnosis's differential baseline
// ("the auth service accepts this token, the backend refuses it"). Never throws for
// target trouble: every fact carries its own problem.
import { z } from 'zod';
import type { ConfigFacts, DependenciesFact, HealthFact, ServiceName, ValidationFact } from '../records/config-facts';
import { joinUrl, requestJson } from '../target/http-json';
import type { Target } from '../target/target';
import { type ObtainedToken, tokenFingerprint } from '../tokens/token-sources';

export interface ExtraTokens {
  /** A token the auth service must call invalid (e.g. a forged bad-signature one). */
  invalidToken?: string;
  /** Its variant name in the facts; default 'bad-signature'. */
  invalidVariant?: string;
}

/** Sent as X-Service-Secret to learn whether the auth service checks it at all. */
export const WRONG_SERVICE_SECRET = 'ws-auth-repro-deliberately-wrong-service-secret';

export async function gatherConfigFacts(target: Target, obtained: ObtainedToken, extra: ExtraTokens = {}): Promise<ConfigFacts> {
  const s = target.settings;
  const health = Promise.all([
    checkHealth(target, 'frontend', joinUrl(target.frontendUrl, s.FRONTEND_HEALTH_PATH)),
    checkHealth(target, 'backend', joinUrl(target.backendUrl, s.BACKEND_HEALTH_PATH)),
    checkHealth(target, 'auth', joinUrl(target.authUrl, s.AUTH_HEALTH_PATH)),
  ]);

  const validations: Array<Promise<ValidationFact>> = [];
  if (obtained.token !== null) {
    validations.push(validate(target, 'valid', obtained.token, s.SERVICE_SECRET));
    if (s.SERVICE_SECRET) validations.push(validate(target, 'wrong-service-secret', obtained.token, WRONG_SERVICE_SECRET));
  }
  if (extra.invalidToken !== undefined) {
    validations.push(validate(target, extra.invalidVariant ?? 'bad-signature', extra.invalidToken, s.SERVICE_SECRET));
  }

  const dependencies = s.DEPENDENCIES_STATUS_PATH ? checkDependencies(target, joinUrl(target.backendUrl, s.DEPENDENCIES_STATUS_PATH)) : null;

  return {
    health: await health,
    tokenSource: obtained.fact,
    validation: await Promise.all(validations),
    dependencies: await dependencies,
  };
}

async function checkHealth(target: Target, service: ServiceName, url: string): Promise<HealthFact> {
  const res = await requestJson(url, { timeoutMs: target.settings.HTTP_TIMEOUT_MS, schema: z.unknown(), ca: target.ca });
  const ok = res.status !== null && res.status >= 200 && res.status < 300;
  return { service, url, status: res.status, ok, problem: ok ? null : res.problem, serverHeader: res.serverHeader, ms: res.ms };
}

const validateAnswer = z.discriminatedUnion('valid', [
  z.looseObject({ valid: z.literal(true), user_id: z.string().optional() }),
  z.looseObject({ valid: z.literal(false), error: z.string(), message: z.string().optional() }),
]);

async function validate(target: Target, variant: string, token: string, serviceSecret: string | undefined): Promise<ValidationFact> {
  const s = target.settings;
  const url = joinUrl(target.authUrl, s.AUTH_VALIDATE_PATH);
  const headers: Record<string, string> = { 'X-Service-ID': s.SERVICE_ID };
  if (serviceSecret) headers['X-Service-Secret'] = serviceSecret;
  const res = await requestJson(url, {
    method: 'POST',
    headers,
    body: { token, token_type: 'access' },
    timeoutMs: s.HTTP_TIMEOUT_MS,
    schema: validateAnswer,
    ca: target.ca,
  });
  const fingerprint = token ? tokenFingerprint(token) : null;
  const fact = { tokenVariant: variant, tokenFingerprint: fingerprint, url, httpStatus: res.status, ms: res.ms };
  // The contract answers 200 either way; a valid:false body under another status still says why.
  if (res.data) return { ...fact, valid: res.data.valid, error: res.data.valid ? null : res.data.error };
  return { ...fact, valid: null, error: res.problem };
}

// --- dependencies -----------------------------------------------------------------------------
// Shapes vary between backends, so the walk is liberal: an array of named checks, an object
// keyed by check name, or either nested one level under a key such as `checks`.

const dependenciesAnswer = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);
const namedEntry = z.looseObject({ name: z.string() }).or(z.looseObject({ service: z.string() })).or(z.looseObject({ id: z.string() }));
const statusEntry = z.union([
  z.boolean(),
  z.string(),
  z.looseObject({ healthy: z.boolean() }),
  z.looseObject({ ok: z.boolean() }),
  z.looseObject({ status: z.string() }),
  z.looseObject({ state: z.string() }),
]);

const HEALTHY_WORDS = new Set(['healthy', 'ok', 'up', 'pass', 'passed', 'available', 'connected', 'ready']);
const UNHEALTHY_WORDS = new Set(['unhealthy', 'down', 'fail', 'failed', 'error', 'unavailable', 'degraded', 'unreachable', 'timeout']);
const MAX_DEPTH = 3;

async function checkDependencies(target: Target, url: string): Promise<DependenciesFact> {
  const res = await requestJson(url, { timeoutMs: target.settings.HTTP_TIMEOUT_MS, schema: dependenciesAnswer, ca: target.ca });
  // A degraded backend may answer 503 with the same body: the body still tells. A 4xx says there
  // is no such endpoint here (or it is not ours to read): its body (`{"detail":"Not Found"}`) lists
  // nothing, and must not read as "no auth service listed".
  const clientError = res.status !== null && res.status >= 400 && res.status < 500;
  if (res.data === null || clientError) {
    return { url, httpStatus: res.status, authServiceListed: null, authServiceHealthy: null, problem: res.problem ?? `HTTP ${res.status}: no dependency status here` };
  }
  const entry = findAuthEntry(res.data, 0);
  return {
    url,
    httpStatus: res.status,
    authServiceListed: entry !== undefined,
    authServiceHealthy: entry === undefined ? null : healthOf(entry),
    problem: res.problem,
  };
}

/** "Auth Service", "auth_service", "auth-service-health" all match. */
export function isAuthServiceName(name: string): boolean {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '').includes('authservice');
}

function findAuthEntry(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return undefined;
  if (!Array.isArray(value)) {
    const named = namedEntry.safeParse(value);
    if (named.success && isAuthServiceName(nameOf(named.data))) return value;
    for (const [key, v] of Object.entries(value)) if (isAuthServiceName(key)) return v;
  }
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const found = findAuthEntry(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function nameOf(entry: { name: string } | { service: string } | { id: string }): string {
  if ('name' in entry) return entry.name;
  if ('service' in entry) return entry.service;
  return entry.id;
}

function healthOf(entry: unknown): boolean | null {
  const parsed = statusEntry.safeParse(entry);
  if (!parsed.success) return null;
  const v = parsed.data;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return wordHealth(v);
  if ('healthy' in v && typeof v.healthy === 'boolean') return v.healthy;
  if ('ok' in v && typeof v.ok === 'boolean') return v.ok;
  if ('status' in v && typeof v.status === 'string') return wordHealth(v.status);
  if ('state' in v && typeof v.state === 'string') return wordHealth(v.state);
  return null;
}

function wordHealth(word: string): boolean | null {
  const w = word.trim().toLowerCase();
  if (HEALTHY_WORDS.has(w)) return true;
  if (UNHEALTHY_WORDS.has(w)) return false;
  return null;
}
