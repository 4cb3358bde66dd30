// From evidence to a verdict: a pure function, no I/O, no clock. It answers "what is wrong with
// this target, where, and why" by comparing records with each other (valid vs invalid tokens,
// header vs subprotocol, raw vs browser) and with what the auth service says about the token.
//
// Rules, first match wins ("valid" = the tokenVariant 'valid' records, raw and browser, plus the
// burst's first refusal; T = expect.backendAuthTimeoutMs):
//  #  cause                            fires when
//  1  invalid-token-accepted           any invalid-token record opened — a security defect outranks all
//  2  token-source-failed              config.tokenSource.ok === false
//  3  dns-failure / connection-refused / tls-failure / connection-reset / handshake-timeout
//                                      a valid record failed below HTTP; the earliest class on the path wins
//                                      (dns > refused > tls > reset > timeout), on either channel
//  4  subprotocol-mismatch             a valid handshake broke on the subprotocol (raw protocol error,
//                                      browser frame error) or the server closed 1003 after accept
//  5  intermittent-refusals            burst with 0 < opened < attempts (before the per-record rules:
//                                      one lucky and one unlucky probe would mimic rules 7 and 8)
//  6  edge-proxy-refused               a valid refusal with an HTML body and/or a Server header unlike the app's
//                                      (backend health's Server, or that of the app's own 101 answers)
//  7  authorization-header-stripped    valid refused via authorization-header, valid opens via subprotocol
//  8  origin-rejected                  the raw client opens with the valid token, the browser is refused
//  9  token-rejected-by-auth-service   valid refused and the auth service itself says valid=false (a token error)
// 10  refused-after-accept             valid: 101 then close 1008 and/or an AUTH_FAILED frame
// 11  backend-not-ready                valid: 101 then close 1011 / "Service not ready" / CONNECTION_ERROR
// 12  auth-service-unreachable         valid refused and the suite cannot reach the auth service either (fast failure)
// 13  auth-service-slow                valid refused and its refusal takes ≥ 0.9·T, or the suite's own
//                                      validation (or auth health) took ≥ T
// 14  backend-cannot-use-auth-service  (#631) valid refused, the auth service says valid=true, invalid tokens
//                                      refused the same way; high when the backend lists no auth service (or
//                                      lists it unhealthy), medium without the dependencies fact
// 15  service-credentials-rejected     valid refused fast, the backend lists a healthy auth service that accepts
//                                      the token from the suite: the backend's X-Service-Secret is the suspect
// 16  unexplained                      anything else that is not as expected, with the records as evidence
// 17  healthy                          valid opens everywhere tried, invalid ones refused as expected
// With no valid-token evidence at all (config verification alone), config facts speak for
// themselves: token source, unreachable or rejecting auth service, no auth service on the backend,
// backend/frontend health failing below HTTP.
import type { InvalidTokenRefusal } from '../environments/schema';
import { parseFrameError } from './browser-status';
import { CAUSES, type Cause, type Confidence, type Verdict, verdictHeadline } from './causes';
import type { ConfigFacts, HealthFact, ValidationFact } from './config-facts';
import {
  describeBurst,
  describeDependencies,
  describeHealth,
  describeRate,
  describeRecord,
  describeValidation,
  header,
  TLS_PROBLEMS,
} from './diagnosis-describe';
import type { BrowserRecord, BurstResult, HandshakeRecord, RawRecord, TlsProblem, TokenVariant } from './handshake-record';

export { describeRecord } from './diagnosis-describe';

export interface Evidence {
  /** null when config verification did not run. */
  config: ConfigFacts | null;
  /** Any mix of token variants and transports. */
  raw: RawRecord[];
  browser: BrowserRecord[];
  burst: BurstResult | null;
  expect: { invalidTokenRefusal: InvalidTokenRefusal; backendAuthTimeoutMs: number; handshakeBudgetMs: number };
}

/** The headline, then one evidence fact per line: what a failing test shows. */
export function failureMessage(v: Verdict): string {
  return [verdictHeadline(v), ...v.evidence.map((line) => `  - ${line}`), `  (confidence: ${v.confidence})`].join('\n');
}

