// What every rule reads: the evidence of one test, split once into the groups the rules compare
// (valid vs forged, raw vs browser, with and without an Origin), and the small predicates they share.
import type { InvalidTokenRefusal } from '../../environments/schema';
import { parseFrameError } from '../channels/browser-status';
import { CAUSES, type Cause, type Confidence, type Layer, type Verdict } from './causes';
import type { ConfigFacts, HealthFact, ValidationFact } from '../records/config-facts';
import { header } from './describe';
import type { BrowserRecord, BurstRamp, BurstResult, HandshakeRecord, RawRecord, TlsProblem, TokenVariant } from '../records/handshake-record';
import type { AppMessageRule } from './app-messages';

/** The deciding experiments the evidence fixture runs, by what each varies (RawRecord.experiment). */
export const EXPERIMENT = {
  noOrigin: 'no Origin',
  browserReplay: "the browser's exact Origin, User-Agent and subprotocols",
  repeat: 'repeated, nothing changed',
  compare: 'for comparison',
} as const;

export interface Evidence {
  /** null when config verification is not part of this test's evidence. */
  config: ConfigFacts | null;
  /** Any mix of token variants, transports and deciding experiments. */
  raw: RawRecord[];
  browser: BrowserRecord[];
  /** A plain burst (older runs, unit tests); the ramp supersedes it. */
  burst: BurstResult | null;
  ramp?: BurstRamp | null;
  expect: { invalidTokenRefusal: InvalidTokenRefusal; backendAuthTimeoutMs: number; handshakeBudgetMs: number };
  /** The contract's app messages plus the env's APP_MESSAGES; default: the contract's. */
  appMessages?: readonly AppMessageRule[];
}

export interface Ctx {
  e: Evidence;
  /** Valid-token records, raw (probes and experiments) and browser. */
  valid: HandshakeRecord[];
  rawValid: RawRecord[];
  browserValid: BrowserRecord[];
  /** Forged-token records. */
  bad: HandshakeRecord[];
  rawBad: RawRecord[];
  validation: ValidationFact | undefined;
  /** The backend's auth timeout. */
  T: number;
  messages: readonly AppMessageRule[];
}

export type RuleResult = Verdict | null;

export interface Rule {
  name: string;
  /** What the rule needs to fire, in words: the header table of diagnosis/engine.ts is checked against these. */
  needs: string;
  run: (c: Ctx) => RuleResult;
}

export function verdict(
  cause: Cause,
  summary: string,
  evidence: Array<string | null | undefined | false>,
  confidence: Confidence,
  extra: { candidates?: Cause[]; decidedBy?: string; layer?: Layer } = {},
): Verdict {
  const lines = [...new Set(evidence.filter((l): l is string => typeof l === 'string' && l.length > 0))];
  const v: Verdict = { layer: extra.layer ?? CAUSES[cause].layer, cause, summary, evidence: lines, confidence };
  if (extra.candidates && extra.candidates.length > 1) v.candidates = extra.candidates;
  if (extra.decidedBy) {
    v.decidedBy = extra.decidedBy;
    v.evidence = [`decided by: ${extra.decidedBy}`, ...v.evidence];
  }
  return v;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const unique = <T>(xs: T[]) => [...new Set(xs)];

export function where(r: HandshakeRecord): string {
  return r.channel === 'raw' ? `raw ${r.transport}` : 'browser';
}

export function refused(r: HandshakeRecord): boolean {
  return r.outcome === 'refused';
}

export function closedWith(r: HandshakeRecord, code: number): boolean {
  return r.outcome === 'closed-after-accept' && r.close?.code === code;
}

export function hasFrame(r: HandshakeRecord, pattern: RegExp): boolean {
  return r.frames.some((f) => f.direction === 'received' && pattern.test(f.data));
}

/** 101, then the app turned the token down: close 1008 and/or an AUTH_FAILED frame. */
export function authClose(r: HandshakeRecord): boolean {
  return closedWith(r, 1008) || ((r.outcome === 'closed-after-accept' || r.outcome === 'open') && hasFrame(r, /AUTH_FAILED/));
}

/** The Origin a raw record was sent with, null for none. */
export function originOf(r: RawRecord): string | null {
  return header(r.requestHeaders, 'origin');
}

export function refusedAsExpected(r: HandshakeRecord, expected: InvalidTokenRefusal): boolean {
  // A frontend that opens no socket without a token refuses in its own way.
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

export function authHealth(c: Ctx): HealthFact | undefined {
  return c.e.config?.health.find((h) => h.service === 'auth');
}

export function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function recordUrl(r: HandshakeRecord): string {
  return r.channel === 'raw' ? r.url : (r.wsUrl ?? r.pageUrl);
}

export function refusalStatus(records: HandshakeRecord[]): string {
  return unique(records.map((r) => (r.outcome === 'closed-after-accept' ? `101 then close ${r.close?.code ?? '?'}` : `HTTP ${r.status ?? '?'}`))).join(' / ');
}

// --- failures below HTTP ------------------------------------------------------------------------

export type NetClass = 'dns' | 'refused' | 'tls' | 'reset' | 'timeout';
export const NET_ORDER: readonly NetClass[] = ['dns', 'refused', 'tls', 'reset', 'timeout'];
const BROWSER_TLS: Record<string, TlsProblem> = {
  ERR_CERT_AUTHORITY_INVALID: 'untrusted',
  ERR_CERT_DATE_INVALID: 'expired',
  ERR_CERT_COMMON_NAME_INVALID: 'hostname-mismatch',
};

export interface NetFailure {
  cls: NetClass;
  code: string | null;
  tls: TlsProblem | null;
}

export function netFailure(r: HandshakeRecord): NetFailure | null {
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

/** Well-formed forged JWTs: a backend must ask whoever checks tokens about these. */
export const SIGNED_VARIANTS = new Set<TokenVariant>(['bad-signature', 'alg-none', 'expired', 'wrong-audience', 'wrong-issuer', 'wrong-token-type', 'other-secret']);

export function buildContext(e: Evidence, messages: readonly AppMessageRule[]): Ctx {
  const all: HandshakeRecord[] = [...e.raw, ...e.browser];
  // A burst where nothing connected stands for its refusals when no single probe does.
  const probes = e.raw.filter((r) => r.tokenVariant === 'valid');
  const plain = e.burst;
  const burstRefusal = !probes.length && plain?.opened === 0 && plain.firstRefusal?.tokenVariant === 'valid' ? [plain.firstRefusal] : [];
  const rawValid = [...probes, ...burstRefusal];
  const browserValid = e.browser.filter((r) => r.tokenVariant === 'valid');
  const bad = all.filter((r) => r.tokenVariant !== 'valid');
  return {
    e,
    valid: [...rawValid, ...browserValid],
    rawValid,
    browserValid,
    bad,
    rawBad: bad.filter((r): r is RawRecord => r.channel === 'raw'),
    validation: e.config?.validation.find((v) => v.tokenVariant === 'valid'),
    T: e.expect.backendAuthTimeoutMs,
    messages,
  };
}
