import { expect, test } from '@playwright/test';
import { generate } from 'selfsigned';
import type { ConfigFacts, DependenciesFact } from '../../../helpers/records/config-facts';
import { gatherConfigFacts } from '../../../helpers/channels/config-verification';
import { forgeTokens } from '../../../helpers/tokens/forged-tokens';
import { obtainToken, tokenFingerprint } from '../../../helpers/tokens/token-sources';
import {
  deadPort,
  makeTarget,
  type Reply,
  SERVICE_SECRET,
  startAuthService,
  startBackend,
  startServer,
  type TestServer,
} from '../../support/token-test-servers';

const AUTH_LISTED = { status: 200, body: { checks: [{ name: 'database', status: 'healthy' }, { name: 'Auth Service', status: 'healthy' }] } };

let servers: TestServer[] = [];
async function up<T extends TestServer>(s: Promise<T>): Promise<T> {
  const server = await s;
  servers.push(server);
  return server;
}
test.afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Frontend (health only), backend and auth service, each a real server on loopback. */
async function stack(o: { auth?: Parameters<typeof startAuthService>[0]; dependencies?: Reply; env?: Record<string, string> } = {}) {
  const frontend = await up(startServer((r) => (r.path === '/health' ? { status: 200, body: 'ok', headers: { server: 'nginx' } } : { status: 404 })));
  const backend = await up(startBackend(o.dependencies ?? AUTH_LISTED));
  const auth = await up(startAuthService(o.auth ?? {}));
  const target = makeTarget({ frontend: frontend.url, backend: backend.url, auth: auth.url }, o.env);
  const obtained = await obtainToken(target);
  const bad = (await forgeTokens(target, obtained.token)).find((f) => f.variant === 'bad-signature')?.token ?? '';
  return { frontend, backend, auth, target, obtained, bad };
}

function expectNoTokens(facts: ConfigFacts, tokens: string[]) {
  const json = JSON.stringify(facts);
  for (const t of tokens) expect(json).not.toContain(t);
}

test('healthy stack with enforced service secret: every fact, exactly', async () => {
  const { frontend, backend, auth, target, obtained, bad } = await stack({ auth: { serviceSecret: SERVICE_SECRET }, env: { SERVICE_SECRET } });
  const facts = await gatherConfigFacts(target, obtained, { invalidToken: bad });
  const zeroMs = <T extends { ms: number }>(xs: T[]) => xs.map((x) => ({ ...x, ms: 0 }));
  expect(zeroMs(facts.health)).toEqual([
    { service: 'frontend', url: `${frontend.url}/health`, status: 200, ok: true, problem: null, serverHeader: 'nginx', ms: 0 },
    { service: 'backend', url: `${backend.url}/health`, status: 200, ok: true, problem: null, serverHeader: 'uvicorn', ms: 0 },
    { service: 'auth', url: `${auth.url}/health`, status: 200, ok: true, problem: null, serverHeader: 'uvicorn', ms: 0 },
  ]);
  const url = `${auth.url}/auth/validate`;
  const fp = tokenFingerprint(obtained.token ?? '');
  expect(zeroMs(facts.validation)).toEqual([
    { tokenVariant: 'valid', tokenFingerprint: fp, url, httpStatus: 200, valid: true, error: null, ms: 0 },
    { tokenVariant: 'wrong-service-secret', tokenFingerprint: fp, url, httpStatus: 200, valid: false, error: 'invalid_service_secret', ms: 0 },
    { tokenVariant: 'bad-signature', tokenFingerprint: tokenFingerprint(bad), url, httpStatus: 200, valid: false, error: 'invalid_token', ms: 0 },
  ]);
  expect(facts.dependencies).toEqual({
    url: `${backend.url}/api/system/dependencies/status`,
    httpStatus: 200,
    authServiceListed: true,
    authServiceHealthy: true,
    problem: null,
  } satisfies DependenciesFact);
  expect(facts.tokenSource).toBe(obtained.fact);
  // The validate calls carry the backend's identity, the real secret, then the wrong one.
  const validates = auth.seen.filter((r) => r.path === '/auth/validate');
  expect(validates.map((r) => [r.headers['x-service-id'], r.headers['x-service-secret'] === SERVICE_SECRET])).toEqual(
    expect.arrayContaining([
      ['netra-backend', true],
      ['netra-backend', false],
    ]),
  );
  expect(validates.map((r) => r.body)).toContainEqual({ token: obtained.token, token_type: 'access' });
  expectNoTokens(facts, [obtained.token ?? '', bad, SERVICE_SECRET]);
});

