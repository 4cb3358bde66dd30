// The raw channel: one WebSocket handshake through node `ws`, with everything a browser
// hides — status, headers and body of a refused upgrade, close code and who closed, error
// class, timing phases taken on the request's own socket. Every path resolves with a
// RawRecord; only an unusable URL throws.
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import type {
  CloseInfo,
  Frame,
  HandshakeError,
  HandshakeOutcome,
  RawRecord,
  TimingMarks,
  TokenVariant,
  Transport,
} from '../records/handshake-record';
import { timingPhases } from './handshake-timing';
import { budgetTimeoutError, classifyNetworkError } from './network-errors';

export interface ProbeOptions {
  /** ws:// or wss:// */
  url: string;
  transport: Transport;
  /** null: send no token at all ('missing'); '' sends an empty one. */
  token: string | null;
  tokenVariant: TokenVariant;
  label: string;
  /** Origin header; raw clients may send one (undefined: none). */
  origin?: string;
  /** Headers added to the upgrade request (a deciding experiment replays the browser's User-Agent). */
  extraHeaders?: Record<string, string>;
  /** Marks the record as a deciding experiment: what it varies. */
  experiment?: string;
  /** Deadline for the whole handshake (and the exchange); past it the outcome is 'timeout'. */
  budgetMs: number;
  /** Extra CA (PEM) to trust for wss, on top of Node's root store. */
  ca?: string | null;
  /** After open: wait for the first frame (welcome), send `send`, wait for `expectReplies` more, close 1000. */
  exchange?: { send: string; expectReplies: number } | null;
  /** Without an exchange: how long to wait for a first frame after 101 before closing (0 = close at once). */
  firstFramesWaitMs?: number;
  /** Cap for the body of a refused upgrade and for each recorded frame. */
  maxBodyBytes?: number;
  /** Applied to every string stored in the record. */
  redact: (text: string) => string;
  tokenFingerprint: string | null;
}

/** What the client puts on the upgrade request for a transport. */
export interface HandshakeRequest {
  url: string;
  protocols: string[];
  headers: Record<string, string>;
}

/** The subprotocol the frontend offers next to its token entry, and the one servers echo. */
export const AUTH_SUBPROTOCOL = 'jwt-auth';
const DEFAULT_FIRST_FRAMES_WAIT_MS = 1000;
const DEFAULT_MAX_BODY_BYTES = 4096;
/** How long a close handshake we started may take before the socket is dropped. */
const CLOSE_GRACE_MS = 1000;
/** Frames kept per record; a chatty server must not grow the record without bound. */
const MAX_FRAMES = 32;
const PROBE_CLOSE_REASON = 'probe done';

/**
 * The upgrade request for a token and transport. A missing token (null) sends no token: with the
 * subprotocol transport the client still offers `jwt-auth`, as the frontend would, but no `jwt.` entry.
 */
export function handshakeRequest(url: URL, transport: Transport, token: string | null): HandshakeRequest {
  const target = new URL(url);
  const headers: Record<string, string> = {};
  let protocols: string[] = [];
  switch (transport) {
    case 'subprotocol':
      protocols =
        token === null ? [AUTH_SUBPROTOCOL] : [AUTH_SUBPROTOCOL, `jwt.${Buffer.from(token, 'utf8').toString('base64url')}`];
      break;
    case 'authorization-header':
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      break;
    case 'query':
      if (token !== null) target.searchParams.set('token', token);
      break;
    case 'cookie':
      if (token !== null) headers.Cookie = `token=${token}`;
      break;
  }
  return { url: target.href, protocols, headers };
}

function parseWsUrl(raw: string, redact: (text: string) => string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`probeHandshake: not a valid URL: ${redact(raw)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`probeHandshake: expected a ws:// or wss:// URL, got ${redact(raw)}`);
  }
  if (url.hash !== '') throw new Error(`probeHandshake: a WebSocket URL cannot have a fragment: ${redact(raw)}`);
  return url;
}

/**
 * Opens one handshake and records what happened. Resolves (never rejects) once the socket is
 * closed; throws only for a URL that is not ws:// or wss://.
 */
export async function probeHandshake(opts: ProbeOptions): Promise<RawRecord> {
  const url = parseWsUrl(opts.url, opts.redact);
  const request = handshakeRequest(url, opts.transport, opts.token);
  return new Promise<RawRecord>((resolve) => runProbe(opts, url.protocol === 'wss:', request, resolve));
}

/** One secure context per extra CA: building one parses Node's whole root store, too slow per probe. */
const secureContexts = new Map<string, tls.SecureContext>();
function secureContextFor(ca: string): tls.SecureContext {
  let context = secureContexts.get(ca);
  if (context === undefined) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ca] });
    secureContexts.set(ca, context);
  }
  return context;
}