/** A refusal at or above this share of the backend's auth timeout is "about the timeout". */
const SLOW_SHARE = 0.9;
/** Auth-service errors that are about the caller, not the token. */
const CALLER_ERRORS = new Set(['invalid_service_id', 'invalid_service_secret', 'service_not_configured']);
/** Invalid variants that are well-formed JWTs: a backend must ask its auth service about these. */
const SIGNED_VARIANTS = new Set<TokenVariant>(['bad-signature', 'alg-none', 'expired', 'wrong-audience', 'wrong-issuer', 'wrong-token-type', 'other-secret']);

type NetClass = 'dns' | 'refused' | 'tls' | 'reset' | 'timeout';
const NET_ORDER: readonly NetClass[] = ['dns', 'refused', 'tls', 'reset', 'timeout'];
const NET_CAUSE: Record<NetClass, Cause> = {
  dns: 'dns-failure',
  refused: 'connection-refused',
  tls: 'tls-failure',
  reset: 'connection-reset',
  timeout: 'handshake-timeout',
};
const BROWSER_TLS: Record<string, TlsProblem> = {
  ERR_CERT_AUTHORITY_INVALID: 'untrusted',
  ERR_CERT_DATE_INVALID: 'expired',
  ERR_CERT_COMMON_NAME_INVALID: 'hostname-mismatch',
};

interface NetFailure {
  cls: NetClass;
  code: string | null;
  tls: TlsProblem | null;
}

interface Ctx {
  e: Evidence;
  valid: HandshakeRecord[];
  bad: HandshakeRecord[];
  rawValid: RawRecord[];
  browserValid: BrowserRecord[];
  validation: ValidationFact | undefined;
  /** The backend's auth timeout. */
  T: number;
}

type Rule = (c: Ctx) => Verdict | null;

