import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Browser, test as base, expect } from '@playwright/test';
import { SignJWT } from 'jose';
import { WebSocketServer } from 'ws';
import { type CaptureOptions, captureBrowserHandshake } from '../../../helpers/channels/browser-capture';

// A tiny real site: a chat page that behaves like the twin's frontend (token from localStorage,
// subprotocols ['jwt-auth', 'jwt.<base64url>'], console lines, visible status), and a ws server
// whose answer is chosen by the socket path. Real Chromium, real sockets, nothing mocked.

const PAGE = (wsUrl: string, retries: number) => `<!doctype html><meta charset="utf-8"><title>chat</title>
<div id="connection-status">connecting</div>
<input id="message-input"><button id="send-button">Send</button><ul id="messages"></ul>
<script>
const config = ${JSON.stringify({ wsUrl, retries })};
const status = document.getElementById('connection-status');
const b64url = (s) => btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const token = localStorage.getItem('jwt_token');
let attempt = 0;
let ws;
function connect() {
  attempt += 1;
  ws = new WebSocket(config.wsUrl + '?attempt=' + attempt, ['jwt-auth', 'jwt.' + b64url(token)]);
  ws.onopen = () => { status.textContent = 'connected'; };
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type !== 'agent_response') return;
    const li = document.createElement('li');
    li.textContent = msg.payload.content;
    document.getElementById('messages').append(li);
  };
  ws.onerror = () => console.error('WebSocket error occurred');
  ws.onclose = (e) => {
    console.error('WebSocket connection closed', e.code, e.reason);
    if (e.code === 1008) { console.error('WebSocket authentication failed'); status.textContent = 'auth failed'; }
    else status.textContent = 'disconnected';
    if (attempt <= config.retries) connect();
  };
}
document.getElementById('send-button').onclick = () => {
  ws.send(JSON.stringify({ type: 'user_message', payload: { content: document.getElementById('message-input').value } }));
};
if (!token) { console.log('WebSocket connection skipped - no token available'); status.textContent = 'disconnected'; }
else connect();
</script>`;

