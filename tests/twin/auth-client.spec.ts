import http from 'node:http';
import { expect, test } from '@playwright/test';
import { createAuthClient } from '../../twin/auth-client';
import { startAuthService } from '../../twin/auth-service';
import { CONTRACT_FALLBACK_URL, deadFallbackUrl, isDead } from '../../twin/dead-port';
import { mintJwt } from '../../twin/jwt';
import { serve } from '../../twin/server';
import { JWT, SERVICE_ID, SERVICE_SECRET, TIMER_EARLY_MS } from './support/settings';

const token = () => mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
const authOptions = { jwt: JWT, serviceId: SERVICE_ID, serviceSecret: SERVICE_SECRET, e2eBypassKey: null, devLogin: null, environment: 'development' as const, tls: null };

test('with AUTH_SERVICE_URL set it validates through the service and returns the user', async () => {
  const auth = await startAuthService(authOptions);
  try {
    const client = createAuthClient({ authServiceUrl: auth.url, fallbackUrl: CONTRACT_FALLBACK_URL, serviceId: SERVICE_ID, serviceSecret: SERVICE_SECRET });
    expect(await client.validate(await token())).toEqual({ valid: true, userId: 'user-1', email: 'u1@example.com', permissions: ['read'] });
    expect(await client.validate('abc.def.ghi')).toMatchObject({ valid: false, error: 'invalid_token' });
    expect(client.breakerState()).toBe('closed');
  } finally {
    await auth.close();
  }
});

test('unset AUTH_SERVICE_URL: the fallback is provably dead, the health check fails, and 3 failures open the breaker', async () => {
  const fallbackUrl = await deadFallbackUrl();
  const url = new URL(fallbackUrl);
  expect(Number(url.port)).toBeLessThan(32768);
  expect(await isDead('127.0.0.1', Number(url.port))).toBe(true);
  const client = createAuthClient({ authServiceUrl: null, fallbackUrl, serviceId: SERVICE_ID, serviceSecret: SERVICE_SECRET });
  expect(client.baseUrl).toBe(fallbackUrl);
  const errors: string[] = [];
  for (let i = 0; i < 4; i++) {
    const check = await client.validate(await token());
    errors.push(check.valid ? 'valid' : check.error);
  }
  expect(errors).toEqual(['auth_service_unreachable', 'auth_service_unreachable', 'auth_service_unreachable', 'circuit_breaker_open']);
});

test('a health check slower than 0.3 s counts as unreachable', async () => {
  const held: http.ServerResponse[] = [];
  const slow = await serve(http.createServer((_req, res) => held.push(res)), false);
  try {
    const client = createAuthClient({ authServiceUrl: slow.url, fallbackUrl: CONTRACT_FALLBACK_URL, serviceId: SERVICE_ID, serviceSecret: null });
    const started = performance.now();
    expect(await client.validate(await token())).toMatchObject({ valid: false, error: 'auth_service_unreachable' });
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(300 - TIMER_EARLY_MS);
    expect(ms).toBeLessThan(1000);
  } finally {
    await slow.close();
  }
});

test('a validate answer slower than the 1.6 s read timeout is auth_service_timeout', async () => {
  const auth = await startAuthService({ ...authOptions, validateDelayMs: 3000 });
  try {
    const client = createAuthClient({ authServiceUrl: auth.url, fallbackUrl: CONTRACT_FALLBACK_URL, serviceId: SERVICE_ID, serviceSecret: SERVICE_SECRET });
    const started = performance.now();
    expect(await client.validate(await token())).toMatchObject({ valid: false, error: 'auth_service_timeout', message: 'read timeout after 1600 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1600 - TIMER_EARLY_MS);
  } finally {
    await auth.close();
  }
});
