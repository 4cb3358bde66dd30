// A small raw WebSocket client for the twin's tests (node `ws`): one handshake, its whole
// outcome — status, headers and body of a refusal, or the accepted subprotocol, frames and
// close code — always settled by a deadline and always with the socket closed.
import type http from 'node:http';
import WebSocket from 'ws';

export interface WsOutcome {
  kind: 'open' | 'refused' | 'error' | 'timeout';
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  protocol: string | null;
  frames: string[];
  close: { code: number; reason: string } | null;
  error: { code: string | null; message: string } | null;
  ms: number;
}

export interface HandshakeOptions {
  protocols?: string[];
  headers?: Record<string, string>;
  ca?: string;
  /** Deadline for the whole exchange (default 4000 ms). */
  timeoutMs?: number;
  /** Sent after the first frame arrives. */
  send?: string;
  /** Frames to collect before closing (default 1). */
  frames?: number;
}

export function handshake(url: string, opts: HandshakeOptions = {}): Promise<WsOutcome> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? 4000;
  const wanted = opts.frames ?? 1;
  const out: WsOutcome = { kind: 'error', status: null, headers: {}, body: '', protocol: null, frames: [], close: null, error: null, ms: 0 };
  return new Promise((resolve) => {
    const ws = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers, ca: opts.ca, handshakeTimeout: timeoutMs });
    let done = false;
    const finish = (kind?: WsOutcome['kind']) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      if (kind) out.kind = kind;
      out.ms = performance.now() - started;
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
      resolve(out);
    };
    const deadline = setTimeout(() => finish('timeout'), timeoutMs);
    ws.on('unexpected-response', (_req, res) => {
      out.kind = 'refused';
      out.status = res.statusCode ?? null;
      out.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        out.body += chunk;
      });
      res.on('end', () => finish());
      res.on('error', () => finish());
    });
    ws.on('upgrade', (res) => {
      out.status = res.statusCode ?? null;
      out.headers = res.headers;
    });
    ws.on('open', () => {
      out.kind = 'open';
      out.protocol = ws.protocol;
    });
    ws.on('message', (data) => {
      out.frames.push(data.toString());
      if (out.frames.length === 1 && opts.send !== undefined) ws.send(opts.send);
      if (out.frames.length >= wanted && out.kind === 'open' && opts.send === undefined) ws.close(1000);
      if (opts.send !== undefined && out.frames.length >= wanted + 1) ws.close(1000);
    });
    ws.on('close', (code, reason) => {
      if (out.kind === 'open') out.close = { code, reason: reason.toString() };
      finish();
    });
    ws.on('error', (error: NodeJS.ErrnoException) => {
      if (out.kind === 'refused') return;
      out.error = { code: error.code ?? null, message: error.message };
      if (/timed out/i.test(error.message)) finish('timeout');
    });
  });
}

/** The subprotocols the twin's frontend offers for a token. */
export const browserProtocols = (token: string): string[] => ['jwt-auth', `jwt.${Buffer.from(token).toString('base64url')}`];
