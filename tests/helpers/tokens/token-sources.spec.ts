import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import type { TokenSourceFact } from '../../../helpers/records/config-facts';
import { TEST_USER_ID } from '../../../helpers/tokens/token-source-mint';
import { forgetTokens, type ObtainedToken, obtainToken, tokenFingerprint, tokenOnce } from '../../../helpers/tokens/token-sources';
import {
  BYPASS_KEY,
  DEV_EMAIL,
  DEV_PASSWORD,
  deadPort,
  makeTarget,
  SECRET,
  startAuthService,
  startServer,
  type TestServer,
} from '../../support/token-test-servers';

// A frozen clock: expiry texts and claims are exact.
const NOW_MS = Date.UTC(2030, 0, 2, 3, 4, 5);
const now = () => NOW_MS;
const NOW_S = NOW_MS / 1000;

const secretKey = new TextEncoder().encode(SECRET);
const staticToken = (exp: number | null) => {
  const jwt = new SignJWT({ sub: 'op' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(NOW_S - 60);
  return (exp === null ? jwt : jwt.setExpirationTime(exp)).sign(secretKey);
};

/** A fact must never hold the token or any secret, only the fingerprint. */
function expectNoSecrets(got: ObtainedToken, extra: string[] = []) {
  const json = JSON.stringify(got.fact);
  for (const s of [SECRET, BYPASS_KEY, DEV_PASSWORD, ...extra, ...(got.token ? [got.token] : [])]) expect(json).not.toContain(s);
}

test.describe('mint', () => {
  test('signs HS256 with the env secret and exactly the contract claims', async () => {
    const got = await obtainToken(makeTarget({}, { TEST_USER_PERMISSIONS: 'read, write,admin', JWT_LIFETIME_SECONDS: '1800' }), { now });
    const token = got.token ?? '';
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, secretKey, { currentDate: new Date(NOW_MS), issuer: 'netra-auth-service', audience: 'netra-platform' });
    expect(payload).toEqual({
      sub: TEST_USER_ID,
      iat: NOW_S,
      exp: NOW_S + 1800,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iss: 'netra-auth-service',
      aud: 'netra-platform',
      token_type: 'access',
      env: 'staging',
      email: 'ws-auth-repro@example.com',
      permissions: ['read', 'write', 'admin'],
    });
    expect(got.fact).toEqual({
      source: 'mint',
      ok: true,
      problem: null,
      tokenFingerprint: tokenFingerprint(token),
      expiresAt: '2030-01-02T03:34:05.000Z',
      warning: null,
    } satisfies TokenSourceFact);
    expectNoSecrets(got);
  });

  test('two mints differ by jti', async () => {
    const target = makeTarget({});
    const [a, b] = await Promise.all([obtainToken(target, { now }), obtainToken(target, { now })]);
    expect(decodeJwt(a.token ?? '').jti).not.toBe(decodeJwt(b.token ?? '').jti);
  });

  test('without JWT_SECRET: "JWT_SECRET is not set"', async () => {
    const target = makeTarget({});
    const got = await obtainToken({ ...target, settings: { ...target.settings, JWT_SECRET: undefined } });
    expect(got).toEqual({ token: null, fact: { source: 'mint', ok: false, problem: 'JWT_SECRET is not set', tokenFingerprint: null, expiresAt: null, warning: null } });
  });
});

test.describe('login endpoints', () => {
  const servers: TestServer[] = [];
  const auth = async (o: Parameters<typeof startAuthService>[0]) => {
    const s = await startAuthService(o);
    servers.push(s);
    return s;
  };
  test.afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  test('e2e-endpoint: POSTs the bypass key and the test user, and returns the issued token', async () => {
    const server = await auth({});
    const got = await obtainToken(makeTarget({ auth: server.url }, { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY, TEST_USER_PERMISSIONS: 'read' }));
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatchObject({
      method: 'POST',
      path: '/auth/e2e/test-auth',
      headers: { 'x-e2e-bypass-key': BYPASS_KEY },
      body: { email: 'ws-auth-repro@example.com', name: 'ws-auth-repro', permissions: ['read'] },
    });
    const exp = decodeJwt(got.token ?? '').exp ?? 0;
    expect(got.fact).toEqual({
      source: 'e2e-endpoint',
      ok: true,
      problem: null,
      tokenFingerprint: tokenFingerprint(got.token ?? ''),
      expiresAt: new Date(exp * 1000).toISOString(),
      warning: null,
    });
    expectNoSecrets(got);
  });

  test('dev-login: POSTs email and password, and returns the issued token', async () => {
    const server = await auth({ devLogin: true });
    const got = await obtainToken(
      makeTarget({ auth: server.url }, { TOKEN_SOURCE: 'dev-login', DEV_LOGIN_EMAIL: DEV_EMAIL, DEV_LOGIN_PASSWORD: DEV_PASSWORD }),
    );
    expect(server.seen[0]).toMatchObject({ method: 'POST', path: '/auth/dev/login', body: { email: DEV_EMAIL, password: DEV_PASSWORD } });
    expect(decodeJwt(got.token ?? '').email).toBe(DEV_EMAIL);
    expect([got.fact.ok, got.fact.problem]).toEqual([true, null]);
    expectNoSecrets(got);
  });

  const failures: Array<{ title: string; server: Parameters<typeof startAuthService>[0]; env: Record<string, string>; problem: string }> = [
    { title: 'wrong bypass key', server: {}, env: { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: 'not-the-key-123' }, problem: 'bypass key rejected: HTTP 401' },
    {
      title: 'no bypass key configured',
      server: { bypassKey: null },
      env: { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY },
      problem: 'auth service has no bypass key configured: HTTP 503',
    },
    {
      title: 'production refuses test auth',
      server: { production: true },
      env: { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY },
      problem: 'test auth refused (production?): HTTP 403',
    },
    {
      title: 'dev login disabled',
      server: { devLogin: false },
      env: { TOKEN_SOURCE: 'dev-login', DEV_LOGIN_EMAIL: DEV_EMAIL, DEV_LOGIN_PASSWORD: DEV_PASSWORD },
      problem: 'dev login disabled in this environment: HTTP 403',
    },
    {
      title: 'dev login wrong password',
      server: { devLogin: true },
      env: { TOKEN_SOURCE: 'dev-login', DEV_LOGIN_EMAIL: DEV_EMAIL, DEV_LOGIN_PASSWORD: 'wrong-password' },
      problem: 'dev login credentials rejected: HTTP 401',
    },
  ];
  for (const row of failures) {
    test(`${row.title}: "${row.problem}"`, async () => {
      const server = await auth(row.server);
      const got = await obtainToken(makeTarget({ auth: server.url }, row.env));
      expect(got).toEqual({
        token: null,
        fact: { source: row.env.TOKEN_SOURCE, ok: false, problem: row.problem, tokenFingerprint: null, expiresAt: null, warning: null },
      });
      expectNoSecrets(got, ['wrong-password', 'not-the-key-123']);
    });
  }

  test('an answer without access_token is an unexpected answer', async () => {
    const server = await startServer(() => ({ status: 200, body: { token: 'x' } }));
    servers.push(server);
    const got = await obtainToken(makeTarget({ auth: server.url }, { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY }));
    expect(got.fact.problem).toBe('e2e test-auth: unexpected answer: access_token: Invalid input: expected string, received undefined');
  });

  test('another status is reported as it is', async () => {
    const server = await startServer(() => ({ status: 500, body: 'Internal Server Error' }));
    servers.push(server);
    const got = await obtainToken(makeTarget({ auth: server.url }, { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY }));
    expect(got.fact.problem).toBe('e2e test-auth: HTTP 500');
  });

  test('an auth service that never answers: "timed out after N ms" within the deadline', async () => {
    const server = await startServer(() => undefined);
    servers.push(server);
    const started = Date.now();
    const got = await obtainToken(makeTarget({ auth: server.url }, { TOKEN_SOURCE: 'dev-login', DEV_LOGIN_EMAIL: DEV_EMAIL, DEV_LOGIN_PASSWORD: DEV_PASSWORD, HTTP_TIMEOUT_MS: '400' }));
    expect(got.fact.problem).toBe('dev login: timed out after 400 ms');
    expect(Date.now() - started).toBeLessThan(1400);
  });

  test('nothing listening: ECONNREFUSED', async () => {
    const got = await obtainToken(
      makeTarget({ auth: `http://127.0.0.1:${await deadPort()}` }, { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY }),
    );
    expect(got.fact.problem).toBe('e2e test-auth: ECONNREFUSED');
  });
});

test.describe('static', () => {
  const rows: Array<{ title: string; token: () => Promise<string>; ok: boolean; problem: string | null; warning: string | null; expiresAt: string | null }> = [
    { title: 'valid for an hour', token: () => staticToken(NOW_S + 3600), ok: true, problem: null, warning: null, expiresAt: '2030-01-02T04:04:05.000Z' },
    {
      title: 'expiring in 90 s',
      token: () => staticToken(NOW_S + 90),
      ok: true,
      problem: null,
      warning: 'static token expires in 90 s (at 2030-01-02T03:05:35.000Z)',
      expiresAt: '2030-01-02T03:05:35.000Z',
    },
    {
      title: 'expired 125 minutes ago',
      token: () => staticToken(NOW_S - 125 * 60 - 30),
      ok: false,
      problem: 'static token expired at 2030-01-02T00:58:35.000Z (125 minutes ago)',
      warning: null,
      expiresAt: null,
    },
    {
      title: 'expired 1 minute ago',
      token: () => staticToken(NOW_S - 61),
      ok: false,
      problem: 'static token expired at 2030-01-02T03:03:04.000Z (1 minute ago)',
      warning: null,
      expiresAt: null,
    },
    { title: 'not a JWT', token: async () => 'opaque-session-token-42', ok: false, problem: 'STATIC_TOKEN is not a JWT', warning: null, expiresAt: null },
    { title: 'without exp', token: () => staticToken(null), ok: true, problem: null, warning: 'static token has no exp claim', expiresAt: null },
  ];
  for (const row of rows) {
    test(`static token ${row.title}`, async () => {
      const token = await row.token();
      const got = await obtainToken(makeTarget({}, { TOKEN_SOURCE: 'static', STATIC_TOKEN: token }), { now });
      expect(got).toEqual({
        token: row.ok ? token : null,
        fact: { source: 'static', ok: row.ok, problem: row.problem, tokenFingerprint: row.ok ? tokenFingerprint(token) : null, expiresAt: row.expiresAt, warning: row.warning },
      });
      expectNoSecrets(got, [token]);
    });
  }
});

test('a fingerprint is ‹fp:› + the first 8 hex of the sha256: told apart, not replayable', () => {
  const sha = (t: string) => createHash('sha256').update(t).digest('hex').slice(0, 8);
  expect(tokenFingerprint('a.b.c')).toBe(`‹fp:${sha('a.b.c')}›`);
  expect(tokenFingerprint('a.b.c')).not.toBe(tokenFingerprint('a.b.d'));
});

test.describe('tokenOnce', () => {
  test.beforeEach(() => forgetTokens());

  test('logs in once per target and source, however many tests ask', async () => {
    const server = await startAuthService({});
    try {
      const env = { TOKEN_SOURCE: 'e2e-endpoint', E2E_BYPASS_KEY: BYPASS_KEY };
      const a = makeTarget({ auth: server.url }, env);
      const [first, second, third] = await Promise.all([tokenOnce(a), tokenOnce(a), tokenOnce(a)]);
      expect(server.seen).toHaveLength(1);
      expect(second.token).toBe(first.token);
      expect(third.token).toBe(first.token);
      await tokenOnce({ ...a, name: 'other-env' });
      expect(server.seen).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  test('obtains again when the cached token is about to expire', async () => {
    const target = makeTarget({}, { JWT_LIFETIME_SECONDS: '300' });
    const first = await tokenOnce(target, { now });
    expect(await tokenOnce(target, { now: () => NOW_MS + 200_000 })).toBe(first);
    const renewed = await tokenOnce(target, { now: () => NOW_MS + 250_000 });
    expect(renewed).not.toBe(first);
    expect(renewed.fact.expiresAt).toBe(new Date(NOW_MS + 250_000 + 300_000).toISOString());
  });
});