function verdict(cause: Cause, summary: string, evidence: Array<string | null | undefined | false>, confidence: Confidence): Verdict {
  const lines = [...new Set(evidence.filter((l): l is string => typeof l === 'string' && l.length > 0))];
  return { layer: CAUSES[cause].layer, cause, summary, evidence: lines, confidence };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const unique = <T>(xs: T[]) => [...new Set(xs)];

function netFailure(r: HandshakeRecord): NetFailure | null {
  if (r.channel === 'raw') {
    if (r.outcome === 'timeout') return { cls: 'timeout', code: r.error?.code ?? null, tls: null };
    if (r.outcome !== 'error' || !r.error) return null;
    const cls = r.error.class;
    if (cls === 'protocol') return null;
    return { cls, code: r.error.code, tls: r.error.tls ?? null };
  }
  if (r.outcome === 'timeout') return { cls: 'timeout', code: null, tls: null };
  // No socket when the page itself does not load (e.g. an untrusted frontend certificate): its
  // navigation error names the network failure instead.
  const text = r.frameError ?? r.console.find((l) => l.type === 'navigation-error')?.text;
  if (r.outcome !== 'error' || !text) return null;
  const info = parseFrameError(text);
  const cls = info.errorClass;
  if (cls === null || cls === 'protocol') return null;
  return { cls, code: info.netError, tls: cls === 'tls' ? (BROWSER_TLS[info.netError ?? ''] ?? 'other') : null };
}

function where(r: HandshakeRecord): string {
  return r.channel === 'raw' ? `raw ${r.transport}` : 'browser';
}

function refusedAtHandshake(r: HandshakeRecord): boolean {
  return r.outcome === 'refused';
}

function hasFrame(r: HandshakeRecord, pattern: RegExp): boolean {
  return r.frames.some((f) => f.direction === 'received' && pattern.test(f.data));
}

function closedWith(r: HandshakeRecord, code: number): boolean {
  return r.outcome === 'closed-after-accept' && r.close?.code === code;
}

function refusedAsExpected(r: HandshakeRecord, expected: InvalidTokenRefusal): boolean {
  // The frontend does not open a socket without a token: that is the browser's refusal.
  if (r.channel === 'browser' && r.outcome === 'not-attempted' && (r.tokenVariant === 'missing' || r.tokenVariant === 'empty')) return true;
  switch (expected) {
    case 'handshake-403':
      return r.outcome === 'refused' && r.status === 403;
    case 'handshake-401':
      return r.outcome === 'refused' && r.status === 401;
    case 'close-1008':
      return closedWith(r, 1008);
  }
}

function authHealth(c: Ctx): HealthFact | undefined {
  return c.e.config?.health.find((h) => h.service === 'auth');
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function recordUrl(r: HandshakeRecord): string {
  return r.channel === 'raw' ? r.url : (r.wsUrl ?? r.pageUrl);
}

function refusalStatus(records: HandshakeRecord[]): string {
  return unique(records.map((r) => `HTTP ${r.status ?? '?'}`)).join(' / ');
}

/** Bodies compared without what changes per request (ids, numbers, fingerprints). */
function bodyShape(body: string): string {
  return body
    .replace(/‹fp:[0-9a-f]{8}›/g, '‹fp›')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '#')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Are invalid tokens refused exactly as the valid one is? Compared against the well-formed
 * invalid JWTs when there are any (a backend may refuse a missing or malformed token without
 * asking its auth service). null when there is nothing to compare with.
 */
function sameRefusal(c: Ctx, validRefusals: HandshakeRecord[]): { same: boolean | null; lines: string[] } {
  const refusedBad = c.bad.filter((r) => r.outcome !== 'not-attempted');
  const signed = refusedBad.filter((r) => SIGNED_VARIANTS.has(r.tokenVariant));
  const compare = signed.length ? signed : refusedBad;
  if (compare.length === 0) return { same: null, lines: ['no invalid-token record to compare the refusal with'] };
  const statuses = new Set(validRefusals.map((r) => r.status));
  const validBodies = new Set(validRefusals.flatMap((r) => (r.channel === 'raw' && r.body ? [bodyShape(r.body)] : [])));
  const differs = compare.filter((r) => {
    if (!refusedAtHandshake(r) || !statuses.has(r.status)) return true;
    const body = r.channel === 'raw' && r.body ? bodyShape(r.body) : null;
    return body !== null && validBodies.size > 0 && !validBodies.has(body);
  });
  if (differs.length) {
    return { same: false, lines: differs.slice(0, 3).map((r) => `refused differently from the valid token: ${describeRecord(r)}`) };
  }
  return {
    same: true,
    lines: [
      `${plural(compare.length, 'invalid token')} (${unique(compare.map((r) => r.tokenVariant)).join(', ')}) refused the same way: ${refusalStatus(compare)}`,
      ...compare.slice(0, 2).map(describeRecord),
    ],
  };
}

function validationLines(c: Ctx): string[] {
  return (c.e.config?.validation ?? []).map(describeValidation);
}

// --- the rules ----------------------------------------------------------------------------

const invalidTokenAccepted: Rule = (c) => {
  const accepted = c.bad.filter((r) => r.outcome === 'open');
  if (!accepted.length) return null;
  const variants = unique(accepted.map((r) => `${r.tokenVariant} via ${where(r)}`)).join(', ');
  return verdict(
    'invalid-token-accepted',
    `The backend let ${plural(accepted.length, 'invalid token')} in (${variants}): it must refuse them — a security defect.`,
    [...accepted.map(describeRecord), ...c.valid.slice(0, 2).map(describeRecord)],
    'high',
  );
};

const tokenSourceFailed: Rule = (c) => {
  const ts = c.e.config?.tokenSource;
  if (!ts || ts.ok) return null;
  return verdict(
    'token-source-failed',
    `The ${ts.source} token source failed: ${ts.problem ?? 'no reason given'}; no valid token to test with.`,
    [`token source ${ts.source}: ${ts.problem ?? 'failed'}`],
    'high',
  );
};

function netSummary(f: NetFailure, r: HandshakeRecord, budgetMs: number): string {
  const code = f.code ? ` (${f.code})` : '';
  const target = host(recordUrl(r));
  switch (f.cls) {
    case 'dns':
      return `The host ${target} does not resolve${code}.`;
    case 'refused':
      return `Nothing listens at ${target}${code}: the connection was refused.`;
    case 'tls':
      return `TLS failed on the ${where(r)} channel: ${TLS_PROBLEMS[f.tls ?? 'other']}${code}.`;
    case 'reset':
      return `The connection to ${target} was reset before the upgrade was answered${code}.`;
    case 'timeout':
      return `${target} accepted the connection but did not answer the upgrade within the ${r.budgetMs || budgetMs} ms budget.`;
  }
}

/**
 * The records that speak for the target: the valid ones, or — in a test that tried only invalid
 * tokens (invalid-jwt) — those, since a failure below HTTP or an accept-then-close hits every token.
 */
function subjects(c: Ctx): HandshakeRecord[] {
  return c.valid.length ? c.valid : c.bad;
}

const networkFailure: Rule = (c) => {
  const hits = subjects(c).flatMap((r) => {
    const f = netFailure(r);
    return f ? [{ r, f }] : [];
  });
  if (!hits.length) return null;
  hits.sort((a, b) => NET_ORDER.indexOf(a.f.cls) - NET_ORDER.indexOf(b.f.cls));
  const first = hits[0];
  if (!first) return null;
  const others = subjects(c).filter((r) => !hits.some((h) => h.r === r));
  return verdict(
    NET_CAUSE[first.f.cls],
    netSummary(first.f, first.r, c.e.expect.handshakeBudgetMs),
    [...hits.map((h) => describeRecord(h.r)), ...others.map((r) => `for comparison: ${describeRecord(r)}`)],
    'high',
  );
};

function subprotocolBroken(r: HandshakeRecord): boolean {
  if (closedWith(r, 1003)) return true;
  if (r.channel === 'raw') return r.error?.class === 'protocol' && /subprotocol/i.test(r.error.message);
  return r.outcome === 'error' && r.frameError !== null && /Sec-WebSocket-Protocol|subprotocol/i.test(r.frameError);
}

const subprotocolMismatch: Rule = (c) => {
  const broken = c.valid.filter(subprotocolBroken);
  if (!broken.length) return null;
  const first = broken[0];
  if (!first) return null;
  const offered = unique(broken.flatMap((r) => r.offeredSubprotocols.map((p) => p.split('.')[0] ?? p))).join(', ');
  const serverClosed = closedWith(first, 1003);
  const summary = serverClosed
    ? `The server accepted, then closed with 1003: none of the offered subprotocols (${offered || 'none'}) matched what it expects.`
    : `The server did not echo an offered subprotocol (${offered || 'none offered'}), so the client aborted its own handshake.`;
  return verdict('subprotocol-mismatch', summary, broken.map(describeRecord), 'high');
};

const intermittent: Rule = (c) => {
  const b = c.e.burst;
  if (!b || b.opened === 0 || b.opened >= b.attempts) return null;
  return verdict(
    'intermittent-refusals',
    `${describeRate(b)}; the other valid handshakes connect — one instance behind the balancer is likely broken.`,
    [describeBurst(b), b.firstRefusal && `first refusal: ${describeRecord(b.firstRefusal)}`, b.firstOpen && `first success: ${describeRecord(b.firstOpen)}`],
    'high',
  );
};

function isHtml(r: RawRecord): boolean {
  const type = header(r.responseHeaders, 'content-type') ?? '';
  return /text\/html/i.test(type) || /^\s*(<!doctype html|<html|<head|<body|<center|<h1)/i.test(r.body ?? '');
}

/** The Server headers the app itself answers with: backend health, and the app's 101s. */
function appServers(c: Ctx): Set<string> {
  const servers = new Set<string>();
  const backend = c.e.config?.health.find((h) => h.service === 'backend' && h.status !== null);
  if (backend?.serverHeader) servers.add(backend.serverHeader.trim().toLowerCase());
  const answered = [...c.e.raw, ...(c.e.burst?.firstOpen ? [c.e.burst.firstOpen] : [])];
  for (const r of answered) {
    const s = r.status === 101 ? header(r.responseHeaders, 'server') : null;
    if (s) servers.add(s.trim().toLowerCase());
  }
  return servers;
}

const edgeProxy: Rule = (c) => {
  const app = appServers(c);
  const hits = c.rawValid.filter(refusedAtHandshake).flatMap((r) => {
    const server = header(r.responseHeaders, 'server');
    const foreign = server !== null && app.size > 0 && !app.has(server.trim().toLowerCase());
    const html = isHtml(r);
    return foreign || html ? [{ r, server, foreign, html }] : [];
  });
  const first = hits[0];
  if (!first) return null;
  const signs = [
    first.html && 'an HTML body',
    first.foreign && `Server ${first.server} instead of the app's ${[...app].join(' / ')}`,
    !first.foreign && first.server && `Server ${first.server}`,
  ].filter(Boolean);
  const backend = c.e.config?.health.find((h) => h.service === 'backend');
  return verdict(
    'edge-proxy-refused',
    `A proxy in front of the app answered the upgrade with HTTP ${first.r.status} (${signs.join(', ')}): the request never reached the app.`,
    [...hits.map((h) => describeRecord(h.r)), backend && describeHealth(backend)],
    first.html && first.foreign ? 'high' : 'medium',
  );
};

const headerStripped: Rule = (c) => {
  const header = c.rawValid.filter((r) => r.transport === 'authorization-header' && (refusedAtHandshake(r) || closedWith(r, 1008)));
  const sub = c.rawValid.filter((r) => r.transport === 'subprotocol' && r.outcome === 'open');
  const first = header[0];
  if (!first || !sub.length) return null;
  const how = first.outcome === 'refused' ? `HTTP ${first.status}` : 'close 1008 after accept';
  return verdict(
    'authorization-header-stripped',
    `The valid token is refused via the Authorization header (${how}) but connects via the subprotocol: something between client and backend drops Authorization.`,
    [...header.map(describeRecord), ...sub.map(describeRecord)],
    'high',
  );
};

const originRejected: Rule = (c) => {
  const rawOpen = c.rawValid.filter((r) => r.outcome === 'open');
  const refused = c.browserValid.filter((r) => r.outcome === 'refused' || r.outcome === 'closed-after-accept');
  const first = refused[0];
  if (!rawOpen.length || !first) return null;
  const how = first.outcome === 'refused' ? `HTTP ${first.status ?? '?'}` : `101 then close ${first.close?.code ?? '?'}`;
  const sameTransport = rawOpen.some((r) => r.transport === 'subprotocol');
  return verdict(
    'origin-rejected',
    `The raw client connects with the valid token but the browser is refused (${how}): the backend's Origin allowlist or another browser-only difference.`,
    [...refused.map(describeRecord), ...rawOpen.map(describeRecord)],
    sameTransport ? 'high' : 'medium',
  );
};

/** Valid token turned down by the app: refused at the handshake or closed 1008 after accept. */
function validRejected(c: Ctx): HandshakeRecord[] {
  return c.valid.filter((r) => refusedAtHandshake(r) || closedWith(r, 1008) || (r.outcome !== 'error' && hasFrame(r, /AUTH_FAILED/)));
}

const tokenRejected: Rule = (c) => {
  const v = c.validation;
  if (!v || v.httpStatus === null || v.valid !== false || CALLER_ERRORS.has(v.error ?? '')) return null;
  const rejected = validRejected(c);
  if (c.valid.length && !rejected.length) return null;
  const noHandshake = c.valid.length === 0;
  return verdict(
    'token-rejected-by-auth-service',
    `The auth service itself rejects the valid token (${v.error ?? 'valid=false'}): the token is the problem — stale signing secret or wrong claims — not the pipeline.`,
    [describeValidation(v), ...rejected.map(describeRecord)],
    noHandshake ? 'medium' : 'high',
  );
};

const refusedAfterAccept: Rule = (c) => {
  // Invalid tokens closed 1008 speak only where the environment promises a refusal at the handshake.
  const pool = c.valid.length || c.e.expect.invalidTokenRefusal === 'close-1008' ? c.valid : c.bad;
  const hits = pool.filter((r) => closedWith(r, 1008) || ((r.outcome === 'closed-after-accept' || r.outcome === 'open') && hasFrame(r, /AUTH_FAILED/)));
  const first = hits[0];
  if (!first) return null;
  const frame = hasFrame(first, /AUTH_FAILED/) ? ' after an AUTH_FAILED frame' : '';
  const close = first.close?.code ? `closed with ${first.close.code}${first.close.reason ? ` "${first.close.reason}"` : ''}` : 'closed';
  return verdict(
    'refused-after-accept',
    `The backend accepted the upgrade (101), then ${close}${frame}: the client sees "connected", then a close.`,
    [...hits.map(describeRecord), c.validation && describeValidation(c.validation)],
    'high',
  );
};

const notReady: Rule = (c) => {
  const hits = c.valid.filter((r) => closedWith(r, 1011) || hasFrame(r, /Service not ready|CONNECTION_ERROR/i));
  const first = hits[0];
  if (!first) return null;
  const reason = first.close?.reason ? ` "${first.close.reason}"` : '';
  return verdict(
    'backend-not-ready',
    `The backend accepted the upgrade, then closed with ${first.close?.code ?? 1011}${reason}: it is not ready to serve (or failed internally).`,
    hits.map(describeRecord),
    'high',
  );
};

/** The suite's own failures to reach the auth service that came fast (not timeouts). */
function authUnreachableFacts(c: Ctx): string[] {
  const lines: string[] = [];
  const h = authHealth(c);
  if (h && !h.ok && h.status === null && h.ms < c.T) lines.push(describeHealth(h));
  const v = c.validation;
  if (v && v.httpStatus === null && v.ms < c.T) lines.push(describeValidation(v));
  return lines;
}

const authUnreachable: Rule = (c) => {
  const refusals = c.valid.filter(refusedAtHandshake);
  if (c.valid.length && !refusals.length) return null;
  const facts = authUnreachableFacts(c);
  if (!facts.length) return null;
  const how = refusals.length ? `the backend refuses the valid token (${refusalStatus(refusals)})` : 'no handshake was tried yet';
  return verdict(
    'auth-service-unreachable',
    `The auth service does not answer the suite either; ${how}: it is down or its URL is wrong.`,
    [...facts, ...refusals.map(describeRecord), c.e.config?.dependencies && describeDependencies(c.e.config.dependencies)],
    refusals.length && facts.length > 1 ? 'high' : 'medium',
  );
};

const authSlow: Rule = (c) => {
  const refusals = c.valid.filter(refusedAtHandshake);
  if (!refusals.length) return null;
  const slow = c.rawValid.filter((r) => refusedAtHandshake(r) && r.timing.totalMs >= SLOW_SHARE * c.T);
  const v = c.validation;
  const slowValidation = v && v.ms >= c.T ? v : undefined;
  const h = authHealth(c);
  const slowHealth = h && h.ms >= c.T ? h : undefined;
  if (!slow.length && !slowValidation && !slowHealth) return null;
  const parts: string[] = [];
  if (slow[0]) parts.push(`the valid token is refused after ${Math.round(slow[0].timing.totalMs)} ms, against the backend's ${c.T} ms auth timeout`);
  if (slowValidation) parts.push(`the auth service took ${Math.round(slowValidation.ms)} ms to answer the suite's own validation (the backend gives up at ${c.T} ms)`);
  else if (slowHealth) parts.push(`the auth service's health took ${Math.round(slowHealth.ms)} ms (the backend gives up at ${c.T} ms)`);
  return verdict(
    'auth-service-slow',
    `${parts.join('; ')}: the auth service answers too late for the backend.`,
    [...refusals.map(describeRecord), slowValidation && describeValidation(slowValidation), slowHealth && describeHealth(slowHealth)],
    slow.length && (slowValidation || slowHealth) ? 'high' : 'medium',
  );
};

const backendCannotUseAuth: Rule = (c) => {
  const refusals = c.valid.filter(refusedAtHandshake);
  const deps = c.e.config?.dependencies ?? null;
  const notListed = deps?.authServiceListed === false;
  const listedUnhealthy = deps?.authServiceListed === true && deps.authServiceHealthy === false;
  const listedHealthy = deps?.authServiceListed === true && deps.authServiceHealthy === true;
  const authAccepts = c.validation?.valid === true;
  const depLine = deps ? describeDependencies(deps) : 'no dependencies status (not checked)';

  if (!refusals.length) {
    // Config verification alone: the backend says it has no auth service to ask.
    if (c.valid.length || !notListed) return null;
    return verdict(
      'backend-cannot-use-auth-service',
      'The backend lists no auth service among its dependencies (AUTH_SERVICE_URL unset): valid tokens will be refused (no handshake tried yet).',
      [depLine, c.validation && describeValidation(c.validation)],
      'low',
    );
  }
  if (listedHealthy || (!authAccepts && !notListed)) return null;
  const cmp = sameRefusal(c, refusals);
  if (cmp.same === false) return null;

  let confidence: Confidence;
  if (authAccepts && (notListed || listedUnhealthy)) confidence = cmp.same ? 'high' : 'medium';
  else if (authAccepts) confidence = cmp.same ? 'medium' : 'low';
  else confidence = 'medium'; // no answer from the auth service to compare, but the backend lists none
  const why = notListed
    ? 'its dependencies list no auth service: AUTH_SERVICE_URL is unset'
    : listedUnhealthy
      ? 'its own auth-service check fails while the suite reaches the auth service: AUTH_SERVICE_URL is wrong'
      : 'AUTH_SERVICE_URL unset or wrong';
  const accepts = authAccepts ? 'The auth service accepts the token, yet the backend' : 'The backend';
  return verdict(
    'backend-cannot-use-auth-service',
    `${accepts} refuses it at the handshake (${refusalStatus(refusals)})${cmp.same ? ' exactly as it refuses invalid tokens' : ''}: the backend cannot use its auth service (${why}).`,
    [...refusals.map(describeRecord), c.validation && describeValidation(c.validation), depLine, ...cmp.lines],
    confidence,
  );
};

const serviceCredentials: Rule = (c) => {
  const refusals = c.valid.filter(refusedAtHandshake);
  const deps = c.e.config?.dependencies;
  if (!refusals.length || c.validation?.valid !== true) return null;
  if (deps?.authServiceListed !== true || deps.authServiceHealthy !== true) return null;
  // A browser-only or header-only refusal fits an edge, an Origin rule or a stripped header as
  // well: blaming the caller secret needs the raw client refused with the token in a subprotocol.
  const rawRefusals = c.rawValid.filter(refusedAtHandshake);
  if (!rawRefusals.some((r) => r.transport !== 'authorization-header')) return null;
  const fast = rawRefusals.every((r) => r.timing.totalMs < SLOW_SHARE * c.T);
  if (!fast) return null;
  const enforces = c.e.config?.validation.find((v) => v.error === 'invalid_service_secret' && v.tokenVariant !== 'valid');
  return verdict(
    'service-credentials-rejected',
    `The auth service accepts the token and the backend reaches it, yet the backend refuses the valid token fast (${refusalStatus(refusals)})` +
      `: the auth service refuses the backend as a caller — its X-Service-Secret is the suspect${enforces ? ' (the auth service does enforce the caller secret)' : ''}.`,
    [...refusals.map(describeRecord), ...validationLines(c), describeDependencies(deps)],
    'medium',
  );
};

/** Config verification alone, no handshake: backend or frontend health failing below HTTP. */
const configOnlyNetwork: Rule = (c) => {
  if (c.valid.length || !c.e.config) return null;
  const failing = c.e.config.health.filter((h) => h.service !== 'auth' && !h.ok && h.status === null && h.problem);
  const table: Array<[RegExp, Cause]> = [
    [/ENOTFOUND|EAI_AGAIN/, 'dns-failure'],
    [/ECONNREFUSED/, 'connection-refused'],
    // Node's OpenSSL codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE…) name no CERT/TLS.
    [/CERT|certificate|self[- ]signed|SSL|TLS|UNABLE_TO_(VERIFY|GET_ISSUER)/i, 'tls-failure'],
    [/ECONNRESET|EPIPE|socket hang up/i, 'connection-reset'],
  ];
  for (const h of failing) {
    const hit = table.find(([re]) => re.test(h.problem ?? ''));
    if (hit) return verdict(hit[1], `The ${h.service} health check fails below HTTP: ${h.problem} (no handshake tried yet).`, [describeHealth(h)], 'medium');
  }
  return null;
};

const RULES: readonly Rule[] = [
  invalidTokenAccepted,
  tokenSourceFailed,
  networkFailure,
  configOnlyNetwork,
  subprotocolMismatch,
  intermittent,
  edgeProxy,
  headerStripped,
  originRejected,
  tokenRejected,
  refusedAfterAccept,
  notReady,
  authUnreachable,
  authSlow,
  backendCannotUseAuth,
  serviceCredentials,
];

function unexplainedOrHealthy(c: Ctx): Verdict {
  const expected = c.e.expect.invalidTokenRefusal;
  const failedValid = c.valid.filter((r) => r.outcome !== 'open');
  const burst = c.e.burst;
  const badWrong = c.bad.filter((r) => !refusedAsExpected(r, expected));
  const config = c.e.config;
  const configLines = config ? [...config.health.filter((h) => !h.ok).map(describeHealth), ...validationLines(c)] : [];

  if (failedValid.length) {
    const first = failedValid[0];
    const refusals = failedValid.filter(refusedAtHandshake);
    const cmp = refusals.length ? sameRefusal(c, refusals) : null;
    const hint =
      refusals.length && !c.validation
        ? cmp?.same
          ? ' — invalid tokens get the same answer; without the auth service\'s own answer, "bad token" cannot be told from "backend cannot use its auth service"'
          : ' — without the auth service\'s own answer on the token, no cause can be singled out'
        : '';
    return verdict(
      'unexplained',
      `The valid token via ${first ? where(first) : 'the target'} is not accepted (${failedValid.map((r) => r.outcome).join(', ')}) and no known cause fits${hint}; read the records.`,
      [...failedValid.map(describeRecord), ...(cmp?.lines ?? []), ...configLines, config?.dependencies && describeDependencies(config.dependencies)],
      'low',
    );
  }
  if (burst && burst.opened < burst.attempts) {
    // opened === 0 here (0 < opened is intermittent): nothing in the burst connected.
    return verdict('unexplained', `No valid handshake of the burst connected (${describeRate(burst)}); no known cause fits.`, [describeBurst(burst), ...configLines], 'low');
  }
  if (badWrong.length) {
    return verdict(
      'unexplained',
      // "Valid tokens connect" only when this test tried one (an invalid-jwt test tries none).
      `${c.valid.length ? 'Valid tokens connect, but ' : ''}${plural(badWrong.length, 'invalid token')} ${badWrong.length === 1 ? 'is' : 'are'} not refused as the environment says (${expected}).`,
      badWrong.map(describeRecord),
      'medium',
    );
  }

  const channels = unique(c.valid.map(where));
  const tried = channels.length ? `Valid tokens connect on every channel tried (${channels.join(', ')})` : 'No valid-token handshake in this evidence';
  const refused = c.bad.length ? `; ${plural(c.bad.length, 'invalid token')} refused as ${expected}` : '';
  const burstPart = burst ? `; ${burst.opened} of ${burst.attempts} burst handshakes connected` : '';
  const configPart = !c.valid.length && !c.bad.length && config ? '; configuration checks show no problem' : '';
  return verdict(
    'healthy',
    `${tried}${refused}${burstPart}${configPart}.`,
    [
      ...c.valid.map(describeRecord),
      ...c.bad.map(describeRecord),
      burst && describeBurst(burst),
      ...(config ? [...config.health.map(describeHealth), ...validationLines(c)] : []),
      config?.dependencies && describeDependencies(config.dependencies),
    ],
    c.valid.length && (c.bad.length || burst) ? 'high' : 'medium',
  );
}

/** The verdict over everything one test gathered. Pure: same evidence, same verdict. */
export function diagnose(e: Evidence): Verdict {
  const all: HandshakeRecord[] = [...e.raw, ...e.browser];
  // A burst where nothing connected stands for its refusals when no single probe does; a
  // partial one is rule 5's business.
  const probes = e.raw.filter((r) => r.tokenVariant === 'valid');
  const burstRefusal = !probes.length && e.burst?.opened === 0 && e.burst.firstRefusal?.tokenVariant === 'valid' ? [e.burst.firstRefusal] : [];
  const rawValid = [...probes, ...burstRefusal];
  const browserValid = e.browser.filter((r) => r.tokenVariant === 'valid');
  const c: Ctx = {
    e,
    valid: [...rawValid, ...browserValid],
    bad: all.filter((r) => r.tokenVariant !== 'valid'),
    rawValid,
    browserValid,
    validation: e.config?.validation.find((v) => v.tokenVariant === 'valid'),
    T: e.expect.backendAuthTimeoutMs,
  };
  for (const rule of RULES) {
    const v = rule(c);
    if (v) return v;
  }
  return unexplainedOrHealthy(c);
}
