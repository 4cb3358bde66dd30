import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { test, expect } from '@playwright/test';
import { generate } from 'selfsigned';
import { WebSocketServer } from 'ws';
import { startBlackHole } from '../../../helpers/channels/black-hole';
import type { RawRecord, Transport } from '../../../helpers/records/handshake-record';
import { type ProbeOptions, handshakeRequest, probeHandshake } from '../../../helpers/channels/raw-probe';
import { TIMER_EARLY_MS } from '../../support/timer-slack';

// A throwaway JWT-shaped value; it must never leave the probe unredacted.
// Built at run time so no JWT-shaped literal sits in the repository (same value as a literal).
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const TOKEN = [b64url('{"alg":"HS256"}'), b64url('{"sub":"probe-test"}'), b64url('signature-of-the-probe')].join('.');
const TOKEN_B64 = Buffer.from(TOKEN).toString('base64url');
const redact = (text: string): string => text.split(TOKEN).join('REDACTED').split(TOKEN_B64).join('REDACTED');

const WELCOME = '{"type":"welcome"}';
const AUTH_FAILED = '{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Invalid token"}';
const REFUSAL_BODY = '{"detail":"WebSocket authentication failed"}';

/** The token the server found on an upgrade request, by where it looked. */
function tokenSeen(req: http.IncomingMessage): { where: Transport | 'none'; token: string | null } {
  const url = new URL(req.url ?? '/', 'http://x');
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { where: 'authorization-header', token: auth.slice(7) };
  const entry = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).find((p) => p.startsWith('jwt.'));
  if (entry !== undefined) return { where: 'subprotocol', token: Buffer.from(entry.slice(4), 'base64url').toString('utf8') };
  if (url.searchParams.has('token')) return { where: 'query', token: url.searchParams.get('token') };
  const cookie = req.headers.cookie?.match(/(?:^|; )token=([^;]*)/);
  if (cookie) return { where: 'cookie', token: cookie[1] ?? '' };
  return { where: 'none', token: null };
}

