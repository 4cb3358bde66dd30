// One raw HTTP exchange on a net socket, for checking a product's exact bytes: the status
// line as written (an empty reason phrase included), header names in their case and order,
// the body by Content-Length, and whether the server closed the connection. A 101 ends at
// its blank line. Always settled by a deadline, always with the socket destroyed.
import net from 'node:net';

export interface RawExchange {
  statusLine: string;
  headers: Array<[string, string]>;
  body: string;
  /** The server closed the connection on its own (false: it left it open, keep-alive). */
  closedByServer: boolean;
}

export interface UpgradeRequest {
  protocols?: string[];
  origin?: string;
}

/** A WebSocket upgrade request for `wsUrl`, as a browser-less client writes it. */
export function upgradeRequest(wsUrl: string, opts: UpgradeRequest = {}): string {
  const url = new URL(wsUrl);
  const lines = [
    `GET ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
  ];
  if (opts.protocols?.length) lines.push(`Sec-WebSocket-Protocol: ${opts.protocols.join(', ')}`);
  if (opts.origin) lines.push(`Origin: ${opts.origin}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** How long to wait, after a complete keep-alive answer, to see whether the server closes anyway. */
const CLOSE_GRACE_MS = 300;

export function rawExchange(url: string, request: string, deadlineMs = 4000): Promise<RawExchange> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port) });
    let data = Buffer.alloc(0);
    let parsed: Omit<RawExchange, 'closedByServer'> | null = null;
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(grace);
      socket.destroy();
      if (parsed) resolve({ ...parsed, closedByServer });
      else reject(new Error(`no complete HTTP answer (${data.length} bytes: ${JSON.stringify(data.toString('latin1').slice(0, 200))})`));
    };
    const deadline = setTimeout(() => finish(false), deadlineMs);
    const tryParse = () => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...headerLines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers = headerLines.map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
      const length = headers.find(([name]) => name.toLowerCase() === 'content-length');
      const bodyLength = statusLine.startsWith('HTTP/1.1 101') ? 0 : Number(length?.[1] ?? Number.NaN);
      const body = data.subarray(end + 4);
      if (Number.isNaN(bodyLength) || body.length < bodyLength) return;
      parsed = { statusLine, headers, body: body.subarray(0, bodyLength).toString('utf8') };
      if (statusLine.startsWith('HTTP/1.1 101')) return finish(false);
      grace ??= setTimeout(() => finish(false), CLOSE_GRACE_MS);
    };
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (!parsed) tryParse();
    });
    socket.once('end', () => finish(true));
    socket.once('close', () => finish(true));
    socket.once('error', () => finish(true));
  });
}