test('an auth service that ignores caller secrets says valid to the wrong one', async () => {
  const { target, obtained } = await stack({ env: { SERVICE_SECRET } });
  const facts = await gatherConfigFacts(target, obtained);
  expect(facts.validation.map((v) => [v.tokenVariant, v.valid, v.error])).toEqual([
    ['valid', true, null],
    ['wrong-service-secret', true, null],
  ]);
});

test('without SERVICE_SECRET: no X-Service-Secret sent and no wrong-secret probe', async () => {
  const { target, obtained, auth } = await stack();
  const facts = await gatherConfigFacts(target, obtained);
  expect(facts.validation.map((v) => v.tokenVariant)).toEqual(['valid']);
  expect(auth.seen.filter((r) => r.path === '/auth/validate').map((r) => r.headers['x-service-secret'])).toEqual([undefined]);
});

test('the auth service rejecting our own token (stale secret) is a fact: valid false, invalid_token', async () => {
  const { target, obtained } = await stack({ auth: { secret: 'another-secret-the-auth-service-uses-0000' } });
  const facts = await gatherConfigFacts(target, obtained);
  expect(facts.validation.map((v) => [v.tokenVariant, v.httpStatus, v.valid, v.error])).toEqual([['valid', 200, false, 'invalid_token']]);
});

test('no token obtained: no validation, the failed source is carried through', async () => {
  const { target } = await stack();
  const noSecret = { ...target, settings: { ...target.settings, JWT_SECRET: undefined } };
  const obtained = await obtainToken(noSecret);
  const facts = await gatherConfigFacts(noSecret, obtained);
  expect(facts.validation).toEqual([]);
  expect(facts.tokenSource.problem).toBe('JWT_SECRET is not set');
});

test('auth service down: health and validation both say ECONNREFUSED, nothing throws', async () => {
  const frontend = await up(startServer(() => ({ status: 200, body: 'ok' })));
  const backend = await up(startBackend({ status: 200, body: { checks: [] } }));
  const target = makeTarget({ frontend: frontend.url, backend: backend.url, auth: `http://127.0.0.1:${await deadPort()}` });
  const obtained = await obtainToken(target);
  const facts = await gatherConfigFacts(target, obtained);
  expect(facts.health.map((h) => [h.service, h.ok, h.status, h.problem])).toEqual([
    ['frontend', true, 200, null],
    ['backend', true, 200, null],
    ['auth', false, null, 'ECONNREFUSED'],
  ]);
  expect(facts.validation.map((v) => [v.tokenVariant, v.httpStatus, v.valid, v.error])).toEqual([['valid', null, null, 'ECONNREFUSED']]);
  expect(facts.dependencies?.authServiceListed).toBe(false);
});

test('a backend that never answers: timed out after HTTP_TIMEOUT_MS, and the whole gathering ends within its deadline', async () => {
  const hang = await up(startServer(() => undefined));
  const auth = await up(startAuthService({}));
  const target = makeTarget({ frontend: hang.url, backend: hang.url, auth: auth.url }, { HTTP_TIMEOUT_MS: '400' });
  const obtained = await obtainToken(target);
  const started = Date.now();
  const facts = await gatherConfigFacts(target, obtained);
  // Calls run in parallel: the total is about one timeout, not three.
  expect(Date.now() - started).toBeLessThan(1400);
  expect(facts.health.map((h) => [h.service, h.problem])).toEqual([
    ['frontend', 'timed out after 400 ms'],
    ['backend', 'timed out after 400 ms'],
    ['auth', null],
  ]);
  expect(facts.dependencies).toMatchObject({ httpStatus: null, authServiceListed: null, authServiceHealthy: null, problem: 'timed out after 400 ms' });
});