interface Site {
  origin: string;
  /** A page whose socket goes to /ws/<mode> (or to a closed port for mode `dead-port`). */
  pageUrl(mode: string, retries?: number): string;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function refuse(socket: Socket, statusLine: string): void {
  const body = '{"detail":"refused"}';
  socket.end(`HTTP/1.1 ${statusLine}\r\nServer: uvicorn\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

async function startSite(): Promise<Site & { close(): Promise<void> }> {
  // A port that was just ours and is now closed: connecting to it is refused.
  const scratch = http.createServer();
  const deadPort = await listen(scratch);
  await new Promise<void>((resolve) => scratch.close(() => resolve()));

  const hanging = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('jwt-auth') ? 'jwt-auth' : false) });
  const bare = new WebSocketServer({ noServer: true, handleProtocols: () => false });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const mode = url.searchParams.get('mode') ?? 'accept';
    const host = req.headers.host ?? '';
    const wsUrl = mode === 'dead-port' ? `ws://127.0.0.1:${deadPort}/ws` : `ws://${host}/ws/${mode}`;
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE(wsUrl, Number(url.searchParams.get('retries') ?? 0)));
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const first = url.searchParams.get('attempt') === '1';
    const mode = url.pathname.replace('/ws/', '');
    if (mode === '403' || (mode === 'flaky' && first)) return refuse(socket, '403 Forbidden');
    if (mode === '401') return refuse(socket, '401 Unauthorized');
    if (mode === 'hang') return void hanging.add(socket);
    const server = mode === 'no-subprotocol' ? bare : wss;
    server.handleUpgrade(req, socket, head, (ws) => {
      if (mode === 'close-1008') {
        ws.send(JSON.stringify({ type: 'error_message', error_code: 'AUTH_FAILED', error_message: 'Token validation failed' }));
        ws.close(1008, 'Authentication failed');
        return;
      }
      ws.send(JSON.stringify({ type: 'connection_established' }));
      if (mode === 'silent') return;
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { payload: { content: string } };
        ws.send(JSON.stringify({ type: 'agent_response', payload: { content: msg.payload.content } }));
      });
    });
  });
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: (mode, retries = 0) => `${origin}/?mode=${mode}&retries=${retries}`,
    async close() {
      for (const socket of hanging) socket.destroy();
      for (const client of [...wss.clients, ...bare.clients]) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const test = base.extend<{ token: string; capture: (o: Partial<CaptureOptions> & { pageUrl: string; withToken?: boolean }) => ReturnType<typeof captureBrowserHandshake> }, { site: Site }>({
  site: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
    async ({}, use) => {
      const site = await startSite();
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: as above.
  token: async ({}, use) => {
    const secret = new TextEncoder().encode('browser-capture-spec-secret-of-32-chars!');
    await use(await new SignJWT({ token_type: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setIssuedAt().setExpirationTime('5m').sign(secret));
  },
  capture: async ({ browser, site, token }, use) => {
    const contexts: Awaited<ReturnType<Browser['newContext']>>[] = [];
    await use(async ({ withToken = true, ...o }) => {
      const context = await browser.newContext({
        storageState: { cookies: [], origins: withToken ? [{ origin: site.origin, localStorage: [{ name: 'jwt_token', value: token }] }] : [] },
      });
      contexts.push(context);
      return captureBrowserHandshake({
        context,
        tokenVariant: withToken ? 'valid' : 'missing',
        label: 'browser capture spec',
        tokenFingerprint: withToken ? 'fp:1234' : null,
        budgetMs: 5_000,
        redact: (text) => text.replaceAll(token, '<jwt:fp:1234>').replaceAll(Buffer.from(token).toString('base64url'), '<jwt:fp:1234>'),
        ui: { statusSelector: '#connection-status', connectedText: 'connected', inputSelector: '#message-input', sendSelector: '#send-button', messagesSelector: '#messages' },
        ...o,
      });
    });
    for (const context of contexts) await context.close();
  },
});

const failedLine = (site: Site, path: string, why: string) => `WebSocket connection to '${site.origin.replace('http', 'ws')}${path}' failed: ${why}`;

test('a valid token opens: 101 with response headers, the echo round trip, status connected', async ({ capture, site }) => {
  const { record, attempts } = await capture({ pageUrl: site.pageUrl('accept'), exchange: { message: 'hello twin' } });
  expect(record.outcome).toBe('open');
  expect(record.status).toBe(101);
  expect(record.response?.status).toBe(101);
  expect(record.response?.statusText).toBe('Switching Protocols');
  expect(record.response?.headers).toMatchObject({ upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-protocol': 'jwt-auth' });
  expect(record.offeredSubprotocols).toEqual(['jwt-auth', 'jwt.<jwt:fp:1234>']);
  expect(record.requestHeaders['sec-websocket-protocol']).toBe('jwt-auth, jwt.<jwt:fp:1234>');
  expect(record.requestHeaders.origin).toBe(site.origin);
  expect(record.wsUrl).toBe(`${site.origin.replace('http', 'ws')}/ws/accept?attempt=1`);
  expect(record.frameError).toBeNull();
  expect(record.frames.map((f) => `${f.direction} ${f.data}`)).toEqual([
    'received {"type":"connection_established"}',
    'sent {"type":"user_message","payload":{"content":"hello twin"}}',
    'received {"type":"agent_response","payload":{"content":"hello twin"}}',
  ]);
  expect(record.close).toBeNull();
  expect(record.uiStatus).toBe('connected');
  expect(attempts).toBe(1);
  const { createdMs, requestMs, responseMs } = record.timing;
  expect(createdMs).not.toBeNull();
  expect(requestMs).toBeGreaterThanOrEqual(createdMs ?? Number.NaN);
  expect(responseMs).toBeGreaterThanOrEqual(requestMs ?? Number.NaN);
});

test('a 403 is read from the frame error; the page sees only 1006', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('403') });
  expect(record.outcome).toBe('refused');
  expect(record.status).toBe(403);
  expect(record.frameError).toBe('Error during WebSocket handshake: Unexpected response code: 403');
  expect(record.response).toBeNull();
  expect(record.close).toEqual({ code: 1006, reason: '', by: 'none' });
  expect(record.console.map((l) => `${l.type}: ${l.text}`)).toEqual([
    `error: ${failedLine(site, '/ws/403?attempt=1', 'Error during WebSocket handshake: Unexpected response code: 403')}`,
    'error: WebSocket error occurred',
    'error: WebSocket connection closed 1006 ',
  ]);
  expect(record.uiStatus).toBe('disconnected');
  expect(record.timing.errorMs).not.toBeNull();
});

test('a 401 is recognised from its wordless message', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('401') });
  expect([record.outcome, record.status, record.frameError]).toEqual(['refused', 401, 'HTTP Authentication failed; no valid credentials available']);
  expect(record.close).toEqual({ code: 1006, reason: '', by: 'none' });
});

