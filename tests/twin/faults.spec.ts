// One focused test per fault: each checks the MECHANISM the fault breaks, from the outside,
// with real servers and a real ws client. A healthy twin's behaviour is in backend.spec.ts.
import fs from 'node:fs';
import tls from 'node:tls';
import { expect, test } from '@playwright/test';
import { REFUSAL_BODY } from '../../twin/backend';
import { EDGE_SERVER_HEADER } from '../../twin/edge-proxy';
import { FAULT_NAMES, type FaultName } from '../../twin/faults';
import { mintJwt } from '../../twin/jwt';
import { type RunningTwin, startTwin } from '../../twin/start';
import { spkiHash } from '../../twin/tls';
import { BYPASS_KEY, getJson, JWT, postJson, SERVICE_ID, SERVICE_SECRET, TIMER_EARLY_MS, twinOptions } from './support/settings';
import { closedLoop } from './support/closed-loop';
import { browserProtocols, handshake, type WsOutcome } from './support/ws-client';

const validToken = () => mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

async function withTwin(fault: FaultName | 'none', run: (twin: RunningTwin, token: string) => Promise<void>, tlsOn = false): Promise<void> {
  const twin = await startTwin(twinOptions({ fault, tls: tlsOn }));
  try {
    await run(twin, await validToken());
  } finally {
    await twin.stop();
  }
}
const authSays = async (twin: RunningTwin, token: string) =>
  (await postJson(`${twin.authUrl}/auth/validate`, { token, token_type: 'access' }, { 'x-service-id': SERVICE_ID, 'x-service-secret': SERVICE_SECRET })).json;
const appRefusal = (out: WsOutcome) => [out.kind, out.status, out.headers.server, out.body];
const APP_403 = ['refused', 403, 'uvicorn', REFUSAL_BODY];

test('every fault in FAULT_NAMES has a test in this file', async () => {
  const source = fs.readFileSync(__filename, 'utf8');
  expect(FAULT_NAMES.filter((f) => !source.includes(`test('fault ${f}:`))).toEqual([]);
});

test('fault missing-auth-url: no Auth Service in dependencies, and a token the auth service accepts gets 403', async () => {
  await withTwin('missing-auth-url', async (twin, token) => {
    expect((await getJson(`${twin.backendUrl}/api/system/dependencies/status`)).json.checks).toEqual([]);
    expect((await authSays(twin, token)).valid).toBe(true);
    expect(appRefusal(await handshake(twin.wsUrl, { protocols: browserProtocols(token) }))).toEqual(APP_403);
    expect(appRefusal(await handshake(twin.wsUrl, { protocols: browserProtocols('abc.def.ghi') }))).toEqual(APP_403);
  });
});

test('fault auth-down: nothing answers at the auth URL, dependencies report it unhealthy, valid tokens get 403', async () => {
  await withTwin('auth-down', async (twin, token) => {
    const error = await fetch(`${twin.authUrl}/health`, { signal: AbortSignal.timeout(3000) }).then(
      () => null,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code,
    );
    expect(error).toBe('ECONNREFUSED');
    expect((await getJson(`${twin.backendUrl}/api/system/dependencies/status`)).json.checks).toEqual([expect.objectContaining({ name: 'Auth Service', healthy: false })]);
    expect(appRefusal(await handshake(twin.wsUrl, { protocols: browserProtocols(token) }))).toEqual(APP_403);
  });
});

test('fault auth-slow: the backend refuses after its 1.6 s read timeout while the auth service says valid, later', async () => {
  await withTwin('auth-slow', async (twin, token) => {
    const started = performance.now();
    const [refusal, direct] = await Promise.all([handshake(twin.wsUrl, { protocols: browserProtocols(token), timeoutMs: 6000 }), authSays(twin, token)]);
    const directMs = performance.now() - started;
    expect(appRefusal(refusal)).toEqual(APP_403);
    expect(refusal.ms).toBeGreaterThanOrEqual(1600 - TIMER_EARLY_MS);
    expect(refusal.ms).toBeLessThan(2900);
    expect(direct.valid).toBe(true);
    expect(directMs).toBeGreaterThanOrEqual(3000 - TIMER_EARLY_MS);
  });
});