test('https auth service: trusted through target.ca', async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
  const tls = await up(startServer((r) => (r.path === '/health' ? { status: 200, body: { status: 'healthy' } } : { status: 404 }), { key: pems.private, cert: pems.cert }));
  const env = { DEPENDENCIES_STATUS_PATH: '' };
  const withCa = makeTarget({ auth: tls.url }, env, pems.cert);
  const withoutCa = makeTarget({ auth: tls.url }, env);
  const failed = await obtainToken(withCa);
  const [trusted, untrusted] = await Promise.all([gatherConfigFacts(withCa, failed), gatherConfigFacts(withoutCa, failed)]);
  expect(trusted.health.find((h) => h.service === 'auth')?.ok).toBe(true);
  expect(untrusted.health.find((h) => h.service === 'auth')?.problem).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  expect(trusted.dependencies).toBeNull();
});

// --- dependency status shapes -------------------------------------------------------------------
const dependencyRows: Array<{ title: string; reply: Reply; listed: boolean | null; healthy: boolean | null; httpStatus: number; problem: string | null }> = [
  { title: 'array of checks, healthy', reply: { status: 200, body: [{ name: 'auth service', status: 'ok' }] }, listed: true, healthy: true, httpStatus: 200, problem: null },
  { title: 'nested checks, unhealthy', reply: { status: 200, body: { checks: [{ name: 'Auth Service', status: 'unhealthy' }] } }, listed: true, healthy: false, httpStatus: 200, problem: null },
  { title: 'object keyed by name', reply: { status: 200, body: { dependencies: { database: { healthy: true }, auth_service: { healthy: false } } } }, listed: true, healthy: false, httpStatus: 200, problem: null },
  { title: 'keyed by name, bare status word', reply: { status: 200, body: { 'Auth-Service': 'up' } }, listed: true, healthy: true, httpStatus: 200, problem: null },
  { title: '"service" field, ok flag', reply: { status: 200, body: { services: [{ service: 'AuthService', ok: true }] } }, listed: true, healthy: true, httpStatus: 200, problem: null },
  { title: 'listed with an unknown status word', reply: { status: 200, body: [{ name: 'Auth Service', status: 'warming' }] }, listed: true, healthy: null, httpStatus: 200, problem: null },
  { title: 'not listed (AUTH_SERVICE_URL unset)', reply: { status: 200, body: { checks: [{ name: 'database', status: 'healthy' }] } }, listed: false, healthy: null, httpStatus: 200, problem: null },
  { title: '503 with a readable body', reply: { status: 503, body: { checks: [{ name: 'Auth Service', status: 'down' }] } }, listed: true, healthy: false, httpStatus: 503, problem: 'HTTP 503' },
  { title: 'endpoint absent', reply: { status: 404, body: '<h1>Not Found</h1>' }, listed: null, healthy: null, httpStatus: 404, problem: 'HTTP 404' },
  // uvicorn's own 404 is JSON: it must not read as "no auth service listed" (a backend without the endpoint is not #631).
  { title: 'endpoint absent, JSON 404 body', reply: { status: 404, body: { detail: 'Not Found' } }, listed: null, healthy: null, httpStatus: 404, problem: 'HTTP 404' },
  {
    title: 'malformed answer',
    reply: { status: 200, body: '"just a string"' },
    listed: null,
    healthy: null,
    httpStatus: 200,
    problem: 'unexpected answer: (root): Invalid input',
  },
];
for (const row of dependencyRows) {
  test(`dependencies: ${row.title}`, async () => {
    const backend = await up(startBackend(row.reply));
    const target = makeTarget({ backend: backend.url });
    const facts = await gatherConfigFacts(target, await obtainToken(target));
    expect(facts.dependencies).toEqual({
      url: `${backend.url}/api/system/dependencies/status`,
      httpStatus: row.httpStatus,
      authServiceListed: row.listed,
      authServiceHealthy: row.healthy,
      problem: row.problem,
    });
  });
}
