import { test, expect } from '@playwright/test';
import { CAUSE_NAMES, CAUSES, type Cause, type Confidence, verdictHeadline } from '../../helpers/causes';
import { describeRecord, diagnose, type Evidence, failureMessage } from '../../helpers/diagnosis';
import {
  AUTH_FAILED_FRAME,
  browserClosed,
  browserError,
  browserNotAttempted,
  browserOpen,
  browserRecord,
  browserRefused,
  burstResult,
  configFacts,
  dependencies,
  EDGE_403_BODY,
  evidence,
  health,
  healthyEvidence,
  invalidRefused,
  NOT_READY_FRAME,
  rawClosed,
  rawError,
  rawOpen,
  rawRefused,
  validation,
} from './record-fixtures';

interface Row {
  title: string;
  evidence: Evidence;
  cause: Cause;
  confidence?: Confidence;
  /** The summary must match this. */
  summary?: RegExp | string;
  /** Some evidence line must match this. */
  cites?: RegExp;
}

/** Valid token refused by the app with its own 403 on every channel; invalid ones too. */
const all403 = (over: Partial<Evidence> = {}): Evidence =>
  evidence({
    raw: [rawRefused('valid', 'subprotocol', 403), rawRefused('valid', 'authorization-header', 403), ...invalidRefused()],
    browser: [browserRefused('valid', 403)],
    ...over,
  });
const noAuthUrl = () => configFacts({ dependencies: dependencies({ authServiceListed: false, authServiceHealthy: null }) });
const validRefusedAfter = (ms: number) => [rawRefused('valid', 'subprotocol', 403, { ms }), ...invalidRefused(403, { ms })];

