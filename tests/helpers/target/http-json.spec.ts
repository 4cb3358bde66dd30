import { expect, test } from '@playwright/test';
import { generate } from 'selfsigned';
import { z } from 'zod';
import { joinUrl, requestJson } from '../../../helpers/target/http-json';
import { deadPort, startServer, type TestServer } from '../../support/token-test-servers';
import { TIMER_EARLY_MS } from '../../support/timer-slack';

const answer = z.object({ access_token: z.string(), expires_in: z.number() });

test.describe('requestJson', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await startServer((req) => {
      switch (req.path) {
        case '/ok':
          return { status: 200, body: { access_token: 'abc', expires_in: 900 }, headers: { server: 'uvicorn' } };
        case '/echo':
          return { status: 200, body: { access_token: JSON.stringify(req.body), expires_in: 1 } };
        case '/wrong-shape':
          return { status: 200, body: { token: 'abc', expires_in: '900' } };
        case '/html':
          return { status: 200, body: '<html>hello</html>', headers: { server: 'nginx' } };
        case '/down':
          return { status: 503, body: { access_token: 'x', expires_in: 0 } };
        case '/hang':
          return undefined;
        default:
          return { status: 404, body: '<h1>404</h1>' };
      }
    });
  });
  test.afterAll(async () => server.close());

  test('a 2xx answer that fits the schema gives status, data, Server header and no problem', async () => {
    const res = await requestJson(`${server.url}/ok`, { timeoutMs: 2000, schema: answer });
    expect({ ...res, ms: 0 }).toEqual({ status: 200, data: { access_token: 'abc', expires_in: 900 }, serverHeader: 'uvicorn', problem: null, ms: 0 });
  });

  test('POST sends the JSON body and the given headers', async () => {
    const res = await requestJson(`${server.url}/echo`, { method: 'POST', headers: { 'X-Service-ID': 'svc' }, body: { a: 1 }, timeoutMs: 2000, schema: answer });
    expect(res.data?.access_token).toBe('{"a":1}');
    const seen = server.seen.find((r) => r.path === '/echo');
    expect(seen?.method).toBe('POST');
    expect(seen?.headers['x-service-id']).toBe('svc');
    expect(seen?.headers['content-type']).toBe('application/json');
  });

  test('an answer of the wrong shape is an "unexpected answer" naming each bad field', async () => {
    const res = await requestJson(`${server.url}/wrong-shape`, { timeoutMs: 2000, schema: answer });
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.problem).toBe(
      'unexpected answer: access_token: Invalid input: expected string, received undefined; expires_in: Invalid input: expected number, received string',
    );
  });

  test('a non-JSON body is reported as such', async () => {
    const res = await requestJson(`${server.url}/html`, { timeoutMs: 2000, schema: answer });
    expect(res.problem).toBe('unexpected answer: (root): Invalid input: expected object, received string (not JSON, 18 bytes)');
    expect(res.serverHeader).toBe('nginx');
  });

  test('a non-2xx status is the problem; a body that fits is still parsed', async () => {
    const down = await requestJson(`${server.url}/down`, { timeoutMs: 2000, schema: answer });
    expect([down.status, down.problem, down.data]).toEqual([503, 'HTTP 503', { access_token: 'x', expires_in: 0 }]);
    const missing = await requestJson(`${server.url}/nope`, { timeoutMs: 2000, schema: answer });
    expect([missing.status, missing.problem, missing.data]).toEqual([404, 'HTTP 404', null]);
  });

  test('nothing listening is ECONNREFUSED, with no status', async () => {
    const res = await requestJson(`http://127.0.0.1:${await deadPort()}/ok`, { timeoutMs: 2000, schema: answer });
    expect([res.status, res.problem, res.data, res.serverHeader]).toEqual([null, 'ECONNREFUSED', null, null]);
  });

  test('a server that never answers is "timed out after N ms", soon after N', async () => {
    const res = await requestJson(`${server.url}/hang`, { timeoutMs: 300, schema: answer });
    expect([res.status, res.problem]).toEqual([null, 'timed out after 300 ms']);
    expect(res.ms).toBeGreaterThanOrEqual(300 - TIMER_EARLY_MS);
    expect(res.ms).toBeLessThan(1300);
  });

  test('an invalid URL is a problem, not an exception', async () => {
    const res = await requestJson('not a url', { timeoutMs: 300, schema: answer });
    expect(res.problem).toBe('invalid URL: not a url');
  });

  test('https: a self-signed server is refused without its CA and trusted with it', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
    const tls = await startServer(() => ({ status: 200, body: { access_token: 't', expires_in: 1 } }), { key: pems.private, cert: pems.cert });
    try {
      const untrusted = await requestJson(`${tls.url}/ok`, { timeoutMs: 3000, schema: answer });
      expect([untrusted.status, untrusted.problem]).toEqual([null, 'DEPTH_ZERO_SELF_SIGNED_CERT']);
      const trusted = await requestJson(`${tls.url}/ok`, { timeoutMs: 3000, schema: answer, ca: pems.cert });
      expect([trusted.status, trusted.problem]).toEqual([200, null]);
    } finally {
      await tls.close();
    }
  });

  for (const [base, path, joined] of [
    ['http://h', '/a', 'http://h/a'],
    ['http://h/', '/a', 'http://h/a'],
    ['http://h/api//', '/a', 'http://h/api/a'],
  ] as const) {
    test(`joinUrl(${base}, ${path}) is ${joined}`, () => expect(joinUrl(base, path)).toBe(joined));
  }
});
