// One HTTP call with the phase timeouts the backend's auth client uses in staging
// (httpx-style: connect, write, read) and an optional overall deadline. Failures before a
// full answer are TransportErrors naming the phase, so the client can retry connect failures
// only, as an httpx transport with retries=1 does.
import http from 'node:http';
import https from 'node:https';

export interface PhaseTimeouts {
  connectMs: number;
  writeMs: number;
  readMs: number;
  /** Overall deadline for the whole call (e.g. the 0.3 s health check). */
  totalMs?: number;
}

export type TransportPhase = 'connect' | 'write' | 'read';

/** Thrown when no complete HTTP answer arrived; `code` is Node's (ECONNREFUSED…) or ETIMEDOUT. */
export class TransportError extends Error {
  constructor(
    readonly phase: TransportPhase,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface CallInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeouts: PhaseTimeouts;
  /** Extra CA to trust for https (the twin's own). */
  ca?: string | null;
  /** A keep-alive pool (the backend's client reuses connections, as httpx does); none = one connection per call. */
  agent?: http.Agent;
}

export async function httpCall(url: string, init: CallInit): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const mod = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let phase: TransportPhase = 'connect';
    let settled = false;
    let phaseTimer: NodeJS.Timeout | undefined;
    let totalTimer: NodeJS.Timeout | undefined;
    let finished = false;

    const settle = (error: TransportError | null, value?: { status: number; body: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(phaseTimer);
      clearTimeout(totalTimer);
      if (error) {
        req.destroy();
        reject(error);
      } else if (value) resolve(value);
    };
    const enter = (next: TransportPhase, ms: number) => {
      phase = next;
      clearTimeout(phaseTimer);
      phaseTimer = setTimeout(() => settle(new TransportError(next, 'ETIMEDOUT', `${next} timeout after ${ms} ms`)), ms);
    };

    const req = mod.request(target, {
      method: init.method,
      headers: { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
      agent: init.agent ?? false,
      ...(init.ca ? { ca: init.ca } : {}),
    });
    enter('connect', init.timeouts.connectMs);
    if (init.timeouts.totalMs !== undefined) {
      const ms = init.timeouts.totalMs;
      totalTimer = setTimeout(() => settle(new TransportError(phase, 'ETIMEDOUT', `no answer within ${ms} ms (${phase})`)), ms);
    }
    req.once('socket', (socket) => {
      const connected = () => {
        if (finished) enter('read', init.timeouts.readMs);
        else enter('write', init.timeouts.writeMs);
      };
      // A pooled socket arrives already connected: no connect phase to wait for.
      if (init.agent && !socket.connecting) connected();
      else socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.once('finish', () => {
      finished = true;
      if (phase === 'write') enter('read', init.timeouts.readMs);
    });
    req.once('error', (error: NodeJS.ErrnoException) => settle(new TransportError(phase, error.code ?? 'EUNKNOWN', error.message)));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => settle(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', (error: NodeJS.ErrnoException) => settle(new TransportError('read', error.code ?? 'EUNKNOWN', error.message)));
    });
    req.end(init.body);
  });
}
