import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { CAUSE_NAMES, CAUSES, type Cause, type Confidence, type Layer, verdictHeadline } from '../../../helpers/diagnosis/causes';
import { describeRecord, diagnose, type Evidence, failureMessage, RULES, verdictForFailedTest } from '../../../helpers/diagnosis/engine';
import { CONTRACT_MESSAGES, parseAppMessages } from '../../../helpers/diagnosis/app-messages';
import { EXPERIMENT } from '../../../helpers/diagnosis/context';
import {
  AUTH_FAILED_FRAME,
  browserClosed,
  browserError,
  browserNotAttempted,
  browserOpen,
  browserRecord,
  asExperiment,
  browserRefused,
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
  rampOf,
  withOrigin,
} from '../../support/record-fixtures';

interface Row {
  title: string;
  evidence: Evidence;
  cause: Cause;
  confidence?: Confidence;
  /** The summary must match this. */
  summary?: RegExp | string;
  /** Some evidence line must match this. */
  cites?: RegExp;
  /** Where the refusal happened, when it is not the cause's usual layer. */
  layer?: Layer;
  /** The candidates an undecided verdict must list, in order. */
  candidates?: Cause[];
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
const NO_ORIGIN = EXPERIMENT.noOrigin;
const WS_BODYLESS = { server: 'Python/3.11 websockets/10.4', body: '', contentType: 'text/plain' } as const;
/** The app's refusal of a forged token sent without Origin: what the app itself answers. */
const appForged = () => asExperiment(rawRefused('bad-signature', 'subprotocol', 403), NO_ORIGIN);

const causeRows: Row[] = [
  { title: 'every channel open, invalid refused', evidence: healthyEvidence(), cause: 'healthy', confidence: 'high', cites: /^raw subprotocol, valid token: HTTP 101/ },
  {
    title: '#631: auth says valid, every token 403 alike, backend lists no auth service',
    evidence: all403({ config: noAuthUrl() }),
    cause: 'backend-cannot-use-auth-service',
    confidence: 'high',
    summary: /^The auth service accepts the token, yet the backend refuses it \(HTTP 403\) exactly as it refuses forged tokens: .*AUTH_SERVICE_URL is unset/,
    cites: /^decided by: valid and forged \(bad-signature, expired\) refused identically: HTTP 403 Forbidden, Server uvicorn/,
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
    title: 'healthy auth service listed, token accepted, refused like a forged token',
    evidence: all403({ config: configFacts() }),
    cause: 'service-credentials-rejected',
    confidence: 'medium',
    summary: /X-Service-Secret is the suspect\.$/,
  },
  {
    title: 'auth service says the valid token is invalid',
    evidence: all403({ config: configFacts({ valid: { valid: false, error: 'invalid_token' }, dependencies: dependencies({ authServiceListed: false }) }) }),
    cause: 'token-rejected-by-auth-service',
    confidence: 'high',
    summary: /^The auth service itself rejects the valid token \(invalid_token\), and the backend refuses it/,
  },
  {
    title: '101, an unknown message, close 1008 for the valid token; forged refused at the handshake',
    evidence: evidence({
      config: configFacts(),
      raw: [rawClosed('valid', 1008, 'Policy violation', ['{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Quota exceeded"}']), ...invalidRefused()],
    }),
    cause: 'refused-after-accept',
    summary: /saying "AUTH_FAILED \| Quota exceeded \| Policy violation", unlike forged tokens/,
  },
  {
    title: '101 then close 1011 service not ready',
    evidence: evidence({ raw: [rawClosed('valid', 1011, 'Service not ready: startup incomplete', [NOT_READY_FRAME])] }),
    cause: 'backend-not-ready',
    summary: /closed with 1011 "Service not ready: startup incomplete"/,
  },
  {
    title: 'refused with an Origin (HTML, another Server), opens without; the app answers forged tokens otherwise',
    evidence: evidence({
      config: configFacts(),
      raw: [
        withOrigin(rawRefused('valid', 'subprotocol', 403, { body: EDGE_403_BODY, server: 'awselb/2.0', contentType: 'text/html' })),
        asExperiment(rawOpen('valid'), NO_ORIGIN),
        withOrigin(rawRefused('bad-signature', 'subprotocol', 403, { body: EDGE_403_BODY, server: 'awselb/2.0', contentType: 'text/html' })),
        appForged(),
      ],
    }),
    cause: 'edge-proxy-refused',
    confidence: 'high',
    cites: /^decided by: .*the refusal differs from the app's own refusal of a forged token in: Server, content type, body/,
  },
  {
    title: 'browser refused, raw opens, the raw replay of the browser refused exactly as the app refuses forged tokens',
    evidence: evidence({
      config: configFacts(),
      raw: [rawOpen('valid', 'subprotocol'), asExperiment(rawRefused('valid', 'subprotocol', 403), EXPERIMENT.browserReplay), ...invalidRefused()],
      browser: [browserRefused('valid', 403)],
    }),
    cause: 'origin-rejected',
    confidence: 'high',
    cites: /^decided by: .*refused exactly as the app refuses a forged token without Origin/,
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
    title: 'ramp: one in flight, 37 of 75 refused',
    evidence: healthyEvidence({ burst: null, ramp: rampOf([[1, 75, 38]]) }),
    cause: 'intermittent-refusals',
    summary: /^Valid handshakes made one at a time are refused at a steady rate \(37 of 75 refused: 49\.3 %/,
  },
  {
    title: 'ramp: none refused at 1, 2 and 5 in flight, 55 of 75 at 10',
    evidence: healthyEvidence({ burst: null, ramp: rampOf([[1, 75, 75], [2, 75, 75], [5, 75, 75], [10, 75, 20, 310]]) }),
    cause: 'refusals-under-load',
    confidence: 'high',
    summary: /^The backend refuses valid tokens when 10 handshakes are in flight \(55 of 75 refused.*refusals arrive after p50 310 ms/,
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
    title: 'valid 403 like forged ones, no answer from the auth service → candidates, not a guess',
    evidence: all403(),
    cause: 'unexplained',
    confidence: 'low',
    candidates: ['unexplained', 'backend-cannot-use-auth-service', 'service-credentials-rejected', 'token-rejected-by-auth-service'],
  },
];

const trickyRows: Row[] = [
  // Issue #9's observations, one row each: the same fault presented by another stack.
  {
    title: "obs 1: websockets' own refusal (Python Server, empty body) while /health says uvicorn is #631, not an edge",
    evidence: evidence({
      config: configFacts({ health: [health('backend', { serverHeader: 'uvicorn' })], dependencies: dependencies({ authServiceListed: false }) }),
      raw: [rawRefused('valid', 'subprotocol', 403, WS_BODYLESS), rawRefused('bad-signature', 'subprotocol', 403, WS_BODYLESS)],
    }),
    cause: 'backend-cannot-use-auth-service',
    confidence: 'high',
  },
  {
    title: 'obs 1: the same with no Server header and an empty reason phrase (wsproto)',
    evidence: evidence({
      config: configFacts({ dependencies: dependencies({ authServiceListed: false }) }),
      raw: [
        { ...rawRefused('valid', 'subprotocol', 403, { server: null, body: '' }), statusText: '' },
        { ...rawRefused('bad-signature', 'subprotocol', 403, { server: null, body: '' }), statusText: '' },
      ],
    }),
    cause: 'backend-cannot-use-auth-service',
  },
  {
    title: 'obs 2: a browser-only refusal never names #631',
    evidence: evidence({ config: configFacts({ dependencies: null }), browser: [browserRefused('valid', 403)] }),
    cause: 'unexplained',
    candidates: ['unexplained', 'backend-cannot-use-auth-service', 'origin-rejected', 'edge-proxy-refused', 'service-credentials-rejected'],
  },
  {
    title: 'obs 3: AUTH_FAILED "Auth service unavailable" after accept names #631, at app-after-accept',
    evidence: evidence({
      config: configFacts({ dependencies: null }),
      raw: [
        rawClosed('valid', 1008, 'Authentication failed', ['{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Auth service unavailable"}']),
        rawClosed('bad-signature', 1008, 'Authentication failed', ['{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Auth service unavailable"}']),
      ],
    }),
    cause: 'backend-cannot-use-auth-service',
    layer: 'app-after-accept',
    confidence: 'high',
    cites: /^decided by: .*the backend's message: the backend cannot reach its auth service/,
  },
  {
    title: 'obs 3: "Token validation failed: invalid_service_secret" names the caller credentials',
    evidence: evidence({
      config: configFacts({ dependencies: null }),
      raw: [rawClosed('valid', 1008, 'Authentication failed', ['{"type":"error_message","error_code":"AUTH_FAILED","error_message":"Token validation failed: invalid_service_secret"}'])],
    }),
    cause: 'service-credentials-rejected',
    layer: 'auth-service',
  },
  {
    title: 'obs 3: an operator-defined message (APP_MESSAGES) decides too',
    evidence: {
      ...evidence({ config: configFacts({ dependencies: null }), raw: [rawClosed('valid', 1008, 'bye', ['{"error":"Auth backend down"}'])] }),
      appMessages: [...parseAppMessages('Auth backend down=backend-cannot-use-auth-service', CAUSE_NAMES).rules, ...CONTRACT_MESSAGES],
    },
    cause: 'backend-cannot-use-auth-service',
    layer: 'app-after-accept',
  },
  {
    title: 'obs 5: no dependency-status endpoint: #631 from the differential alone, credentials listed as the other candidate',
    evidence: all403({ config: configFacts({ dependencies: null }) }),
    cause: 'backend-cannot-use-auth-service',
    confidence: 'medium',
    candidates: ['backend-cannot-use-auth-service', 'service-credentials-rejected'],
    summary: /indistinguishable from outside without a dependency-status endpoint/,
  },
  {
    title: '#631 signature but auth says valid=false → token rejected, not #631',
    evidence: all403({ config: configFacts({ valid: { valid: false, error: 'invalid_token' }, dependencies: dependencies({ authServiceListed: false }) }) }),
    cause: 'token-rejected-by-auth-service',
  },
  {
    title: '#631 with the backend listing an unhealthy auth service → URL wrong',
    evidence: all403({ config: configFacts({ dependencies: dependencies({ authServiceHealthy: false }) }) }),
    cause: 'backend-cannot-use-auth-service',
    confidence: 'high',
    summary: /AUTH_SERVICE_URL is wrong/,
  },
  {
    title: 'forged refused differently (401 vs 403): another layer turned the valid token down → not the token path',
    evidence: evidence({ config: configFacts({ dependencies: null }), raw: [rawRefused('valid', 'subprotocol', 403), ...invalidRefused(401)] }),
    cause: 'unexplained',
  },
  {
    title: 'forged refused differently and the valid refusal is an HTML page → edge, medium',
    evidence: evidence({ config: configFacts(), raw: [rawRefused('valid', 'subprotocol', 403, { body: EDGE_403_BODY, server: 'nginx', contentType: 'text/html' }), ...invalidRefused()] }),
    cause: 'edge-proxy-refused',
    confidence: 'medium',
  },
  {
    title: 'a foreign Server header alone is no evidence: refused like forged tokens → the token path',
    evidence: evidence({ config: noAuthUrl(), raw: [rawRefused('valid', 'subprotocol', 403, { server: 'nginx' }), rawRefused('bad-signature', 'subprotocol', 403, { server: 'nginx' })] }),
    cause: 'backend-cannot-use-auth-service',
  },
  {
    title: 'refused with an Origin, opens without, and the refusal IS the app\'s own → the app\'s Origin allowlist',
    evidence: evidence({ config: configFacts(), raw: [withOrigin(rawRefused('valid', 'subprotocol', 403)), asExperiment(rawOpen('valid'), NO_ORIGIN), appForged()] }),
    cause: 'origin-rejected',
    confidence: 'high',
  },
  {
    title: 'refused with an Origin, opens without, no app refusal recorded → both candidates, the HTML page first',
    evidence: evidence({ config: configFacts(), raw: [withOrigin(rawRefused('valid', 'subprotocol', 403, { body: EDGE_403_BODY, contentType: 'text/html' })), asExperiment(rawOpen('valid'), NO_ORIGIN)] }),
    cause: 'edge-proxy-refused',
    confidence: 'low',
    candidates: ['edge-proxy-refused', 'origin-rejected'],
  },
  {
    title: 'edge refusing every Origin: valid and forged alike with an Origin is not #631 once the no-Origin experiment opens',
    evidence: evidence({
      config: noAuthUrl(),
      raw: [withOrigin(rawRefused('valid', 'subprotocol', 403, { body: EDGE_403_BODY, contentType: 'text/html', server: 'nginx/1.22.1' })), withOrigin(rawRefused('bad-signature', 'subprotocol', 403, { body: EDGE_403_BODY, contentType: 'text/html', server: 'nginx/1.22.1' })), asExperiment(rawOpen('valid'), NO_ORIGIN), appForged()],
    }),
    cause: 'edge-proxy-refused',
  },
  {
    title: 'browser refused, raw opens, no replay made → origin first, edge as the other candidate',
    evidence: evidence({ config: configFacts(), raw: [rawOpen('valid', 'subprotocol')], browser: [browserRefused('valid', 403)] }),
    cause: 'origin-rejected',
    confidence: 'medium',
    candidates: ['origin-rejected', 'edge-proxy-refused'],
  },
  {
    title: 'header-stripped needs the same Origin on both carriers: a no-Origin opening does not count',
    evidence: evidence({ config: noAuthUrl(), raw: [withOrigin(rawRefused('valid', 'authorization-header', 403)), asExperiment(rawOpen('valid'), NO_ORIGIN)] }),
    cause: 'origin-rejected',
  },
  {
    title: 'the same probe repeated unchanged opened once and was refused once → intermittent, medium',
    evidence: evidence({ config: configFacts(), raw: [rawRefused('valid', 'subprotocol', 403), asExperiment(rawOpen('valid'), EXPERIMENT.repeat)].map((r) => ({ ...r, experiment: undefined })) }),
    cause: 'intermittent-refusals',
    confidence: 'medium',
  },
  {
    title: 'ramp: 2 of 75 refused at 5 in flight, none of 75 at 1: a rate one at a time could have hidden → both candidates',
    evidence: healthyEvidence({ burst: null, ramp: rampOf([[1, 75, 75], [2, 75, 75], [5, 75, 73]]) }),
    cause: 'refusals-under-load',
    confidence: 'low',
    candidates: ['refusals-under-load', 'intermittent-refusals'],
  },
  { title: 'ramp: all 300 opened → healthy', evidence: healthyEvidence({ burst: null, ramp: rampOf([[1, 75, 75], [2, 75, 75], [5, 75, 75], [10, 75, 75]]) }), cause: 'healthy', confidence: 'high' },
  {
    title: 'ramp: nothing opens at 1 in flight → not intermittent: the single probes speak',
    evidence: all403({ config: noAuthUrl(), ramp: rampOf([[1, 75, 0]]) }),
    cause: 'backend-cannot-use-auth-service',
  },
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
  { title: 'same facts, fast refusal (12 ms) → #631 or credentials', evidence: evidence({ config: configFacts({ dependencies: null }), raw: validRefusedAfter(12) }), cause: 'backend-cannot-use-auth-service' },
  { title: 'fast refusal with a healthy listed auth service → credentials, not slow', evidence: evidence({ config: configFacts(), raw: validRefusedAfter(12) }), cause: 'service-credentials-rejected' },
  { title: 'slow refusal with a healthy listed auth service → slow, not credentials', evidence: evidence({ config: configFacts(), raw: validRefusedAfter(1500) }), cause: 'auth-service-slow' },
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
    title: 'jwt-secret-mismatch with a 1008 app → token rejected',
    evidence: evidence({ config: configFacts({ valid: { valid: false, error: 'invalid_token' } }), raw: [rawClosed('valid', 1008, 'Authentication failed', [AUTH_FAILED_FRAME]), rawClosed('bad-signature', 1008, 'Authentication failed', [AUTH_FAILED_FRAME])] }),
    cause: 'token-rejected-by-auth-service',
    layer: 'auth-service',
  },
  {
    title: "the suite's own secret rejected (caller error) is not the token's fault",
    evidence: all403({ config: configFacts({ valid: { valid: false, error: 'invalid_service_secret' }, dependencies: null }) }),
    cause: 'unexplained',
  },
  {
    title: 'header-only fast 403 with nothing to compare → unexplained with candidates',
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
  // Config verification alone: no handshake, the facts speak for themselves.
  { title: 'config only, all fine → healthy, medium', evidence: evidence({ config: configFacts() }), cause: 'healthy', confidence: 'medium' },
  { title: 'config only, backend lists no auth service → #631, low', evidence: evidence({ config: noAuthUrl() }), cause: 'backend-cannot-use-auth-service', confidence: 'low' },
  { title: 'config only, auth says invalid → token rejected, medium', evidence: evidence({ config: configFacts({ valid: { valid: false, error: 'invalid_token' } }) }), cause: 'token-rejected-by-auth-service', confidence: 'medium' },
  {
    title: 'config only, auth health refused → unreachable',
    evidence: evidence({ config: configFacts({ health: [health('auth', { ok: false, status: null, problem: 'ECONNREFUSED', ms: 1 })] }) }),
    cause: 'auth-service-unreachable',
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
  expect(v.layer, message).toBe(row.layer ?? CAUSES[row.cause].layer);
  if (row.candidates) expect(v.candidates, message).toEqual(row.candidates);
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

test.describe('the rule table', () => {
  test("diagnosis/engine.ts's header lists the rules in RULES' order, by name", () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'helpers', 'diagnosis', 'engine.ts'), 'utf8');
    const listed = [...source.matchAll(/^\/\/ ?\s*(\d+) (\S+)\s/gm)].map((m) => m[2]);
    expect(listed).toEqual(RULES.map((r) => r.name));
  });
  test('every rule states what it needs', () => {
    for (const rule of RULES) expect(rule.needs.length, rule.name).toBeGreaterThan(20);
  });
});

test.describe('a failed test never carries a healthy verdict (issue #9, obs 4)', () => {
  test('healthy becomes unexplained, naming the failed expectation', () => {
    const v = verdictForFailedTest(diagnose(healthyEvidence()), 'expect(received).toContain(expected)\nmore');
    expect(v.cause).toBe('unexplained');
    expect(v.summary).toContain('expect(received).toContain(expected)');
  });
  test("the quoted expectation is the assertion, not the healthy headline the message starts with", () => {
    const healthy = diagnose(healthyEvidence());
    const v = verdictForFailedTest(healthy, `${failureMessage(healthy)}\n\nexpect(received).toBe(expected) // Object.is equality`);
    expect(v.summary).toContain('(expect(received).toBe(expected) // Object.is equality)');
    expect(v.summary).not.toContain('Verdict [healthy]');
  });
  test('any other verdict is kept', () => {
    const v = diagnose(all403({ config: noAuthUrl() }));
    expect(verdictForFailedTest(v, 'x')).toBe(v);
  });
});
