// Each flavour's presentation, read from the outside as raw bytes: the refused upgrade, the
// 101, the HTTP Server header, the dependency endpoint, the after-accept texts and the edge's
// own 403. The expected bytes are written out here (from the products' sources, see
// twin/README.md "Flavours"), not taken from twin/flavours.ts, so a wrong table fails.
import { expect, test } from '@playwright/test';
import { startAuthService } from '../../twin/auth-service';
import { startBackend } from '../../twin/backend';
import { FAULT_NAMES } from '../../twin/faults';
import { FLAVOUR_NAMES, FLAVOURS, type FlavourName } from '../../twin/flavours';
import { mintJwt } from '../../twin/jwt';
import { type RunningTwin, startTwin } from '../../twin/start';
import { getJson, JWT, SERVICE_ID, SERVICE_SECRET, twinOptions } from './support/settings';
import { rawExchange, upgradeRequest } from './support/raw-http';
import { browserProtocols, handshake } from './support/ws-client';

const DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;
const validToken = () => mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });

/** Header values that vary per answer (dates, the accept key) are compared by shape. */
type HeaderRow = [string, string | RegExp];
const matches = (actual: Array<[string, string]>, expected: HeaderRow[]) =>
  actual.length === expected.length && expected.every(([name, value], i) => actual[i]?.[0] === name && (typeof value === 'string' ? actual[i]?.[1] === value : value.test(actual[i]?.[1] ?? '')));

interface Presentation {
  refusal: { statusLine: string; headers: HeaderRow[]; body: string };
  /** The 101's headers after Upgrade, Connection, Sec-WebSocket-Accept, Sec-WebSocket-Protocol. */
  acceptTail: HeaderRow[];
  dependencyEndpoint: boolean;
  afterAcceptUnreachable: string;
  afterAcceptInvalid: string;
  edge403: { statusLine: string; headers: HeaderRow[]; body: string; keepsAlive: boolean };
}

const ELB_403 = '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n</body>\r\n</html>\r\n';
const NGINX_403 = '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';
const HAPROXY_403 = '<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n';

const EXPECTED: Record<FlavourName, Presentation> = {
  node: {
    refusal: {
      statusLine: 'HTTP/1.1 403 Forbidden',
      headers: [['date', DATE], ['server', 'uvicorn'], ['content-type', 'application/json'], ['content-length', '42'], ['connection', 'close']],
      body: '{"detail":"WebSocket connection rejected"}',
    },
    acceptTail: [['server', 'uvicorn']],
    dependencyEndpoint: true,
    afterAcceptUnreachable: 'Authentication failed',
    afterAcceptInvalid: 'Authentication failed',
    edge403: {
      statusLine: 'HTTP/1.1 403 Forbidden',
      headers: [['date', DATE], ['server', 'awselb/2.0'], ['content-type', 'text/html'], ['content-length', '118'], ['connection', 'close']],
      body: ELB_403,
      keepsAlive: false,
    },
  },
  'uvicorn-websockets': {
    refusal: {
      statusLine: 'HTTP/1.1 403 Forbidden',
      headers: [['Date', DATE], ['Server', 'Python/3.11 websockets/10.4'], ['Content-Length', '0'], ['Content-Type', 'text/plain'], ['Connection', 'close']],
      body: '',
    },
    acceptTail: [['Date', DATE], ['Server', 'Python/3.11 websockets/10.4']],
    dependencyEndpoint: false,
    afterAcceptUnreachable: 'Auth service unavailable',
    afterAcceptInvalid: 'Token validation failed: invalid_token',
    edge403: {
      statusLine: 'HTTP/1.1 403 Forbidden',
      headers: [['Server', 'nginx/1.22.1'], ['Date', DATE], ['Content-Type', 'text/html'], ['Content-Length', '153'], ['Connection', 'keep-alive']],
      body: NGINX_403,
      keepsAlive: true,
    },
  },
  wsproto: {
    refusal: { statusLine: 'HTTP/1.1 403 ', headers: [['content-length', '0']], body: '' },
    acceptTail: [['date', DATE], ['server', 'uvicorn']],
    dependencyEndpoint: true,
    afterAcceptUnreachable: 'Auth service unavailable',
    afterAcceptInvalid: 'Token validation failed: invalid_token',
    edge403: {
      statusLine: 'HTTP/1.1 403 Forbidden',
      headers: [['content-length', '93'], ['cache-control', 'no-cache'], ['content-type', 'text/html']],
      body: HAPROXY_403,
      keepsAlive: true,
    },
  },
};

test('every flavour has a row here', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual([...FLAVOUR_NAMES].sort());
});

