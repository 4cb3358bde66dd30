import { expect, test } from '@playwright/test';
import { startAuthService } from '../../twin/auth-service';
import { mintJwt } from '../../twin/jwt';
import type { Served } from '../../twin/server';
import { BYPASS_KEY, DEV_LOGIN, getJson, JWT, postJson, SERVICE_ID, SERVICE_SECRET } from './support/settings';

const base = { jwt: JWT, serviceId: SERVICE_ID, serviceSecret: SERVICE_SECRET, e2eBypassKey: BYPASS_KEY, devLogin: DEV_LOGIN, environment: 'development' as const, tls: null };
let auth: Served;
let token: string;
test.beforeAll(async () => {
  auth = await startAuthService(base);
  token = await mintJwt(JWT, { sub: 'user-7', email: 'u7@example.com', permissions: ['read'], lifetimeSeconds: 600 });
});
test.afterAll(async () => auth.close());

test('health answers on /health and /auth/health with an app Server header', async () => {
  for (const path of ['/health', '/auth/health']) {
    const res = await getJson(auth.url + path);
    expect([res.status, res.server, res.json.status]).toEqual([200, 'uvicorn', 'healthy']);
  }
});

test('validate accepts a valid token from the right service', async () => {
  const res = await postJson(`${auth.url}/auth/validate`, { token, token_type: 'access' }, { 'x-service-id': SERVICE_ID, 'x-service-secret': SERVICE_SECRET });
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({ valid: true, user_id: 'user-7', email: 'u7@example.com', permissions: ['read'] });
  expect(typeof res.json.expires_at).toBe('string');
});

const refusals: Array<[string, () => unknown, Record<string, string>, string]> = [
  ['a garbage token', () => ({ token: 'abc.def.ghi' }), {}, 'invalid_token'],
  ['no token', () => ({ token_type: 'access' }), {}, 'missing_token'],
  ['an empty token', () => ({ token: '' }), {}, 'missing_token'],
  ['an unknown service id', () => ({ token }), { 'x-service-id': 'someone' }, 'invalid_service_id'],
  ['a wrong service secret', () => ({ token }), { 'x-service-id': SERVICE_ID, 'x-service-secret': 'wrong-secret' }, 'invalid_service_secret'],
];
for (const [name, body, headers, error] of refusals) {
  test(`validate answers 200 valid=false ${error} for ${name}`, async () => {
    const res = await postJson(`${auth.url}/auth/validate`, body(), headers);
    expect([res.status, res.json.valid, res.json.error]).toEqual([200, false, error]);
    expect(typeof res.json.message).toBe('string');
  });
}

test('validate answers service_not_configured when a caller sends a secret the service does not have', async () => {
  const bare = await startAuthService({ ...base, serviceSecret: null });
  try {
    const res = await postJson(`${bare.url}/auth/validate`, { token }, { 'x-service-secret': 'anything' });
    expect([res.status, res.json.valid, res.json.error]).toEqual([200, false, 'service_not_configured']);
  } finally {
    await bare.close();
  }
});

test('e2e/test-auth issues Bearer tokens for the bypass key that the service then validates', async () => {
  const res = await postJson(`${auth.url}/auth/e2e/test-auth`, { email: 'e2e@example.com', name: 'E2E', permissions: ['read'] }, { 'x-e2e-bypass-key': BYPASS_KEY });
  expect([res.status, res.json.token_type, res.json.expires_in]).toEqual([200, 'Bearer', 900]);
  const check = await postJson(`${auth.url}/auth/validate`, { token: res.json.access_token });
  expect([check.json.valid, check.json.email]).toEqual([true, 'e2e@example.com']);
  const refresh = await postJson(`${auth.url}/auth/validate`, { token: res.json.refresh_token });
  expect([refresh.json.valid, refresh.json.error]).toEqual([false, 'invalid_token']);
});

test('e2e/test-auth: 401 for a wrong or missing key, 503 when none is configured, 403 in production', async () => {
  expect((await postJson(`${auth.url}/auth/e2e/test-auth`, {}, { 'x-e2e-bypass-key': 'wrong-key' })).status).toBe(401);
  expect((await postJson(`${auth.url}/auth/e2e/test-auth`, {})).status).toBe(401);
  const noKey = await startAuthService({ ...base, e2eBypassKey: null });
  const prod = await startAuthService({ ...base, environment: 'production' });
  try {
    expect((await postJson(`${noKey.url}/auth/e2e/test-auth`, {}, { 'x-e2e-bypass-key': BYPASS_KEY })).status).toBe(503);
    expect((await postJson(`${prod.url}/auth/e2e/test-auth`, {}, { 'x-e2e-bypass-key': BYPASS_KEY })).status).toBe(403);
  } finally {
    await Promise.all([noKey.close(), prod.close()]);
  }
});

test('dev login: tokens for the configured credentials, 401 otherwise, 403 outside development', async () => {
  const ok = await postJson(`${auth.url}/auth/dev/login`, DEV_LOGIN);
  expect([ok.status, ok.json.token_type, ok.json.expires_in]).toEqual([200, 'Bearer', 1800]);
  expect((await postJson(`${auth.url}/auth/validate`, { token: ok.json.access_token })).json.valid).toBe(true);
  expect((await postJson(`${auth.url}/auth/dev/login`, { ...DEV_LOGIN, password: 'wrong-password' })).status).toBe(401);
  const staging = await startAuthService({ ...base, environment: 'staging' });
  try {
    expect((await postJson(`${staging.url}/auth/dev/login`, DEV_LOGIN)).status).toBe(403);
  } finally {
    await staging.close();
  }
});
