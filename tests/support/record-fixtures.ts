// Factories for the diagnosis tests: records, config facts and bursts as the real builders
// would leave them (already redacted), each a healthy default changed by a few overrides.
import type { ConfigFacts, DependenciesFact, HealthFact, ServiceName, ValidationFact } from '../../helpers/records/config-facts';
import type { Evidence } from '../../helpers/diagnosis/engine';
import type { BrowserRecord, BurstRamp, BurstResult, ErrorClass, Frame, RampStep, RawRecord, TlsProblem, TokenVariant, Transport } from '../../helpers/records/handshake-record';

export const WS_URL = 'ws://127.0.0.1:41234/ws';
export const APP_SERVER = 'uvicorn';
export const APP_403_BODY = '{"detail":"WebSocket authentication failed"}';
export const EDGE_403_BODY = '<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center></body></html>';
export const AUTH_FAILED_FRAME = '{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Authentication failed"}';
export const NOT_READY_FRAME = '{"type":"error","error_code":"CONNECTION_ERROR","message":"Service not ready: startup incomplete"}';

const fp = (variant: TokenVariant) => (variant === 'missing' ? null : `‹fp:${Buffer.from(variant).toString('hex').padEnd(8, '0').slice(0, 8)}›`);

function timing(totalMs: number): RawRecord['timing'] {
  return { dnsMs: null, tcpMs: 1, tlsMs: null, waitMs: totalMs - 2, transferMs: 1, firstFrameMs: null, totalMs };
}

