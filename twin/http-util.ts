// Small HTTP helpers shared by the twin's services: JSON answers with an app-like Server
// header, bounded body reading, and a raw HTTP answer written on an upgrade socket.
import type http from 'node:http';
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

const REASONS: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 502: 'Bad Gateway' };

/** Answers an upgrade request with a plain HTTP response and ends the socket. */
export function writeRawResponse(socket: Duplex, status: number, headers: Record<string, string>, body: string): void {
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`, `date: ${new Date().toUTCString()}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', '');
  socket.end(lines.join('\r\n') + body);
}