test('accept then close 1008: the code comes from the page, the frontend logs auth failure', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('close-1008'), exchange: { message: 'hello twin' } });
  expect(record.outcome).toBe('closed-after-accept');
  expect(record.status).toBe(101);
  expect(record.close).toEqual({ code: 1008, reason: 'Authentication failed', by: 'server' });
  expect(record.frames.map((f) => f.data)).toEqual(['{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Token validation failed"}']);
  expect(record.console.map((l) => l.text)).toEqual(['WebSocket connection closed 1008 Authentication failed', 'WebSocket authentication failed']);
  expect(record.uiStatus).toBe('auth failed');
  expect(record.timing.closedMs).not.toBeNull();
});

test('a 101 without the offered subprotocol is a protocol error in the browser', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('no-subprotocol') });
  expect(record.outcome).toBe('error');
  expect(record.status).toBeNull();
  expect(record.response).toBeNull();
  expect(record.frameError).toBe("Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received");
});

test('a closed port is a network error', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('dead-port') });
  expect([record.outcome, record.status, record.frameError]).toEqual(['error', null, 'Error in connection establishment: net::ERR_CONNECTION_REFUSED']);
});

test('no token: the skip line, no socket, not-attempted', async ({ capture, site }) => {
  const { record, attempts } = await capture({ pageUrl: site.pageUrl('accept'), withToken: false, expectSocket: false });
  expect(record.outcome).toBe('not-attempted');
  expect([record.wsUrl, record.status, record.close, record.tokenFingerprint, attempts]).toEqual([null, null, null, null, 0]);
  expect(record.console.map((l) => `${l.type}: ${l.text}`)).toEqual(['log: WebSocket connection skipped - no token available']);
  expect(record.uiStatus).toBe('disconnected');
});

test('an upgrade that never gets an answer times out at the budget', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('hang'), budgetMs: 1_500 });
  expect(record.outcome).toBe('timeout');
  expect([record.status, record.response, record.frameError, record.budgetMs]).toEqual([null, null, null, 1_500]);
  expect(record.timing.requestMs).not.toBeNull();
});

test('an accepted socket that never echoes fails the exchange as a timeout', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('silent'), exchange: { message: 'anyone?' }, budgetMs: 2_000 });
  expect([record.outcome, record.status, record.close]).toEqual(['timeout', 101, null]);
  expect(record.frames.map((f) => f.direction)).toEqual(['received', 'sent']);
});

test('without an exchange, a 101 with no early close is open', async ({ capture, site }) => {
  const { record } = await capture({ pageUrl: site.pageUrl('accept'), exchange: null, acceptWindowMs: 300 });
  expect([record.outcome, record.status, record.close]).toEqual(['open', 101, null]);
});

test('when the frontend reconnects, the first socket is the subject', async ({ capture, site }) => {
  const { record, attempts } = await capture({ pageUrl: site.pageUrl('flaky', 1) });
  expect([record.outcome, record.status]).toEqual(['refused', 403]);
  expect(record.wsUrl).toBe(`${site.origin.replace('http', 'ws')}/ws/flaky?attempt=1`);
  expect(attempts).toBeGreaterThanOrEqual(1);
});

test('the screenshot is a PNG of the page', async ({ capture, site }) => {
  const { screenshot } = await capture({ pageUrl: site.pageUrl('403') });
  expect(screenshot?.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
});

for (const mode of ['accept', '403', 'close-1008']) {
  test(`the token appears nowhere in the record (${mode})`, async ({ capture, site, token }) => {
    const { record } = await capture({ pageUrl: site.pageUrl(mode), exchange: { message: 'hi' } });
    const json = JSON.stringify(record);
    expect(json).not.toContain(token);
    expect(json).not.toContain(Buffer.from(token).toString('base64url'));
    expect(json).toContain('<jwt:fp:1234>');
  });
}

test('a frontend that does not load is an error with the navigation line, and the page is closed', async ({ browser }) => {
  const scratch = http.createServer();
  const deadPort = await listen(scratch);
  await new Promise<void>((resolve) => scratch.close(() => resolve()));
  const context = await browser.newContext();
  try {
    const { record, attempts } = await captureBrowserHandshake({
      context,
      pageUrl: `http://127.0.0.1:${deadPort}/`,
      tokenVariant: 'valid',
      label: 'dead frontend',
      tokenFingerprint: null,
      budgetMs: 3_000,
      redact: (t) => t,
    });
    expect([record.outcome, record.wsUrl, record.frameError, attempts]).toEqual(['error', null, null, 0]);
    expect(record.console).toHaveLength(1);
    expect(record.console[0]?.type).toBe('navigation-error');
    expect(record.console[0]?.text).toContain('net::ERR_CONNECTION_REFUSED');
    expect(context.pages()).toEqual([]);
  } finally {
    await context.close();
  }
});
