// Each certificate problem is named, end to end at unit level: a real TLS server presents the
// certificate, the raw probe classifies the failure, and the diagnosis names it in its verdict.
// (tests/helpers/channels/raw-probe.spec.ts covers untrusted and wrong-host at the probe; network-errors.spec.ts
// maps the codes; neither serves an expired certificate nor checks the verdict's words.)
import type http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { expect, test } from '@playwright/test';
import { generate } from 'selfsigned';
import { WebSocketServer } from 'ws';
import { diagnose } from '../../../helpers/diagnosis/engine';
import type { TlsProblem } from '../../../helpers/records/handshake-record';
import { probeHandshake } from '../../../helpers/channels/raw-probe';

const DAY_MS = 86_400_000;

interface CertCase {
  what: string;
  problem: TlsProblem;
  code: string;
  /** The host the client dials; the certificate always names localhost only. */
  host: 'localhost' | '127.0.0.1';
  expired: boolean;
  /** Whether the client is given the certificate as its CA. */
  trusted: boolean;
  words: string;
}

const CASES: CertCase[] = [
  { what: 'an expired certificate', problem: 'expired', code: 'CERT_HAS_EXPIRED', host: 'localhost', expired: true, trusted: true, words: 'the certificate has expired' },
  { what: 'a certificate for another host', problem: 'hostname-mismatch', code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: '127.0.0.1', expired: false, trusted: true, words: 'the certificate is for another host' },
  { what: 'a self-signed certificate without its CA', problem: 'untrusted', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', host: 'localhost', expired: false, trusted: false, words: 'the certificate is not trusted' },
];

async function certificate(expired: boolean): Promise<{ key: string; cert: string }> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - (expired ? 30 : 1) * DAY_MS),
    notAfterDate: new Date(now + (expired ? -1 : 30) * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** A wss server that would accept any upgrade; the TLS handshake is what fails. */
async function startTlsServer(tls: { key: string; cert: string }): Promise<{ port: number; close: () => Promise<void> }> {
  const server = https.createServer(tls);
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => 'jwt-auth' });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => wss.handleUpgrade(req, socket, head, (ws) => ws.close(1000)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

for (const c of CASES) {
  test(`${c.what} is a tls-failure verdict that says "${c.words}"`, async () => {
    const tls = await certificate(c.expired);
    const server = await startTlsServer(tls);
    try {
      const record = await probeHandshake({
        url: `wss://${c.host}:${server.port}/ws`,
        transport: 'subprotocol',
        token: 'not-a-real-token',
        tokenVariant: 'valid',
        label: `valid token via raw subprotocol (${c.problem})`,
        budgetMs: 3000,
        ca: c.trusted ? tls.cert : null,
        exchange: null,
        redact: (text) => text,
        tokenFingerprint: null,
      });
      expect(record.outcome).toBe('error');
      expect(record.error).toMatchObject({ class: 'tls', code: c.code, tls: c.problem });
      expect(record.status).toBeNull();

      const verdict = diagnose({ config: null, raw: [record], browser: [], burst: null, expect: { invalidTokenRefusal: 'handshake-403', backendAuthTimeoutMs: 1600, handshakeBudgetMs: 3000 } });
      expect(verdict).toMatchObject({ layer: 'tls', cause: 'tls-failure' });
      expect(verdict.summary).toContain(`TLS failed on the raw subprotocol channel: ${c.words}`);
      expect(verdict.summary).toContain(`(${c.code})`);
    } finally {
      await server.close();
    }
  });
}