for (const flavour of FLAVOUR_NAMES) {
  const want = EXPECTED[flavour];

  test.describe(`flavour ${flavour}`, () => {
    let twin: RunningTwin;
    let token: string;
    test.beforeAll(async () => {
      twin = await startTwin(twinOptions({ flavour }));
      token = await validToken();
    });
    test.afterAll(async () => twin.stop());

    test('a refused upgrade is written byte for byte as the stack writes it', async () => {
      const raw = await rawExchange(twin.backendUrl, upgradeRequest(twin.wsUrl, { protocols: browserProtocols('abc.def.ghi') }));
      expect(raw.statusLine).toBe(want.refusal.statusLine);
      expect(matches(raw.headers, want.refusal.headers), JSON.stringify(raw.headers)).toBe(true);
      expect([raw.body, raw.closedByServer]).toEqual([want.refusal.body, true]);
    });

    test("the 101 carries the stack's own headers after the handshake ones", async () => {
      const raw = await rawExchange(twin.backendUrl, upgradeRequest(twin.wsUrl, { protocols: browserProtocols(token) }));
      expect(raw.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
      expect(raw.headers.slice(0, 4).map(([name]) => name.toLowerCase())).toEqual(['upgrade', 'connection', 'sec-websocket-accept', 'sec-websocket-protocol']);
      expect(matches(raw.headers.slice(4), want.acceptTail), JSON.stringify(raw.headers)).toBe(true);
    });

    test('HTTP endpoints say server: uvicorn; the dependency endpoint is there or a 404', async () => {
      const health = await fetch(`${twin.backendUrl}/health`, { signal: AbortSignal.timeout(3000) });
      const authHealth = await fetch(`${twin.authUrl}/health`, { signal: AbortSignal.timeout(3000) });
      expect([health.headers.get('server'), health.headers.get('content-type'), authHealth.headers.get('server')]).toEqual(['uvicorn', 'application/json', 'uvicorn']);
      const deps = await getJson(`${twin.backendUrl}/api/system/dependencies/status`);
      if (want.dependencyEndpoint) expect([deps.status, deps.json.checks]).toEqual([200, [expect.objectContaining({ name: 'Auth Service', healthy: true })]]);
      else expect([deps.status, deps.json]).toEqual([404, { detail: 'Not Found' }]);
    });

    test('under edge-403 the edge answers its own 403 as its product does', async () => {
      const edged = await startTwin(twinOptions({ fault: 'edge-403', flavour }));
      try {
        const raw = await rawExchange(edged.backendUrl, upgradeRequest(edged.wsUrl, { protocols: browserProtocols(token), origin: edged.frontendUrl }));
        expect(raw.statusLine).toBe(want.edge403.statusLine);
        expect(matches(raw.headers, want.edge403.headers), JSON.stringify(raw.headers)).toBe(true);
        expect([raw.body, raw.closedByServer]).toEqual([want.edge403.body, !want.edge403.keepsAlive]);
      } finally {
        await edged.stop();
      }
    });

    test('under accept-then-close, an unreachable auth service gives its AUTH_FAILED text, then 1008', async () => {
      const broken = await startTwin(twinOptions({ fault: 'accept-then-close', flavour }));
      try {
        const out = await handshake(broken.wsUrl, { protocols: browserProtocols(token), frames: 2 });
        expect([out.kind, out.status]).toEqual(['open', 101]);
        expect(JSON.parse(out.frames[0] ?? '{}')).toEqual({ type: 'error_message', error_code: 'AUTH_FAILED', error_message: want.afterAcceptUnreachable });
        expect(out.close).toEqual({ code: 1008, reason: 'Authentication failed' });
      } finally {
        await broken.stop();
      }
    });

    test('validating after accept, a token the auth service calls invalid gives its own text', async () => {
      // The backend alone, validating after accept against a running auth service: the auth
      // service answers valid=false (invalid_token), which no fault combination isolates.
      const auth = await startAuthService({ jwt: JWT, serviceId: SERVICE_ID, serviceSecret: SERVICE_SECRET, e2eBypassKey: null, devLogin: null, environment: 'development', tls: null });
      const backend = await startBackend({
        authServiceUrl: auth.url,
        fallbackUrl: 'http://127.0.0.1:1',
        serviceId: SERVICE_ID,
        serviceSecret: SERVICE_SECRET,
        authCa: null,
        tls: null,
        allowedOrigins: () => [],
        authMode: 'after-accept',
        notReady: false,
        echoSubprotocol: true,
        hangUpgrades: false,
        flavour: FLAVOURS[flavour],
      });
      try {
        const out = await handshake(`${backend.url.replace('http', 'ws')}/ws`, { protocols: browserProtocols('abc.def.ghi'), frames: 2 });
        expect(JSON.parse(out.frames[0] ?? '{}')).toEqual({ type: 'error_message', error_code: 'AUTH_FAILED', error_message: want.afterAcceptInvalid });
        expect(out.close).toEqual({ code: 1008, reason: 'Authentication failed' });
      } finally {
        await backend.close();
        await auth.close();
      }
    });
  });
}

test('any fault composes with any flavour: every pair starts, names its flavour and answers health', async () => {
  test.setTimeout(120_000);
  const failures: string[] = [];
  for (const flavour of FLAVOUR_NAMES) {
    for (const fault of FAULT_NAMES) {
      const twin = await startTwin(twinOptions({ fault, flavour }));
      try {
        const ok = twin.flavour === flavour && twin.fault === fault && (fault === 'tls-untrusted' || (await fetch(`${twin.backendUrl}/health`, { signal: AbortSignal.timeout(3000) })).status === 200);
        if (!ok) failures.push(`${fault} × ${flavour}`);
      } finally {
        await twin.stop();
      }
    }
  }
  expect(failures).toEqual([]);
});