// One row per cause (checked below), then the cases that tell neighbouring causes apart.
const causeRows: Row[] = [
  { title: 'every channel open, invalid refused', evidence: healthyEvidence(), cause: 'healthy', confidence: 'high', cites: /^raw subprotocol, valid token: HTTP 101/ },
  {
    title: '#631: auth says valid, every token 403, backend lists no auth service',
    evidence: all403({ config: noAuthUrl() }),
    cause: 'backend-cannot-use-auth-service',
    confidence: 'high',
    summary: /^The auth service accepts the token, yet the backend refuses it at the handshake \(HTTP 403\) exactly as it refuses invalid tokens: .*AUTH_SERVICE_URL is unset/,
    cites: /^dependencies status lists no 'Auth Service' check/,
  },
  {
    title: 'auth service down for the suite too',
    evidence: all403({
      config: configFacts({
        health: [health('backend'), health('auth', { ok: false, status: null, problem: 'ECONNREFUSED', serverHeader: null, ms: 2 })],
        valid: { httpStatus: null, valid: null, error: 'ECONNREFUSED', ms: 2 },
        dependencies: dependencies({ authServiceHealthy: false }),
      }),
    }),
    cause: 'auth-service-unreachable',
    confidence: 'high',
    cites: /^auth health GET \/health → failed: ECONNREFUSED/,
  },
  {
    title: 'refusal at the backend auth timeout, slow validation',
    evidence: evidence({ config: configFacts({ valid: { ms: 3200 } }), raw: validRefusedAfter(1612) }),
    cause: 'auth-service-slow',
    confidence: 'high',
    summary: /^the valid token is refused after 1612 ms, against the backend's 1600 ms auth timeout; the auth service took 3200 ms/,
  },
  {
    title: 'healthy auth service listed, token accepted, fast 403',
    evidence: all403({
      config: configFacts({ extraValidation: [validation('wrong-service-secret', { valid: false, error: 'invalid_service_secret' })] }),
    }),
    cause: 'service-credentials-rejected',
    confidence: 'medium',
    summary: /X-Service-Secret is the suspect \(the auth service does enforce the caller secret\)\.$/,
    cites: /wrong-service-secret token → valid=false, error invalid_service_secret/,
  },
  {
    title: 'auth service says the valid token is invalid',
    evidence: all403({ config: configFacts({ valid: { valid: false, error: 'invalid_token' }, dependencies: dependencies({ authServiceListed: false }) }) }),
    cause: 'token-rejected-by-auth-service',
    confidence: 'high',
    summary: /^The auth service itself rejects the valid token \(invalid_token\): the token is the problem/,
  },
  {
    title: '101, AUTH_FAILED frame, close 1008',
    evidence: evidence({ config: configFacts(), raw: [rawClosed('valid', 1008, 'Authentication failed', [AUTH_FAILED_FRAME])], browser: [browserClosed('valid', 1008, 'Authentication failed')] }),
    cause: 'refused-after-accept',
    summary: 'The backend accepted the upgrade (101), then closed with 1008 "Authentication failed" after an AUTH_FAILED frame: the client sees "connected", then a close.',
  },
  {
    title: '101 then close 1011 service not ready',
    evidence: evidence({ raw: [rawClosed('valid', 1011, 'Service not ready: startup incomplete', [NOT_READY_FRAME])] }),
    cause: 'backend-not-ready',
    summary: /closed with 1011 "Service not ready: startup incomplete"/,
  },
  {
    title: 'HTML 403 with a foreign Server header',
    evidence: evidence({
      config: configFacts(),
      raw: [rawRefused('valid', 'subprotocol', 403, { body: EDGE_403_BODY, server: 'awselb/2.0', contentType: 'text/html' })],
    }),
    cause: 'edge-proxy-refused',
    confidence: 'high',
    summary: "A proxy in front of the app answered the upgrade with HTTP 403 (an HTML body, Server awselb/2.0 instead of the app's uvicorn): the request never reached the app.",
  },
  {
    title: 'raw opens, browser refused 403',
    evidence: evidence({ config: configFacts(), raw: [rawOpen('valid', 'subprotocol')], browser: [browserRefused('valid', 403)] }),
    cause: 'origin-rejected',
    confidence: 'high',
    cites: /^browser, valid token: HTTP 403 \(frame error "Error during WebSocket handshake: Unexpected response code: 403"\)/,
  },
  {
    title: 'header transport refused, subprotocol opens',
    evidence: evidence({ raw: [rawOpen('valid', 'subprotocol'), rawRefused('valid', 'authorization-header', 403)] }),
    cause: 'authorization-header-stripped',
    summary: /^The valid token is refused via the Authorization header \(HTTP 403\) but connects via the subprotocol/,
  },
  {
    title: 'raw: server sent no subprotocol',
    evidence: evidence({ raw: [rawError('valid', 'protocol', null, 'Server sent no subprotocol')] }),
    cause: 'subprotocol-mismatch',
    summary: /^The server did not echo an offered subprotocol \(jwt-auth, jwt\)/,
  },
  {
    title: 'burst: 41 of 300 refused',
    evidence: evidence({ raw: [rawOpen()], burst: burstResult(300, 259) }),
    cause: 'intermittent-refusals',
    summary: /^41 of 300 refused: 13\.7 % \(95 % CI 10\.2–18\.0 %\); /,
    cites: /^burst of valid handshakes: 41 of 300 refused: .*101: 259, 403: 41; p50 11 ms, p95 27 ms$/,
  },
  {
    title: 'no answer within the budget',
    evidence: evidence({ raw: [rawError('valid', 'timeout', null, 'Opening handshake has timed out')] }),
    cause: 'handshake-timeout',
    summary: /did not answer the upgrade within the 5000 ms budget/,
  },
  {
    title: 'self-signed certificate',
    evidence: evidence({ raw: [rawError('valid', 'tls', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'untrusted')] }),
    cause: 'tls-failure',
    summary: 'TLS failed on the raw subprotocol channel: the certificate is not trusted (unknown or self-signed CA) (DEPTH_ZERO_SELF_SIGNED_CERT).',
  },
  {
    title: 'host does not resolve',
    evidence: evidence({ raw: [rawError('valid', 'dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND api.staging.invalid')] }),
    cause: 'dns-failure',
    summary: 'The host 127.0.0.1:41234 does not resolve (ENOTFOUND).',
  },
  {
    title: 'nothing listens',
    evidence: evidence({ raw: [rawError('valid', 'refused', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:41234')] }),
    cause: 'connection-refused',
  },
  { title: 'connection reset', evidence: evidence({ raw: [rawError('valid', 'reset', 'ECONNRESET', 'socket hang up')] }), cause: 'connection-reset' },
  {
    title: 'bypass key rejected',
    evidence: evidence({ config: configFacts({ tokenSource: { source: 'e2e-endpoint', ok: false, problem: 'bypass key rejected: HTTP 401', tokenFingerprint: null } }) }),
    cause: 'token-source-failed',
    summary: 'The e2e-endpoint token source failed: bypass key rejected: HTTP 401; no valid token to test with.',
  },
  {
    title: 'expired token opens on a healthy target',
    evidence: healthyEvidence({ raw: [rawOpen('valid'), rawOpen('expired'), rawRefused('bad-signature', 'subprotocol', 403)] }),
    cause: 'invalid-token-accepted',
    summary: /^The backend let 1 invalid token in \(expired via raw subprotocol\)/,
  },
  {
    title: 'valid 403 like invalid ones, nothing else known',
    evidence: all403(),
    cause: 'unexplained',
    confidence: 'low',
    summary: /invalid tokens get the same answer; without the auth service's own answer/,
  },
];

const trickyRows: Row[] = [
  {
    title: '#631 signature but auth says valid=false → token rejected, not #631',
    evidence: all403({ config: configFacts({ valid: { valid: false, error: 'invalid_token' }, dependencies: dependencies({ authServiceListed: false }) }) }),
    cause: 'token-rejected-by-auth-service',
  },
  { title: '#631 without the dependencies fact → medium', evidence: all403({ config: configFacts({ dependencies: null }) }), cause: 'backend-cannot-use-auth-service', confidence: 'medium' },
  {
    title: '#631 with the backend listing an unhealthy auth service → URL wrong',
    evidence: all403({ config: configFacts({ dependencies: dependencies({ authServiceHealthy: false }) }) }),
    cause: 'backend-cannot-use-auth-service',
    confidence: 'high',
    summary: /AUTH_SERVICE_URL is wrong/,
  },
  {
    title: 'not #631 when invalid tokens are refused differently (401 vs 403)',
    evidence: evidence({ config: configFacts({ dependencies: null }), raw: [rawRefused('valid', 'subprotocol', 403), ...invalidRefused(401)] }),
    cause: 'unexplained',
  },
  { title: 'header-stripped needs the subprotocol to open: both refused → not stripped', evidence: all403({ config: noAuthUrl() }), cause: 'backend-cannot-use-auth-service' },
  {
    title: 'browser TLS error while raw opens → tls-failure, not origin',
    evidence: evidence({ raw: [rawOpen()], browser: [browserError('valid', 'Error in connection establishment: net::ERR_CERT_AUTHORITY_INVALID')] }),
    cause: 'tls-failure',
    summary: 'TLS failed on the browser channel: the certificate is not trusted (unknown or self-signed CA) (ERR_CERT_AUTHORITY_INVALID).',
  },
  {
    title: 'browser connection refused while raw opens → connection-refused, not origin',
    evidence: evidence({ raw: [rawOpen()], browser: [browserError('valid', 'Error in connection establishment: net::ERR_CONNECTION_REFUSED')] }),
    cause: 'connection-refused',
  },
  { title: '403 with JSON body and the app Server header is not edge', evidence: evidence({ config: configFacts({ dependencies: null }), raw: [rawRefused('valid', 'subprotocol', 403)] }), cause: 'backend-cannot-use-auth-service' },
  {
    title: 'a foreign Server header alone (JSON body) is edge, medium',
    evidence: evidence({ config: configFacts(), raw: [rawRefused('valid', 'subprotocol', 403, { server: 'nginx' })] }),
    cause: 'edge-proxy-refused',
    confidence: 'medium',
  },
  { title: 'HTML body with no Server header is edge', evidence: evidence({ raw: [rawRefused('valid', 'subprotocol', 403, { body: EDGE_403_BODY, server: null })] }), cause: 'edge-proxy-refused' },
  { title: '101 then 1008 is not healthy, even with invalid ones refused', evidence: healthyEvidence({ raw: [rawClosed('valid', 1008, 'Authentication failed'), ...invalidRefused()] }), cause: 'refused-after-accept' },
  {
    title: 'an AUTH_FAILED frame on an open socket is not healthy',
    evidence: evidence({ raw: [rawOpen('valid', 'subprotocol', { frames: [{ direction: 'received', atMs: 3, data: AUTH_FAILED_FRAME }] })] }),
    cause: 'refused-after-accept',
  },
  { title: 'server closes 1003 after accept → subprotocol mismatch', evidence: evidence({ raw: [rawClosed('valid', 1003, 'Unsupported subprotocol')] }), cause: 'subprotocol-mismatch' },
  {
    title: 'browser frame error about Sec-WebSocket-Protocol → subprotocol mismatch',
    evidence: evidence({
      raw: [rawOpen()],
      browser: [browserError('valid', "Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received")],
    }),
    cause: 'subprotocol-mismatch',
  },
  { title: 'slow refusal (1500 of 1600 ms) → auth slow', evidence: evidence({ config: configFacts({ dependencies: null }), raw: validRefusedAfter(1500) }), cause: 'auth-service-slow', confidence: 'medium' },
  { title: 'same facts, fast refusal (12 ms) → #631', evidence: evidence({ config: configFacts({ dependencies: null }), raw: validRefusedAfter(12) }), cause: 'backend-cannot-use-auth-service' },
  { title: 'fast refusal with a healthy listed auth service → credentials, not slow', evidence: evidence({ config: configFacts(), raw: validRefusedAfter(12) }), cause: 'service-credentials-rejected' },
  { title: 'slow refusal with a healthy listed auth service → slow, not credentials', evidence: evidence({ config: configFacts(), raw: validRefusedAfter(1500) }), cause: 'auth-service-slow' },
  { title: 'burst 300 of 300 opened → healthy, not intermittent', evidence: healthyEvidence({ burst: burstResult(300, 300) }), cause: 'healthy' },
  { title: 'burst 0 of 300 opened → not intermittent (its refusal is the evidence)', evidence: evidence({ config: noAuthUrl(), raw: invalidRefused(), burst: burstResult(300, 0) }), cause: 'backend-cannot-use-auth-service' },
  {
    title: 'intermittent outranks header-stripped when probes land on different instances',
    evidence: evidence({ raw: [rawOpen('valid', 'subprotocol'), rawRefused('valid', 'authorization-header', 403)], burst: burstResult(40, 22) }),
    cause: 'intermittent-refusals',
  },
  {
    title: 'invalid token accepted outranks a valid path that is fine',
    evidence: healthyEvidence({ browser: [browserOpen('valid'), browserOpen('alg-none')] }),
    cause: 'invalid-token-accepted',
    confidence: 'high',
    summary: /\(alg-none via browser\)/,
  },
  { title: 'invalid token accepted outranks a network failure on the valid path', evidence: evidence({ raw: [rawError('valid', 'reset', 'ECONNRESET', 'socket hang up'), rawOpen('missing')] }), cause: 'invalid-token-accepted' },
  {
    title: 'dns outranks a timeout: the earliest failure on the path wins',
    evidence: evidence({ raw: [rawError('valid', 'timeout', null, 'Opening handshake has timed out'), rawError('valid', 'dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid')] }),
    cause: 'dns-failure',
  },
  { title: 'browser timeout → handshake-timeout', evidence: evidence({ browser: [browserRecordTimeout()] }), cause: 'handshake-timeout' },
  { title: 'close-1008 env: invalid tokens closed 1008, valid open → healthy', evidence: closeEnvEvidence(), cause: 'healthy' },
  {
    title: 'invalid token refused 401 where 403 is expected → unexplained, not healthy',
    evidence: healthyEvidence({ raw: [rawOpen('valid'), ...invalidRefused(401)] }),
    cause: 'unexplained',
    confidence: 'medium',
    summary: /not refused as the environment says \(handshake-403\)/,
  },
  { title: 'browser with no token opens no socket: fine for an invalid variant', evidence: evidence({ raw: [rawOpen()], browser: [browserNotAttempted('empty')] }), cause: 'healthy' },
  { title: 'browser opens no socket with the valid token → unexplained', evidence: evidence({ browser: [browserNotAttempted('valid')] }), cause: 'unexplained' },
  {
    title: 'jwt-secret-mismatch with a 1008 app → token rejected outranks refused-after-accept',
    evidence: evidence({ config: configFacts({ valid: { valid: false, error: 'invalid_token' } }), raw: [rawClosed('valid', 1008, 'Authentication failed', [AUTH_FAILED_FRAME])] }),
    cause: 'token-rejected-by-auth-service',
  },
  {
    title: "the suite's own secret rejected (caller error) is not the token's fault",
    evidence: all403({ config: configFacts({ valid: { valid: false, error: 'invalid_service_secret' }, dependencies: null }) }),
    cause: 'unexplained',
  },
  // Tests with one channel, or with invalid tokens only (the fault matrix found these).
  { title: 'browser-only fast 403, healthy config → unexplained, not credentials', evidence: evidence({ config: configFacts(), browser: [browserRefused('valid', 403)] }), cause: 'unexplained' },
  {
    title: 'header-only fast 403, healthy config → unexplained, not credentials',
    evidence: evidence({ config: configFacts(), raw: [rawRefused('valid', 'authorization-header', 403)] }),
    cause: 'unexplained',
  },
  { title: 'only invalid tokens, all 101 then 1008 in a 403 env → refused-after-accept', evidence: evidence({ raw: [rawClosed('expired', 1008, 'Authentication failed', [AUTH_FAILED_FRAME])] }), cause: 'refused-after-accept' },
  {
    title: 'only invalid tokens, handshake timed out → handshake-timeout',
    evidence: evidence({ raw: [rawError('expired', 'timeout', null, 'Opening handshake has timed out')] }),
    cause: 'handshake-timeout',
  },
  {
    title: 'only invalid tokens, refused 401 in a 403 env → unexplained, without claiming valid tokens connect',
    evidence: evidence({ raw: invalidRefused(401) }),
    cause: 'unexplained',
    summary: /^\d+ invalid tokens are not refused as the environment says \(handshake-403\)\.$/,
  },
  {
    title: 'browser page never loads (untrusted certificate) → tls-failure',
    evidence: evidence({ browser: [browserRecord('valid', { outcome: 'error', status: null, wsUrl: null, console: [{ type: 'navigation-error', text: 'page.goto: net::ERR_CERT_AUTHORITY_INVALID at https://127.0.0.1:1/', atMs: 5 }] })] }),
    cause: 'tls-failure',
  },
  {
    title: 'config only, backend health with an unverifiable leaf certificate → tls-failure',
    evidence: evidence({ config: configFacts({ health: [health('backend', { ok: false, status: null, problem: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', ms: 4 })] }) }),
    cause: 'tls-failure',
  },
  // Config verification alone: no handshake yet, the facts speak for themselves.
  { title: 'config only, all fine → healthy, medium', evidence: evidence({ config: configFacts() }), cause: 'healthy', confidence: 'medium' },
  { title: 'config only, backend lists no auth service → #631, low', evidence: evidence({ config: noAuthUrl() }), cause: 'backend-cannot-use-auth-service', confidence: 'low' },
  { title: 'config only, auth says invalid → token rejected, medium', evidence: evidence({ config: configFacts({ valid: { valid: false, error: 'invalid_token' } }) }), cause: 'token-rejected-by-auth-service', confidence: 'medium' },
  {
    title: 'config only, auth health refused → unreachable',
    evidence: evidence({ config: configFacts({ health: [health('auth', { ok: false, status: null, problem: 'ECONNREFUSED', ms: 1 })] }) }),
    cause: 'auth-service-unreachable',
  },
  {
    title: 'config only, backend health untrusted cert → tls-failure',
    evidence: evidence({ config: configFacts({ health: [health('backend', { ok: false, status: null, problem: 'DEPTH_ZERO_SELF_SIGNED_CERT', ms: 4 })] }) }),
    cause: 'tls-failure',
  },
];

function browserRecordTimeout() {
  return { ...browserRefused('valid', 0), status: null, frameError: null, outcome: 'timeout' as const };
}

function closeEnvEvidence(): Evidence {
  const e = evidence({ raw: [rawOpen(), rawClosed('expired', 1008, 'Authentication failed', [AUTH_FAILED_FRAME])], browser: [browserOpen(), browserClosed('bad-signature', 1008, 'Authentication failed')] });
  return { ...e, expect: { ...e.expect, invalidTokenRefusal: 'close-1008' } };
}

function check(row: Row): void {
  const before = structuredClone(row.evidence);
  const v = diagnose(row.evidence);
  const message = failureMessage(v);
  expect(v.cause, message).toBe(row.cause);
  expect(v.layer, message).toBe(CAUSES[row.cause].layer);
  if (row.confidence) expect(v.confidence, message).toBe(row.confidence);
  if (typeof row.summary === 'string') expect(v.summary, message).toBe(row.summary);
  else if (row.summary) expect(v.summary, message).toMatch(row.summary);
  if (row.cites) expect(v.evidence.some((line) => row.cites?.test(line)), message).toBe(true);
  expect(v.evidence.length, message).toBeGreaterThan(0);
  expect(row.evidence, 'diagnose must not mutate its input').toEqual(before);
  expect(diagnose(row.evidence), 'diagnose is pure').toEqual(v);
}

test.describe('diagnose: one row per cause', () => {
  test('the table covers every cause in CAUSE_NAMES', () => {
    expect(new Set(causeRows.map((r) => r.cause))).toEqual(new Set(CAUSE_NAMES));
  });
  for (const row of causeRows) test(`${row.cause}: ${row.title}`, () => check(row));
});

test.describe('diagnose: neighbouring causes told apart', () => {
  for (const row of trickyRows) test(row.title, () => check(row));
});

test.describe('describeRecord', () => {
  const rows: Array<[string, Parameters<typeof describeRecord>[0], string]> = [
    ['raw open', rawOpen(), 'raw subprotocol, valid token: HTTP 101 in 12 ms, subprotocol jwt-auth, 1 frame(s) received'],
    [
      'raw refused',
      rawRefused('valid', 'subprotocol', 403),
      'raw subprotocol, valid token: HTTP 403 Forbidden in 12 ms, Server uvicorn, body {"detail":"WebSocket authentication failed"}',
    ],
    [
      'raw closed after accept',
      rawClosed('valid', 1008, 'Authentication failed', [AUTH_FAILED_FRAME]),
      `raw subprotocol, valid token: HTTP 101, then close 1008 "Authentication failed" by server in 15 ms, frame ${AUTH_FAILED_FRAME}`,
    ],
    [
      'raw tls error',
      rawError('valid', 'tls', 'CERT_HAS_EXPIRED', 'certificate has expired', 'expired'),
      'raw subprotocol, valid token: tls error (expired, CERT_HAS_EXPIRED): certificate has expired after 3 ms',
    ],
    [
      'raw timeout after TCP connect',
      rawOpen('valid', 'subprotocol', { outcome: 'timeout', status: null, error: { class: 'timeout', code: null, message: 'Opening handshake has timed out' }, marks: { connect: 8 } }),
      'raw subprotocol, valid token: no answer within the 5000 ms budget; last event: TCP connect at 8 ms',
    ],
    [
      'browser error without a socket',
      { ...browserNotAttempted('valid'), outcome: 'error' },
      'browser, valid token: error, no frame error and no socket opened; the page shows "disconnected"',
    ],
    [
      'browser TLS error',
      browserError('valid', 'Error in connection establishment: net::ERR_CERT_AUTHORITY_INVALID'),
      'browser, valid token: error, frame error "Error in connection establishment: net::ERR_CERT_AUTHORITY_INVALID" at 40 ms; the page shows "disconnected"',
    ],
    [
      'browser refused 401',
      browserRefused('expired', 401),
      'browser, expired token: HTTP 401 (frame error "HTTP Authentication failed; no valid credentials available") at 40 ms; the page shows "disconnected"',
    ],
    ['browser open', browserOpen(), 'browser, valid token: HTTP 101 in 25 ms; the page shows "connected"'],
    ['browser no socket', browserNotAttempted('missing'), 'browser, missing token: the page opened no socket (not attempted); the page shows "disconnected"'],
  ];
  for (const [title, record, line] of rows) test(title, () => expect(describeRecord(record)).toBe(line));

  test('a long body is cut to an excerpt', () => {
    const line = describeRecord(rawRefused('valid', 'subprotocol', 403, { body: `{"detail":"${'x'.repeat(500)}"}` }));
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(260);
  });
});

test.describe('failureMessage', () => {
  test('first line is the headline, then one evidence line each', () => {
    const v = diagnose(all403({ config: noAuthUrl() }));
    const lines = failureMessage(v).split('\n');
    expect(lines[0]).toBe(verdictHeadline(v));
    expect(lines[0]).toMatch(/^Verdict \[backend-cannot-use-auth-service\] at app-handshake: /);
    expect(lines.slice(1, 1 + v.evidence.length)).toEqual(v.evidence.map((l) => `  - ${l}`));
    expect(lines.at(-1)).toBe('  (confidence: high)');
  });
});