test('fault service-secret-mismatch: the auth service accepts the token from the suite, the backend still gets 403', async () => {
  await withTwin('service-secret-mismatch', async (twin, token) => {
    expect((await authSays(twin, token)).valid).toBe(true);
    const wrong = await postJson(`${twin.authUrl}/auth/validate`, { token }, { 'x-service-id': SERVICE_ID, 'x-service-secret': 'not-the-secret' });
    expect(wrong.json.error).toBe('invalid_service_secret');
    expect((await getJson(`${twin.backendUrl}/api/system/dependencies/status`)).json.checks).toEqual([expect.objectContaining({ name: 'Auth Service', healthy: true })]);
    expect(appRefusal(await handshake(twin.wsUrl, { protocols: browserProtocols(token) }))).toEqual(APP_403);
  });
});

test('fault jwt-secret-mismatch: tokens minted with the env secret are invalid_token; tokens the service issues connect', async () => {
  await withTwin('jwt-secret-mismatch', async (twin, token) => {
    expect(await authSays(twin, token)).toMatchObject({ valid: false, error: 'invalid_token' });
    expect(appRefusal(await handshake(twin.wsUrl, { protocols: browserProtocols(token) }))).toEqual(APP_403);
    const issued = await postJson(`${twin.authUrl}/auth/e2e/test-auth`, { email: 'e2e@example.com' }, { 'x-e2e-bypass-key': BYPASS_KEY });
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(String(issued.json.access_token)) });
    expect([out.kind, out.protocol]).toEqual(['open', 'jwt-auth']);
  });
});

test('fault accept-then-close: 101, an AUTH_FAILED frame, then close 1008 "Authentication failed"', async () => {
  await withTwin('accept-then-close', async (twin, token) => {
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token), frames: 2 });
    expect([out.kind, out.status, out.protocol]).toEqual(['open', 101, 'jwt-auth']);
    expect(JSON.parse(out.frames[0] ?? '{}')).toMatchObject({ type: 'error_message', error_code: 'AUTH_FAILED' });
    expect(out.close).toEqual({ code: 1008, reason: 'Authentication failed' });
  });
});

test('fault not-ready: a valid token is accepted, then closed 1011 "Service not ready: …"; a bad one still gets 403', async () => {
  await withTwin('not-ready', async (twin, token) => {
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token) });
    expect([out.kind, out.status, out.frames, out.close?.code]).toEqual(['open', 101, [], 1011]);
    expect(out.close?.reason).toMatch(/^Service not ready: /);
    expect(appRefusal(await handshake(twin.wsUrl, { protocols: browserProtocols('abc.def.ghi') }))).toEqual(APP_403);
  });
});

test('fault edge-403: the frontend Origin meets an HTML 403 from the edge; the app behind answers health as uvicorn', async () => {
  await withTwin('edge-403', async (twin, token) => {
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token), headers: { origin: twin.frontendUrl } });
    expect([out.kind, out.status, out.headers.server, out.headers['content-type']]).toEqual(['refused', 403, EDGE_SERVER_HEADER, 'text/html']);
    expect(out.body).toContain('<h1>403 Forbidden</h1>');
    expect((await getJson(`${twin.backendUrl}/health`)).server).toBe('uvicorn');
    // Without an Origin the request passes the edge and reaches the app, which accepts it.
    expect((await handshake(twin.wsUrl, { protocols: browserProtocols(token) })).kind).toBe('open');
  });
});

test('fault origin-rejected: a browser-style upgrade from the frontend origin gets 403; a raw client with that origin connects', async () => {
  await withTwin('origin-rejected', async (twin, token) => {
    const browserLike = await handshake(twin.wsUrl, { protocols: browserProtocols(token), headers: { origin: twin.frontendUrl, 'user-agent': BROWSER_UA } });
    expect(appRefusal(browserLike)).toEqual(APP_403);
    const raw = await handshake(twin.wsUrl, { protocols: browserProtocols(token), headers: { origin: twin.frontendUrl } });
    expect([raw.kind, raw.protocol]).toEqual(['open', 'jwt-auth']);
  });
  await withTwin('none', async (twin, token) => {
    const healthy = await handshake(twin.wsUrl, { protocols: browserProtocols(token), headers: { origin: twin.frontendUrl, 'user-agent': BROWSER_UA } });
    expect(healthy.kind).toBe('open');
  });
});

