// Small HTTP helpers shared by the twin's services: JSON answers with an app-like Server
// header, bounded body reading, and raw HTTP answers (a product's exact bytes) written on an
// upgrade socket.
import type http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** What uvicorn-served apps say in `Server`; an edge proxy's voice differs. */
export const APP_SERVER_HEADER = 'uvicorn';

export function sendJson(res: http.ServerResponse, status: number, body: unknown, server = APP_SERVER_HEADER): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    server,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BODY_TOO_LARGE';
}

/** Reads a request body up to `limit` bytes; an empty or non-JSON body gives `null`. */
export async function readJson(req: http.IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 502: 'Bad Gateway', 504: 'Gateway Time-out' };

/**
 * One HTTP answer exactly as a product writes it on the wire: its reason phrase (h11 writes
 * none), header names in its own case and order, its body, and whether it closes the
 * connection afterwards or leaves it open as a keep-alive server does.
 */
export interface RawAnswer {
  status: number;
  reason: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body: string;
  close: boolean;
}

/** How long a keep-alive answer leaves the connection idle before the product closes it (nginx's keepalive_timeout). */
export const KEEP_ALIVE_IDLE_MS = 75_000;

/** The bytes of a RawAnswer: status line, headers, blank line, body. */
export function rawAnswerBytes(answer: RawAnswer): string {
  const lines = [`HTTP/1.1 ${answer.status} ${answer.reason}`, ...answer.headers.map(([name, value]) => `${name}: ${value}`), '', ''];
  return lines.join('\r\n') + answer.body;
}

/** Writes a RawAnswer on an upgrade socket; ends it, or leaves it idle-open like a keep-alive server. */
export function writeRawAnswer(socket: Duplex, answer: RawAnswer): void {
  if (socket.destroyed) return;
  if (answer.close) return void socket.end(rawAnswerBytes(answer));
  socket.write(rawAnswerBytes(answer));
  // Nothing more is parsed on an upgrade socket: the idle timer is the product's keep-alive timeout.
  socket.once('timeout', () => socket.destroy());
  if (socket instanceof net.Socket) socket.setTimeout(KEEP_ALIVE_IDLE_MS);
}

/** The twin's own (node) way of answering: date first, given headers, length, connection: close. */
export function nodeStyleAnswer(status: number, headers: Record<string, string>, body: string, now = new Date()): RawAnswer {
  return {
    status,
    reason: REASONS[status] ?? 'Error',
    headers: [['date', now.toUTCString()], ...Object.entries(headers), ['content-length', String(Buffer.byteLength(body))], ['connection', 'close']],
    body,
    close: true,
  };
}

/** Answers an upgrade request with a plain HTTP response and ends the socket. */
export function writeRawResponse(socket: Duplex, status: number, headers: Record<string, string>, body: string): void {
  writeRawAnswer(socket, nodeStyleAnswer(status, headers, body));
}