function rawResponse(socket: net.Socket, status: string, headers: Record<string, string>, body: string): void {
  const lines = Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' }).map(([k, v]) => `${k}: ${v}`);
  socket.end(`HTTP/1.1 ${status}\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
}

interface TestServer {
  url: (path: string) => string;
  /** Sockets the server holds open right now. */
  openSockets: () => number;
  /** The token of the last upgrade request and where it was found. */
  lastSeen: () => ReturnType<typeof tokenSeen> | null;
  close: () => Promise<void>;
}

/**
 * One server, one behaviour per path: /ok (101, echo jwt-auth, welcome, echo), /silent (101, no frame),
 * /refuse (403 JSON), /big (403, 10 kB body), /stall (403 headers, half a body, then nothing),
 * /reflect (403 that echoes the token in a header and the body), /reflect-open (101, token in a frame),
 * /auth-failed (101, AUTH_FAILED, 1008), /not-ready (101, 1011), /no-echo (101 without the subprotocol).
 */
async function startTestServer(tlsOptions?: { key: string; cert: string }): Promise<TestServer> {
  const server = tlsOptions ? https.createServer(tlsOptions) : http.createServer();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('jwt-auth') ? 'jwt-auth' : false) });
  const noEcho = new WebSocketServer({ noServer: true, handleProtocols: () => false });
  const sockets = new Set<net.Socket>();
  let seen: ReturnType<typeof tokenSeen> | null = null;
  server.on(tlsOptions ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket: net.Socket, head) => {
    socket.on('error', () => {});
    seen = tokenSeen(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    switch (path) {
      case '/refuse':
        return rawResponse(socket, '403 Forbidden', { 'Content-Type': 'application/json', 'X-Refused-By': 'test-app' }, REFUSAL_BODY);
      case '/big':
        return rawResponse(socket, '403 Forbidden', { 'Content-Type': 'text/plain' }, 'x'.repeat(10_000));
      case '/stall':
        // Upgrade sockets are half-open by default: end ours when the client goes away.
        socket.on('end', () => socket.end());
        socket.write('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\npartial');
        return;
      case '/reflect':
        return rawResponse(socket, '403 Forbidden', { 'X-Echo': seen.token ?? '' }, `{"token":"${seen.token ?? ''}"}`);
      case '/no-echo':
        return noEcho.handleUpgrade(req, socket, head, () => {});
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (path === '/auth-failed') {
        ws.send(AUTH_FAILED);
        ws.close(1008, 'Authentication failed');
      } else if (path === '/not-ready') {
        ws.close(1011, 'Service not ready: auth');
      } else if (path === '/reflect-open') {
        ws.send(`{"type":"welcome","token":"${seen?.token ?? ''}"}`);
      } else if (path === '/ok') {
        ws.send(WELCOME);
        ws.on('message', (data) => ws.send(`echo:${data.toString()}`));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const scheme = tlsOptions ? 'wss' : 'ws';
  return {
    url: (path) => `${scheme}://127.0.0.1:${port}${path}`,
    openSockets: () => sockets.size,
    lastSeen: () => seen,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const client of noEcho.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function probeOptions(url: string, overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    url,
    transport: 'subprotocol',
    token: TOKEN,
    tokenVariant: 'valid',
    label: 'valid token via subprotocol',
    budgetMs: 3000,
    firstFramesWaitMs: 500,
    redact,
    tokenFingerprint: 'fp:test',
    ...overrides,
  };
}

function phaseSum(record: RawRecord): number {
  const t = record.timing;
  return [t.dnsMs, t.tcpMs, t.tlsMs, t.waitMs, t.transferMs, t.firstFrameMs].reduce<number>((a, b) => a + (b ?? 0), 0);
}

test.describe('handshakeRequest', () => {
  const base = new URL('ws://api.test/ws?room=1');
  const ROWS: Array<[Transport, string | null, { url: string; protocols: string[]; headers: Record<string, string> }]> = [
    ['subprotocol', 'a.b.c', { url: 'ws://api.test/ws?room=1', protocols: ['jwt-auth', 'jwt.YS5iLmM'], headers: {} }],
    ['subprotocol', '', { url: 'ws://api.test/ws?room=1', protocols: ['jwt-auth', 'jwt.'], headers: {} }],
    ['subprotocol', null, { url: 'ws://api.test/ws?room=1', protocols: ['jwt-auth'], headers: {} }],
    ['authorization-header', 'a.b.c', { url: 'ws://api.test/ws?room=1', protocols: [], headers: { Authorization: 'Bearer a.b.c' } }],
    ['authorization-header', null, { url: 'ws://api.test/ws?room=1', protocols: [], headers: {} }],
    ['query', 'a.b.c', { url: 'ws://api.test/ws?room=1&token=a.b.c', protocols: [], headers: {} }],
    ['query', null, { url: 'ws://api.test/ws?room=1', protocols: [], headers: {} }],
    ['cookie', 'a.b.c', { url: 'ws://api.test/ws?room=1', protocols: [], headers: { Cookie: 'token=a.b.c' } }],
    ['cookie', null, { url: 'ws://api.test/ws?room=1', protocols: [], headers: {} }],
  ];
  for (const [transport, token, expected] of ROWS) {
    test(`${transport} with ${token === null ? 'no token' : token === '' ? 'an empty token' : 'a token'}`, () => {
      expect(handshakeRequest(base, transport, token)).toEqual(expected);
    });
  }
});

test.describe('probeHandshake URL checks', () => {
  const ROWS: Array<[string, string]> = [
    ['http://api.test/ws', 'probeHandshake: expected a ws:// or wss:// URL, got http://api.test/ws'],
    ['not a url', 'probeHandshake: not a valid URL: not a url'],
    ['ws://api.test/ws#frag', 'probeHandshake: a WebSocket URL cannot have a fragment: ws://api.test/ws#frag'],
  ];
  for (const [url, message] of ROWS) {
    test(`throws for ${url}`, async () => {
      await expect(probeHandshake(probeOptions(url))).rejects.toThrow(new Error(message));
    });
  }
});

test.describe('probeHandshake against a plain ws server', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await startTestServer();
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('a valid token via subprotocol opens: 101, jwt-auth echoed, welcome frame, we close 1000', async () => {
    const record = await probeHandshake(probeOptions(server.url('/ok')));
    expect(record.outcome).toBe('open');
    expect(record.status).toBe(101);
    expect(record.statusText).toBe('Switching Protocols');
    expect(record.acceptedSubprotocol).toBe('jwt-auth');
    expect(record.offeredSubprotocols).toEqual(['jwt-auth', 'jwt.REDACTED']);
    expect(record.requestHeaders['sec-websocket-protocol']).toBe('jwt-auth,jwt.REDACTED');
    expect(record.requestHeaders.host).toBe(new URL(server.url('/')).host);
    expect(record.responseHeaders.upgrade).toBe('websocket');
    expect(record.frames.map((f) => `${f.direction}:${f.data}`)).toEqual([`received:${WELCOME}`]);
    expect(record.close).toEqual({ code: 1000, reason: 'probe done', by: 'client' });
    expect(record.error).toBeNull();
    expect(record.body).toBeNull();
    expect(server.lastSeen()).toEqual({ where: 'subprotocol', token: TOKEN });
  });

  test('an exchange sends after the welcome and waits for the reply', async () => {
    const record = await probeHandshake(probeOptions(server.url('/ok'), { exchange: { send: 'ping', expectReplies: 1 } }));
    expect(record.outcome).toBe('open');
    expect(record.frames.map((f) => `${f.direction}:${f.data}`)).toEqual([`received:${WELCOME}`, 'sent:ping', 'received:echo:ping']);
    expect(record.close).toEqual({ code: 1000, reason: 'probe done', by: 'client' });
  });

  test('a silent server that accepts is open once the first-frame wait ends', async () => {
    const record = await probeHandshake(probeOptions(server.url('/silent'), { firstFramesWaitMs: 100 }));
    expect(record.outcome).toBe('open');
    expect(record.frames).toEqual([]);
    expect(record.marks.firstFrame).toBeUndefined();
    expect(record.close?.by).toBe('client');
  });

  for (const transport of ['subprotocol', 'authorization-header', 'query', 'cookie'] as const) {
    test(`the ${transport} transport delivers the token where the server looks`, async () => {
      const record = await probeHandshake(probeOptions(server.url('/ok'), { transport, label: `valid token via ${transport}` }));
      expect(record.outcome).toBe('open');
      expect(server.lastSeen()).toEqual({ where: transport, token: TOKEN });
    });
  }

  test('a missing token sends nothing the server can read', async () => {
    const record = await probeHandshake(probeOptions(server.url('/ok'), { token: null, tokenVariant: 'missing', tokenFingerprint: null }));
    expect(record.offeredSubprotocols).toEqual(['jwt-auth']);
    expect(server.lastSeen()).toEqual({ where: 'none', token: null });
  });

  test('a 403 refusal records status, headers and body, and leaves no socket open', async () => {
    const record = await probeHandshake(probeOptions(server.url('/refuse')));
    expect(record.outcome).toBe('refused');
    expect(record.status).toBe(403);
    expect(record.statusText).toBe('Forbidden');
    expect(record.responseHeaders['content-type']).toBe('application/json');
    expect(record.responseHeaders['x-refused-by']).toBe('test-app');
    expect(record.body).toBe(REFUSAL_BODY);
    expect(record.bodyTruncated).toBe(false);
    expect(record.close).toBeNull();
    expect(record.error).toBeNull();
    expect(record.marks.closed).toBeGreaterThanOrEqual(record.marks.response ?? Number.POSITIVE_INFINITY);
    await expect.poll(() => server.openSockets(), { timeout: 2000 }).toBe(0);
  });

  test('a long refusal body is capped at maxBodyBytes and marked truncated', async () => {
    const record = await probeHandshake(probeOptions(server.url('/big'), { maxBodyBytes: 100 }));
    expect(record.outcome).toBe('refused');
    expect(record.body).toBe('x'.repeat(100));
    expect(record.bodyTruncated).toBe(true);
    await expect.poll(() => server.openSockets(), { timeout: 2000 }).toBe(0);
  });

  test('a body that stalls is cut at the budget and the refusal still stands', async () => {
    const record = await probeHandshake(probeOptions(server.url('/stall'), { budgetMs: 300 }));
    expect(record.outcome).toBe('refused');
    expect(record.status).toBe(403);
    expect(record.body).toBe('partial');
    expect(record.bodyTruncated).toBe(true);
    await expect.poll(() => server.openSockets(), { timeout: 2000 }).toBe(0);
  });

  test('101 then AUTH_FAILED and 1008 is closed-after-accept, with the frame and the server as closer', async () => {
    const record = await probeHandshake(probeOptions(server.url('/auth-failed')));
    expect(record.outcome).toBe('closed-after-accept');
    expect(record.status).toBe(101);
    expect(record.frames.map((f) => f.data)).toEqual([AUTH_FAILED]);
    expect(record.close).toEqual({ code: 1008, reason: 'Authentication failed', by: 'server' });
  });

  test('101 then AUTH_FAILED and 1008 during an exchange is closed-after-accept', async () => {
    const record = await probeHandshake(probeOptions(server.url('/auth-failed'), { exchange: { send: 'ping', expectReplies: 1 } }));
    expect(record.outcome).toBe('closed-after-accept');
    expect(record.close).toEqual({ code: 1008, reason: 'Authentication failed', by: 'server' });
  });

  test('101 then 1011 is closed-after-accept with the server reason', async () => {
    const record = await probeHandshake(probeOptions(server.url('/not-ready')));
    expect(record.outcome).toBe('closed-after-accept');
    expect(record.frames).toEqual([]);
    expect(record.close).toEqual({ code: 1011, reason: 'Service not ready: auth', by: 'server' });
  });

  test('101 without the offered subprotocol is a protocol error', async () => {
    const record = await probeHandshake(probeOptions(server.url('/no-echo')));
    expect(record.outcome).toBe('error');
    expect(record.status).toBe(101);
    expect(record.acceptedSubprotocol).toBeNull();
    expect(record.error).toEqual({ class: 'protocol', code: null, message: 'Server sent no subprotocol' });
    expect(record.close).toBeNull();
    await expect.poll(() => server.openSockets(), { timeout: 2000 }).toBe(0);
  });

  test('timing phases add up to totalMs and follow the marks', async () => {
    for (const path of ['/ok', '/refuse']) {
      const record = await probeHandshake(probeOptions(server.url(path)));
      const { marks, timing } = record;
      expect(marks.lookup).toBeUndefined(); // a literal IP needs no DNS
      expect(timing.dnsMs).toBeNull();
      expect(timing.tlsMs).toBeNull();
      expect(marks.connect).toBeLessThanOrEqual(marks.firstByte ?? -1);
      expect(marks.firstByte).toBeLessThanOrEqual(marks.response ?? -1);
      expect(phaseSum(record)).toBeCloseTo(timing.totalMs, 6);
      expect(timing.totalMs).toBe(path === '/ok' ? marks.firstFrame : marks.response);
    }
  });

  const REDACTION_PATHS = ['/reflect', '/reflect-open'] as const;
  for (const transport of ['subprotocol', 'authorization-header', 'query', 'cookie'] as const) {
    for (const path of REDACTION_PATHS) {
      test(`redact reaches every stored string: ${transport}, ${path}`, async () => {
        const record = await probeHandshake(
          probeOptions(server.url(path), { transport, label: `token ${TOKEN} via ${transport}`, origin: 'http://app.test' }),
        );
        expect(record.outcome).toBe(path === '/reflect' ? 'refused' : 'open');
        expect(server.lastSeen()?.token).toBe(TOKEN); // the server did get the real token…
        const json = JSON.stringify(record);
        expect(json).toContain('REDACTED'); // …and it came back in the record only redacted
        expect(json).not.toContain(TOKEN);
        expect(json).not.toContain(TOKEN_B64);
        expect(record.requestHeaders.origin).toBe('http://app.test');
      });
    }
  }

  test('a token no header may carry is an error record, not a throw', async () => {
    const record = await probeHandshake(probeOptions(server.url('/ok'), { transport: 'authorization-header', token: 'bad\r\ntoken', tokenVariant: 'malformed' }));
    expect(record.outcome).toBe('error');
    expect(record.error?.class).toBe('protocol');
    expect(record.error?.code).toBe('ERR_INVALID_CHAR');
  });
});