test('fault header-stripped: Authorization never reaches the app (403) while the subprotocol transport connects', async () => {
  await withTwin('header-stripped', async (twin, token) => {
    expect(appRefusal(await handshake(twin.wsUrl, { headers: { authorization: `Bearer ${token}` } }))).toEqual(APP_403);
    expect((await handshake(twin.wsUrl, { protocols: browserProtocols(token) })).kind).toBe('open');
  });
});

test('fault subprotocol-mismatch: 101 without the offered subprotocol, so the client aborts', async () => {
  await withTwin('subprotocol-mismatch', async (twin, token) => {
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token) });
    expect([out.kind, out.status, out.headers['sec-websocket-protocol'], out.error?.message]).toEqual(['error', 101, undefined, 'Server sent no subprotocol']);
  });
});

test('fault intermittent: two backends in turn, one refusing every token — four handshakes, two open, two 403', async () => {
  await withTwin('intermittent', async (twin, token) => {
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) kinds.push((await handshake(twin.wsUrl, { protocols: browserProtocols(token) })).kind);
    expect(kinds.filter((k) => k === 'open')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'refused')).toHaveLength(2);
  });
});

test('fault overloaded: sequential and 2-in-flight handshakes all connect; 10 in flight are refused with the app 403', async () => {
  test.setTimeout(60_000);
  await withTwin('overloaded', async (twin, token) => {
    // Counts, not timings: one auth worker and the 0.3 s health deadline decide who passes.
    const sequential = await closedLoop(twin.wsUrl, browserProtocols(token), 1, 40);
    const pairs = await closedLoop(twin.wsUrl, browserProtocols(token), 2, 40);
    expect([sequential, pairs]).toEqual([
      { attempts: 40, opened: 40, refused403: 0, other: 0, refusalShapes: [] },
      { attempts: 40, opened: 40, refused403: 0, other: 0, refusalShapes: [] },
    ]);
    const burst = await closedLoop(twin.wsUrl, browserProtocols(token), 10, 40);
    // The refusal is the ordinary one: same Server header and body as any auth failure.
    expect([burst.other, burst.refusalShapes]).toEqual([0, [`uvicorn | ${REFUSAL_BODY}`]]);
    expect(burst.refused403).toBeGreaterThanOrEqual(8);
  });
});

test('fault hang: the upgrade gets no answer before a 1 s client deadline, while health answers', async () => {
  await withTwin('hang', async (twin, token) => {
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token), timeoutMs: 1000 });
    expect([out.kind, out.status]).toEqual(['timeout', null]);
    expect(out.ms).toBeGreaterThanOrEqual(1000 - TIMER_EARLY_MS);
    expect((await getJson(`${twin.backendUrl}/health`)).status).toBe(200);
  });
});

test('fault tls-untrusted: wss whose CA is not published; a client without it fails certificate verification', async () => {
  await withTwin('tls-untrusted', async (twin, token) => {
    expect([twin.caPem, twin.spki, twin.wsUrl.startsWith('wss://')]).toEqual([null, null, true]);
    const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token) });
    expect([out.kind, out.error?.code]).toEqual(['error', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
  });
});

test('TWIN_TLS (no fault): wss with a published CA and the SPKI hash of the certificate it serves', async () => {
  await withTwin(
    'none',
    async (twin, token) => {
      expect([twin.frontendUrl, twin.backendUrl, twin.authUrl, twin.wsUrl].every((u) => /^(https|wss):\/\//.test(u))).toBe(true);
      const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token), ca: twin.caPem ?? '' });
      expect([out.kind, out.protocol]).toEqual(['open', 'jwt-auth']);
      const served = await new Promise<string>((resolve, reject) => {
        const url = new URL(twin.backendUrl);
        const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: twin.caPem ?? '' }, () => {
          resolve(`-----BEGIN CERTIFICATE-----\n${socket.getPeerCertificate().raw.toString('base64')}\n-----END CERTIFICATE-----`);
          socket.end();
        });
        socket.once('error', reject);
      });
      expect(twin.spki).toBe(spkiHash(served));
    },
    true,
  );
});
