// The evidence model: what one WebSocket handshake left behind, on either channel.
// Plain types: records are built by our own code (raw-probe, browser-capture), so zod
// guards only the boundaries where outside answers come in. Every string in a record
// has already been through redaction when the record leaves its builder.

/** How the JWT travels on the upgrade request. */
export type Transport = 'subprotocol' | 'authorization-header' | 'query' | 'cookie';
export const TRANSPORTS: readonly Transport[] = ['subprotocol', 'authorization-header', 'query', 'cookie'];

/** The token under test: the valid one from the env's token source, or a forged bad one. */
export type TokenVariant =
  | 'valid'
  | 'missing'
  | 'empty'
  | 'malformed'
  | 'bad-signature'
  | 'alg-none'
  | 'expired'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'wrong-token-type'
  | 'other-secret';

/**
 * What became of the handshake.
 * - open: HTTP 101, the socket was usable (we closed it ourselves after the exchange)
 * - refused: the server answered the upgrade with a non-101 HTTP status
 * - closed-after-accept: 101, then the server closed before the exchange finished
 * - error: no HTTP answer (DNS, refused, reset, TLS, protocol violation)
 * - timeout: nothing conclusive within the budget
 * - not-attempted: the client never opened a socket (browser with no token)
 */
export type HandshakeOutcome = 'open' | 'refused' | 'closed-after-accept' | 'error' | 'timeout' | 'not-attempted';

/** Network-level failure classes, before any HTTP answer. */
export type ErrorClass = 'dns' | 'refused' | 'reset' | 'tls' | 'timeout' | 'protocol';
export type TlsProblem = 'untrusted' | 'expired' | 'hostname-mismatch' | 'other';

export interface HandshakeError {
  class: ErrorClass;
  /** Node's error code when there is one (ENOTFOUND, ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT…). */
  code: string | null;
  message: string;
  tls?: TlsProblem;
}

export interface Frame {
  direction: 'sent' | 'received';
  /** Milliseconds since the record started. */
  atMs: number;
  /** Text (capped, redacted); binary frames are summarised as `<binary N bytes>`. */
  data: string;
}

export interface CloseInfo {
  code: number | null;
  reason: string;
  /** Who sent the first close frame; `none` when the TCP connection just ended (1006). */
  by: 'server' | 'client' | 'none';
}

/**
 * Points in time, milliseconds since the probe started, taken on the request's own socket.
 * Absent marks did not happen (no DNS for a literal IP, no TLS for ws://).
 */
export interface TimingMarks {
  lookup?: number;
  connect?: number;
  secureConnect?: number;
  /** First byte of the HTTP response on the socket, before the HTTP parser. */
  firstByte?: number;
  /** The `upgrade` (101) or `unexpected-response` (other status) event. */
  response?: number;
  firstFrame?: number;
  closed?: number;
}

/**
 * Durations that add up to `totalMs` (the time of the last mark reached, up to the first frame).
 * dns + tcp + tls + wait (request written → first byte) + transfer (first byte → response) + firstFrame.
 */
export interface TimingPhases {
  dnsMs: number | null;
  tcpMs: number | null;
  tlsMs: number | null;
  waitMs: number | null;
  transferMs: number | null;
  firstFrameMs: number | null;
  totalMs: number;
}

export interface RawRecord {
  channel: 'raw';
  /** One line a triager reads: "valid token via subprotocol". */
  label: string;
  url: string;
  transport: Transport;
  tokenVariant: TokenVariant;
  /** Short, non-replayable fingerprint of the token, null when no token was sent. */
  tokenFingerprint: string | null;
  requestHeaders: Record<string, string>;
  offeredSubprotocols: string[];
  acceptedSubprotocol: string | null;
  outcome: HandshakeOutcome;
  status: number | null;
  statusText: string | null;
  responseHeaders: Record<string, string>;
  /** Response body of a refused upgrade, capped (see bodyTruncated). */
  body: string | null;
  bodyTruncated: boolean;
  frames: Frame[];
  close: CloseInfo | null;
  error: HandshakeError | null;
  marks: TimingMarks;
  timing: TimingPhases;
  /** The budget the probe ran under. */
  budgetMs: number;
  startedAt: string;
  /** Set on a deciding experiment: what it varies, e.g. "no Origin", "the browser's exact headers". */
  experiment?: string;
}

export interface ConsoleLine {
  type: string;
  text: string;
  atMs: number;
}

export interface BrowserRecord {
  channel: 'browser';
  label: string;
  pageUrl: string;
  /** The socket URL the page opened, null when it opened none. */
  wsUrl: string | null;
  tokenVariant: TokenVariant;
  tokenFingerprint: string | null;
  /** From CDP webSocketWillSendHandshakeRequest (redacted). */
  requestHeaders: Record<string, string>;
  offeredSubprotocols: string[];
  /** From CDP webSocketHandshakeResponseReceived: only a successful upgrade has one. */
  response: { status: number; statusText: string; headers: Record<string, string> } | null;
  /** CDP webSocketFrameError text, e.g. "Error during WebSocket handshake: Unexpected response code: 403". */
  frameError: string | null;
  /** The HTTP status read out of frameError (401 recognised from its wordless message), or the 101. */
  status: number | null;
  outcome: HandshakeOutcome;
  frames: Frame[];
  /** Close code as the page saw it (CloseEvent.code), via an instrumented WebSocket. */
  close: CloseInfo | null;
  console: ConsoleLine[];
  /** What the user sees: the frontend's status text, when the env names its selector. */
  uiStatus: string | null;
  timing: { createdMs: number | null; requestMs: number | null; responseMs: number | null; errorMs: number | null; closedMs: number | null };
  budgetMs: number;
  startedAt: string;
}

export type HandshakeRecord = RawRecord | BrowserRecord;

/** Many valid handshakes in a row: the evidence for intermittent refusals (burst-probe.ts). */
export interface BurstResult {
  attempts: number;
  opened: number;
  refused: number;
  errors: number;
  timeouts: number;
  /** (attempts - opened) / attempts */
  refusalRate: number;
  /** Wilson score interval of the refusal rate. */
  interval: { low: number; high: number; confidence: number };
  /** "101": n, "403": n, "error:reset": n, "timeout": n … */
  statusCounts: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  firstRefusal: RawRecord | null;
  firstOpen: RawRecord | null;
}

/** One concurrency step of the burst ramp: the step's own counts, plus what its chart needs. */
export interface RampStep extends BurstResult {
  /** Handshakes in flight at once during this step. */
  concurrency: number;
  /** Median time until a refused attempt was answered (ms), null when none was refused. */
  refusalP50Ms: number | null;
  /** Each attempt's decision time in ms (rounded to 0.1 ms), opened ones and the rest apart. */
  openedMs: number[];
  notOpenedMs: number[];
  /** Wall time of the step (ms). */
  durationMs: number;
}

/**
 * The burst as a gentle ramp (1 → 2 → 5 → 10 → max in flight), stopping its climb at the first
 * step with refusals: refusals already at 1 mean a bad instance; only from k, load.
 */
export interface BurstRamp {
  /** The concurrency steps planned, in order. */
  plan: number[];
  steps: RampStep[];
  /** completed: every planned step ran; refusals: stopped climbing at the first step with refusals. */
  stopped: 'completed' | 'refusals';
  /** The cap on handshakes started per second, null when uncapped. */
  maxRatePerSecond: number | null;
  /** When the first handshake started and the last one ended (ISO): the isolation self-test reads these. */
  startedAt: string;
  endedAt: string;
}