export function rawRecord(variant: TokenVariant, transport: Transport, over: Partial<RawRecord> = {}): RawRecord {
  return {
    channel: 'raw',
    label: `${variant} token via raw ${transport}`,
    url: WS_URL,
    transport,
    tokenVariant: variant,
    tokenFingerprint: fp(variant),
    requestHeaders: {},
    offeredSubprotocols: transport === 'subprotocol' ? ['jwt-auth', 'jwt.‹fp:00000000›'] : [],
    acceptedSubprotocol: transport === 'subprotocol' ? 'jwt-auth' : null,
    outcome: 'open',
    status: 101,
    statusText: 'Switching Protocols',
    responseHeaders: { server: APP_SERVER, upgrade: 'websocket' },
    body: null,
    bodyTruncated: false,
    frames: [{ direction: 'received', atMs: 14, data: '{"type":"connection_established"}' }],
    close: { code: 1000, reason: '', by: 'client' },
    error: null,
    marks: { connect: 1, firstByte: 11, response: 12, firstFrame: 14 },
    timing: timing(12),
    budgetMs: 5000,
    startedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export const rawOpen = (variant: TokenVariant = 'valid', transport: Transport = 'subprotocol', over: Partial<RawRecord> = {}) =>
  rawRecord(variant, transport, over);

export interface RefusalShape {
  ms?: number;
  body?: string | null;
  server?: string | null;
  contentType?: string;
}

export function rawRefused(variant: TokenVariant, transport: Transport, status: number, shape: RefusalShape = {}): RawRecord {
  const headers: Record<string, string> = { 'content-type': shape.contentType ?? 'application/json' };
  const server = shape.server === undefined ? APP_SERVER : shape.server;
  if (server) headers.server = server;
  return rawRecord(variant, transport, {
    outcome: 'refused',
    status,
    statusText: status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : null,
    responseHeaders: headers,
    body: shape.body === undefined ? APP_403_BODY : shape.body,
    acceptedSubprotocol: null,
    frames: [],
    close: { code: 1006, reason: '', by: 'none' },
    marks: { connect: 1, firstByte: (shape.ms ?? 12) - 1, response: shape.ms ?? 12 },
    timing: timing(shape.ms ?? 12),
  });
}

export function rawClosed(variant: TokenVariant, code: number, reason: string, frames: string[] = [], transport: Transport = 'subprotocol'): RawRecord {
  return rawRecord(variant, transport, {
    outcome: 'closed-after-accept',
    frames: frames.map((data, i): Frame => ({ direction: 'received', atMs: 14 + i, data })),
    close: { code, reason, by: 'server' },
    marks: { connect: 1, firstByte: 11, response: 12, firstFrame: 14, closed: 15 },
    timing: timing(14),
  });
}

export function rawError(variant: TokenVariant, cls: ErrorClass, code: string | null, message: string, tls?: TlsProblem): RawRecord {
  return rawRecord(variant, 'subprotocol', {
    outcome: cls === 'timeout' ? 'timeout' : 'error',
    status: null,
    statusText: null,
    responseHeaders: {},
    acceptedSubprotocol: null,
    frames: [],
    close: null,
    error: { class: cls, code, message, ...(tls ? { tls } : {}) },
    marks: {},
    timing: timing(cls === 'timeout' ? 5000 : 3),
  });
}

export function browserRecord(variant: TokenVariant, over: Partial<BrowserRecord> = {}): BrowserRecord {
  return {
    channel: 'browser',
    label: `${variant} token via the chat page`,
    pageUrl: 'http://127.0.0.1:41235/',
    wsUrl: WS_URL,
    tokenVariant: variant,
    tokenFingerprint: fp(variant),
    requestHeaders: {},
    offeredSubprotocols: ['jwt-auth', 'jwt.‹fp:00000000›'],
    response: { status: 101, statusText: 'Switching Protocols', headers: { server: APP_SERVER } },
    frameError: null,
    status: 101,
    outcome: 'open',
    frames: [{ direction: 'received', atMs: 30, data: '{"type":"connection_established"}' }],
    close: null,
    console: [],
    uiStatus: 'connected',
    timing: { createdMs: 10, requestMs: 11, responseMs: 25, errorMs: null, closedMs: null },
    budgetMs: 5000,
    startedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export const browserOpen = (variant: TokenVariant = 'valid') => browserRecord(variant);

export function browserRefused(variant: TokenVariant, status: number): BrowserRecord {
  const frameError =
    status === 401 ? 'HTTP Authentication failed; no valid credentials available' : `Error during WebSocket handshake: Unexpected response code: ${status}`;
  return browserRecord(variant, {
    response: null,
    frameError,
    status,
    outcome: 'refused',
    frames: [],
    close: { code: 1006, reason: '', by: 'none' },
    uiStatus: 'disconnected',
    timing: { createdMs: 10, requestMs: 11, responseMs: null, errorMs: 40, closedMs: 41 },
  });
}

export function browserError(variant: TokenVariant, frameError: string): BrowserRecord {
  return { ...browserRefused(variant, 0), status: null, outcome: 'error', frameError };
}

export function browserClosed(variant: TokenVariant, code: number, reason: string): BrowserRecord {
  return browserRecord(variant, { outcome: 'closed-after-accept', close: { code, reason, by: 'server' }, uiStatus: 'auth failed' });
}

export function browserNotAttempted(variant: TokenVariant): BrowserRecord {
  return browserRecord(variant, {
    wsUrl: null,
    response: null,
    status: null,
    outcome: 'not-attempted',
    frames: [],
    uiStatus: 'disconnected',
    timing: { createdMs: null, requestMs: null, responseMs: null, errorMs: null, closedMs: null },
  });
}

export function health(service: ServiceName, over: Partial<HealthFact> = {}): HealthFact {
  return { service, url: `http://127.0.0.1:4100${service.length}/health`, status: 200, ok: true, problem: null, serverHeader: APP_SERVER, ms: 3, ...over };
}

export function validation(tokenVariant: string, over: Partial<ValidationFact> = {}): ValidationFact {
  const valid = tokenVariant === 'valid';
  return {
    tokenVariant,
    tokenFingerprint: '‹fp:12345678›',
    url: 'http://127.0.0.1:41004/auth/validate',
    httpStatus: 200,
    valid,
    error: valid ? null : 'invalid_token',
    ms: 8,
    ...over,
  };
}

export function dependencies(over: Partial<DependenciesFact> = {}): DependenciesFact {
  return { url: 'http://127.0.0.1:41007/api/system/dependencies/status', httpStatus: 200, authServiceListed: true, authServiceHealthy: true, problem: null, ...over };
}

export interface ConfigShape {
  health?: HealthFact[];
  /** Replaces the answer for the valid token. */
  valid?: Partial<ValidationFact>;
  extraValidation?: ValidationFact[];
  dependencies?: DependenciesFact | null;
  tokenSource?: Partial<ConfigFacts['tokenSource']>;
}

export function configFacts(shape: ConfigShape = {}): ConfigFacts {
  return {
    health: shape.health ?? [health('frontend'), health('backend'), health('auth')],
    tokenSource: { source: 'mint', ok: true, problem: null, tokenFingerprint: '‹fp:12345678›', expiresAt: '2026-01-01T00:30:00.000Z', ...shape.tokenSource },
    validation: [validation('valid', shape.valid), validation('bad-signature'), ...(shape.extraValidation ?? [])],
    dependencies: shape.dependencies === undefined ? dependencies() : shape.dependencies,
  };
}

export function burstResult(attempts: number, opened: number, firstRefusal: RawRecord | null = null): BurstResult {
  const notOpened = attempts - opened;
  const rate = notOpened / attempts;
  return {
    attempts,
    opened,
    refused: notOpened,
    errors: 0,
    timeouts: 0,
    refusalRate: rate,
    interval: wilson(notOpened, attempts),
    statusCounts: { ...(opened ? { '101': opened } : {}), ...(notOpened ? { '403': notOpened } : {}) },
    p50Ms: 11,
    p95Ms: 27,
    firstRefusal: notOpened ? (firstRefusal ?? rawRefused('valid', 'subprotocol', 403)) : null,
    firstOpen: opened ? rawOpen() : null,
  };
}

/** Wilson score interval at 95 %, so the fixtures carry realistic bounds. */
function wilson(k: number, n: number): BurstResult['interval'] {
  const z = 1.959964;
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), confidence: 0.95 };
}

export function evidence(over: Partial<Evidence> = {}): Evidence {
  return {
    config: null,
    raw: [],
    browser: [],
    burst: null,
    expect: { invalidTokenRefusal: 'handshake-403', backendAuthTimeoutMs: 1600, handshakeBudgetMs: 5000 },
    ...over,
  };
}

/** Invalid tokens refused as the contract says: app 403 with its JSON body. */
export const invalidRefused = (status = 403, shape: RefusalShape = {}): RawRecord[] => [
  rawRefused('bad-signature', 'subprotocol', status, shape),
  rawRefused('expired', 'subprotocol', status, shape),
  rawRefused('missing', 'subprotocol', status, shape),
];

/** A healthy target, every channel: the baseline the rows below break one thing in. */
export function healthyEvidence(over: Partial<Evidence> = {}): Evidence {
  return evidence({
    config: configFacts(),
    raw: [rawOpen('valid', 'subprotocol'), rawOpen('valid', 'authorization-header'), ...invalidRefused()],
    browser: [browserOpen('valid'), browserNotAttempted('missing')],
    burst: burstResult(300, 300),
    ...over,
  });
}

/** The same record as sent with an Origin header (the raw client sends the frontend's by default). */
export function withOrigin<R extends RawRecord>(r: R, origin = 'http://127.0.0.1:41235'): R {
  return { ...r, requestHeaders: { ...r.requestHeaders, origin } };
}

/** The same record marked as a deciding experiment. */
export function asExperiment<R extends RawRecord>(r: R, experiment: string): R {
  return { ...r, experiment };
}

/** A ramp from [concurrency, attempts, opened, refusal p50 ms?] rows. */
export function rampOf(rows: Array<[number, number, number, number?]>): BurstRamp {
  const steps: RampStep[] = rows.map(([concurrency, attempts, opened, refusalMs]) => ({
    ...burstResult(attempts, opened),
    concurrency,
    refusalP50Ms: attempts > opened ? (refusalMs ?? 12) : null,
    openedMs: Array.from({ length: opened }, () => 11),
    notOpenedMs: Array.from({ length: attempts - opened }, () => refusalMs ?? 12),
    durationMs: 100,
  }));
  return {
    plan: [1, 2, 5, 10],
    steps,
    stopped: steps.some((s) => s.opened < s.attempts) ? 'refusals' : 'completed',
    maxRatePerSecond: null,
    startedAt: '2026-11-29T10:00:00.000Z',
    endedAt: '2026-11-29T10:00:01.000Z',
  };
}
