import http from 'node:http';
import type net from 'node:net';
import { test, expect } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { burst, statusKey } from '../../../helpers/channels/burst-probe';
import { wilsonInterval } from '../../../helpers/channels/burst-stats';
import type { RawRecord } from '../../../helpers/records/handshake-record';
import { probeHandshake } from '../../../helpers/channels/raw-probe';

/** Accepts odd-numbered upgrades (101 + welcome) and refuses even ones with 403: a 50 % refusal rate. */
async function startAlternatingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => 'jwt-auth' });
  const sockets = new Set<net.Socket>();
  let upgrades = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket: net.Socket, head) => {
    socket.on('error', () => {});
    upgrades += 1;
    if (upgrades % 2 === 0) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 20\r\nConnection: close\r\n\r\n{"detail":"refused"}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.send('{"type":"welcome"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const probeOf = (url: string) => () =>
  probeHandshake({
    url,
    transport: 'subprotocol',
    token: 'not-a-secret-test-token',
    tokenVariant: 'valid',
    label: 'valid token via subprotocol',
    budgetMs: 3000,
    firstFramesWaitMs: 500,
    redact: (text) => text,
    tokenFingerprint: null,
  });

test.describe('burst', () => {
  let server: Awaited<ReturnType<typeof startAlternatingServer>>;
  test.beforeAll(async () => {
    server = await startAlternatingServer();
  });
  test.afterAll(async () => {
    await server.close();
  });

  test('against a server that refuses every 2nd upgrade: 20 of 40 refused, the rate inside its interval', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const probe = probeOf(server.url);
    const result = await burst({
      attempts: 40,
      concurrency: 4,
      probe: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await probe();
        } finally {
          inFlight -= 1;
        }
      },
    });
    expect({ attempts: result.attempts, opened: result.opened, refused: result.refused, errors: result.errors, timeouts: result.timeouts }).toEqual({
      attempts: 40,
      opened: 20,
      refused: 20,
      errors: 0,
      timeouts: 0,
    });
    expect(result.refusalRate).toBe(0.5);
    expect(result.interval).toEqual(wilsonInterval(20, 40, 0.95));
    expect(result.interval.low).toBeLessThan(0.5);
    expect(result.interval.high).toBeGreaterThan(0.5);
    expect(result.statusCounts).toEqual({ '101': 20, '403': 20 });
    expect(result.firstRefusal?.status).toBe(403);
    expect(result.firstRefusal?.body).toBe('{"detail":"refused"}');
    expect(result.firstOpen?.status).toBe(101);
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p95Ms).toBeGreaterThanOrEqual(result.p50Ms);
    expect(maxInFlight).toBe(4);
  });

  test('detectRate sets the attempts: 5 % at 95 % confidence is 59 attempts', async () => {
    const result = await burst({ detectRate: 0.05, concurrency: 8, probe: probeOf(server.url) });
    expect(result.attempts).toBe(59);
    expect(result.opened + result.refused).toBe(59);
    // Alternating from wherever the previous test left the counter: 29 or 30 of each.
    expect([29, 30]).toContain(result.refused);
  });

  test('concurrency larger than attempts runs each attempt once', async () => {
    const result = await burst({ attempts: 3, concurrency: 10, probe: probeOf(server.url) });
    expect(result.attempts).toBe(3);
    expect(result.opened + result.refused).toBe(3);
  });
});

const BAD: Array<[name: string, attempts: number, concurrency: number, message: string]> = [
  ['zero attempts', 0, 1, 'burst: attempts must be a positive integer, got 0'],
  ['zero concurrency', 5, 0, 'burst: concurrency must be a positive integer, got 0'],
];
for (const [name, attempts, concurrency, message] of BAD) {
  test(`burst rejects ${name}`, async () => {
    await expect(burst({ attempts, concurrency, probe: probeOf('ws://127.0.0.1:9/ws') })).rejects.toThrow(new RangeError(message));
  });
}

test('statusKey names each outcome', () => {
  const base = { status: null, close: null, error: null } as Pick<RawRecord, 'status' | 'close' | 'error'>;
  const ROWS: Array<[Partial<RawRecord>, string]> = [
    [{ outcome: 'open', status: 101 }, '101'],
    [{ outcome: 'refused', status: 403 }, '403'],
    [{ outcome: 'closed-after-accept', status: 101, close: { code: 1008, reason: 'Authentication failed', by: 'server' } }, 'closed:1008'],
    [{ outcome: 'timeout' }, 'timeout'],
    [{ outcome: 'error', error: { class: 'reset', code: 'ECONNRESET', message: 'read ECONNRESET' } }, 'error:reset'],
  ];
  for (const [fields, key] of ROWS) expect(statusKey({ ...base, ...fields } as RawRecord)).toBe(key);
});