type ConnectOptions = net.NetConnectOpts & tls.ConnectionOptions & { socketPath?: string; host?: string };

function runProbe(opts: ProbeOptions, secure: boolean, request: HandshakeRequest, resolve: (r: RawRecord) => void): void {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const since = (): number => performance.now() - t0;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const exchange = opts.exchange ?? null;
  const marks: TimingMarks = {};
  const frames: Frame[] = [];

  let sentHeaders: OutgoingHttpHeaders = {};
  let status: number | null = null;
  let statusText: string | null = null;
  let responseHeaders: IncomingHttpHeaders = {};
  let body: string | null = null;
  let bodyTruncated = false;
  let refused = false;
  let error: HandshakeError | null = null;
  let close: CloseInfo | null = null;
  let accepted: string | null = null;

  let socket: net.Socket | null = null;
  let wsClosed = false;
  let finished = false;
  let opened = false;
  let weClosed = false;
  let weTerminated = false;
  let errorAfterOpen = false;
  let timedOut = false;
  let exchangeDone = false;
  let received = 0;
  let bodyCut: (() => void) | null = null;
  let frameTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const deadline = setTimeout(onDeadline, opts.budgetMs);

  // ws hands its request options to createConnection; mirror its own netConnect/tlsConnect
  // (the request path must not reach net.connect as an IPC path) and watch the socket.
  function connect(options: ConnectOptions): net.Socket {
    let s: net.Socket;
    if (secure) {
      options.path = undefined;
      if (!options.servername && options.servername !== '') {
        options.servername = net.isIP(options.host ?? '') ? '' : options.host;
      }
      if (opts.ca) options.secureContext = secureContextFor(opts.ca);
      s = tls.connect(options);
      s.once('secureConnect', () => {
        marks.secureConnect = since();
      });
    } else {
      options.path = options.socketPath;
      s = net.connect(options);
    }
    s.once('lookup', () => {
      marks.lookup = since();
    });
    s.once('connect', () => {
      marks.connect = since();
    });
    // Before the HTTP parser's own 'data' listener, so the mark is the byte's arrival.
    s.prependOnceListener('data', () => {
      marks.firstByte = since();
    });
    s.once('close', maybeFinish);
    socket = s;
    return s;
  }

  let ws: WebSocket;
  try {
    ws = new WebSocket(request.url, request.protocols, {
      handshakeTimeout: opts.budgetMs,
      headers: { ...opts.extraHeaders, ...request.headers },
      origin: opts.origin,
      // ws types this as net.createConnection with all its overloads; ws only ever calls it with options.
      createConnection: connect as unknown as typeof net.createConnection,
      finishRequest: (req: ClientRequest) => {
        sentHeaders = req.getHeaders();
        req.end();
      },
    });
  } catch (err) {
    // Synchronous refusals from ws/http (a token with characters no header may carry).
    error = classifyNetworkError(err);
    wsClosed = true;
    if (socket !== null) (socket as net.Socket).destroy();
    maybeFinish();
    return;
  }

  ws.on('upgrade', (res: IncomingMessage) => {
    marks.response = since();
    status = res.statusCode ?? null;
    statusText = res.statusMessage ?? null;
    responseHeaders = res.headers;
  });

  ws.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
    marks.response = since();
    refused = true;
    status = res.statusCode ?? null;
    statusText = res.statusMessage ?? null;
    responseHeaders = res.headers;
    readBody(res);
  });

  ws.on('open', () => {
    opened = true;
    accepted = ws.protocol === '' ? null : ws.protocol;
    if (exchange !== null) return;
    const wait = opts.firstFramesWaitMs ?? DEFAULT_FIRST_FRAMES_WAIT_MS;
    if (wait <= 0) closeOurs();
    else frameTimer = setTimeout(closeOurs, wait);
  });

  ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    received += 1;
    if (marks.firstFrame === undefined) marks.firstFrame = since();
    pushFrame('received', frameText(data, isBinary, maxBody));
    if (weClosed) return;
    if (exchange === null) {
      closeOurs();
    } else if (received === 1) {
      ws.send(exchange.send);
      pushFrame('sent', capText(exchange.send, maxBody));
      if (exchange.expectReplies <= 0) finishExchange();
    } else if (received - 1 >= exchange.expectReplies) {
      finishExchange();
    }
  });

  ws.on('error', (err: Error) => {
    if (weTerminated || finished) return;
    if (opened) errorAfterOpen = true;
    if (error === null) error = classifyNetworkError(err);
  });

  ws.on('close', (code: number, reason: Buffer) => {
    wsClosed = true;
    if (opened) close = { code, reason: reason.toString('utf8'), by: closedBy(code) };
    maybeFinish();
  });

  function readBody(res: IncomingMessage): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const endBody = (truncated: boolean): void => {
      if (done) return;
      done = true;
      body = Buffer.concat(chunks, Math.min(size, maxBody)).toString('utf8');
      bodyTruncated = truncated;
      terminate();
    };
    res.on('data', (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBody) endBody(true);
    });
    res.once('end', () => endBody(false));
    // The connection ended (or we cut it at the deadline) before the body did.
    res.once('close', () => endBody(true));
    res.on('error', () => endBody(true));
    bodyCut = () => endBody(true);
  }

  function pushFrame(direction: Frame['direction'], data: string): void {
    if (frames.length < MAX_FRAMES) frames.push({ direction, atMs: since(), data });
  }

  function finishExchange(): void {
    exchangeDone = true;
    closeOurs();
  }

  function closeOurs(): void {
    clearTimeout(frameTimer);
    // The server's close frame came first: ws is already CLOSING and answers it itself.
    if (weClosed || ws.readyState !== WebSocket.OPEN) return;
    weClosed = true;
    ws.close(1000, PROBE_CLOSE_REASON);
    graceTimer = setTimeout(terminate, CLOSE_GRACE_MS);
  }

  function terminate(): void {
    weTerminated = true;
    ws.terminate();
  }

  function closedBy(code: number): CloseInfo['by'] {
    if (code === 1006) return 'none';
    // ws closes by itself (1002, 1007, 1009…) after a protocol error on a frame.
    if (!weClosed) return errorAfterOpen ? 'client' : 'server';
    // Our close frame crossed one the server had already sent with its own code.
    return code === 1000 ? 'client' : 'server';
  }

  function onDeadline(): void {
    if (finished || weClosed) return;
    if (opened && exchange === null) {
      // The handshake completed; only the wait for a first frame ran out of budget.
      closeOurs();
      return;
    }
    if (refused) {
      bodyCut?.();
      return;
    }
    timedOut = true;
    if (error === null) error = budgetTimeoutError(opts.budgetMs);
    terminate();
  }

  // Done once ws has closed and the socket is destroyed (its 'close' event may come a turn later;
  // `destroyed` already guarantees nothing is left open).
  function maybeFinish(): void {
    if (finished || !wsClosed || (socket !== null && !socket.destroyed)) return;
    finished = true;
    clearTimeout(deadline);
    clearTimeout(frameTimer);
    clearTimeout(graceTimer);
    marks.closed = since();
    resolve(buildRecord());
  }

  function decideOutcome(): HandshakeOutcome {
    if (refused) return 'refused';
    if (timedOut) return 'timeout';
    if (opened) {
      const ours = close !== null && close.by === 'client' && !errorAfterOpen;
      return ours && (exchange === null || exchangeDone) ? 'open' : 'closed-after-accept';
    }
    if (error === null) error = { class: 'protocol', code: null, message: 'Connection closed without an HTTP answer' };
    return error.class === 'timeout' ? 'timeout' : 'error';
  }

  function buildRecord(): RawRecord {
    const redact = opts.redact;
    const outcome = decideOutcome();
    const e: HandshakeError | null = error;
    const c: CloseInfo | null = close;
    return {
      channel: 'raw',
      label: redact(opts.label),
      url: redact(request.url),
      transport: opts.transport,
      tokenVariant: opts.tokenVariant,
      tokenFingerprint: opts.tokenFingerprint,
      requestHeaders: headerRecord(sentHeaders, redact),
      offeredSubprotocols: request.protocols.map(redact),
      acceptedSubprotocol: accepted === null ? null : redact(accepted),
      outcome,
      status,
      statusText: statusText === null ? null : redact(statusText),
      responseHeaders: headerRecord(responseHeaders, redact),
      body: body === null ? null : redact(body),
      bodyTruncated,
      frames: frames.map((f) => ({ direction: f.direction, atMs: f.atMs, data: redact(f.data) })),
      close: c === null ? null : { code: c.code, reason: redact(c.reason), by: c.by },
      error: e === null ? null : { ...e, message: redact(e.message) },
      marks,
      timing: timingPhases(marks),
      budgetMs: opts.budgetMs,
      startedAt,
      ...(opts.experiment ? { experiment: opts.experiment } : {}),
    };
  }
}

function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function frameText(data: WebSocket.RawData, isBinary: boolean, max: number): string {
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  if (isBinary) return `<binary ${buf.length} bytes>`;
  return capText(buf.toString('utf8'), max);
}

function headerRecord(headers: OutgoingHttpHeaders | IncomingHttpHeaders, redact: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[redact(name)] = redact(Array.isArray(value) ? value.join(', ') : String(value));
  }
  return out;
}