test.describe('probeHandshake network failures', () => {
  test('connection refused: a port that was opened and closed', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const record = await probeHandshake(probeOptions(`ws://127.0.0.1:${port}/ws`));
    expect(record.outcome).toBe('error');
    expect(record.error).toEqual({ class: 'refused', code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${port}` });
    expect(record.status).toBeNull();
  });

  test('DNS failure: a .invalid host', async () => {
    const record = await probeHandshake(probeOptions('ws://no-such-host.invalid/ws', { budgetMs: 8000 }));
    expect(record.outcome).toBe('error');
    expect(record.error?.class).toBe('dns');
    // ENOTFOUND with a resolver; EAI_AGAIN where none answers.
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(record.error?.code);
    expect(record.marks.connect).toBeUndefined();
  });

  test('a black hole times out within the budget', async () => {
    const hole = await startBlackHole();
    try {
      const budgetMs = 500;
      const started = performance.now();
      const record = await probeHandshake(probeOptions(hole.url, { budgetMs }));
      const elapsed = performance.now() - started;
      expect(record.outcome).toBe('timeout');
      expect(record.error).toEqual({ class: 'timeout', code: null, message: 'No conclusive answer within the 500 ms budget' });
      expect(record.marks.connect).toBeDefined();
      expect(record.marks.firstByte).toBeUndefined();
      expect(elapsed).toBeGreaterThanOrEqual(budgetMs - TIMER_EARLY_MS);
      expect(elapsed).toBeLessThan(budgetMs + 250);
      await expect.poll(() => hole.connections(), { timeout: 2000 }).toBe(0);
    } finally {
      await hole.close();
    }
  });
});

test.describe('probeHandshake over TLS', () => {
  let server: TestServer;
  let ca: string;
  test.beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] },
      ],
    });
    ca = pems.cert;
    server = await startTestServer({ key: pems.private, cert: pems.cert });
  });
  test.afterAll(async () => {
    await server.close();
  });

  const viaLocalhost = (): string => server.url('/ok').replace('127.0.0.1', 'localhost');

  test('a self-signed certificate without its CA is an untrusted TLS error', async () => {
    const record = await probeHandshake(probeOptions(viaLocalhost()));
    expect(record.outcome).toBe('error');
    expect(record.error).toMatchObject({ class: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', tls: 'untrusted' });
    expect(record.status).toBeNull();
  });

  test('with the CA it opens, and DNS + TCP + TLS phases add up', async () => {
    const record = await probeHandshake(probeOptions(viaLocalhost(), { ca }));
    expect(record.outcome).toBe('open');
    expect(record.acceptedSubprotocol).toBe('jwt-auth');
    expect(record.marks.lookup).toBeDefined();
    expect(record.timing.tlsMs).toBeGreaterThan(0);
    expect(record.timing.dnsMs).toBe(record.marks.lookup);
    expect(phaseSum(record)).toBeCloseTo(record.timing.totalMs, 6);
    expect(record.timing.totalMs).toBe(record.marks.firstFrame);
  });

  test('the CA does not vouch for another host name', async () => {
    const record = await probeHandshake(probeOptions(server.url('/ok'), { ca }));
    expect(record.outcome).toBe('error');
    expect(record.error).toMatchObject({ class: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID', tls: 'hostname-mismatch' });
  });
});
