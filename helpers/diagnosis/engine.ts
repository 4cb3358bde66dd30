// From evidence to a verdict: a pure function, no I/O, no clock. Every verdict rests on a
// comparison made in the same run that varies one factor — token (valid vs forged), carrier
// (Authorization vs subprotocol), Origin (none vs the frontend's), channel (raw vs browser),
// concurrency (1 vs k in flight), the auth service asked directly vs through the backend.
// Fingerprints (an HTML page, a Server value) only order candidates; the app's refusal signature
// is learned from a forged token's refusal in the same run. When nothing decides, the verdict
// lists the candidates in order.
//
// Rules, in order; the first that fires decides. Each rule states what it needs (its guard),
// not what earlier rules excluded; tests/helpers/diagnosis/engine.spec.ts checks this table against RULES.
//  1 invalid-token-accepted         a forged token opened the socket
//  2 token-source-failed            the token source failed
//  3 network                        a valid (else a forged) handshake failed below HTTP
//  4 config-only-network            no handshake; a backend or frontend health check failed below HTTP
//  5 subprotocol-mismatch           a valid handshake broke on the subprotocol
//  6 intermittent-refusals          one handshake in flight: some valid ones refused, others opened
//  7 refusals-under-load            none refused one at a time; refused from k in flight
//  8 repeat-differs                 the same valid probe, repeated unchanged, opened once and was refused once
//  9 authorization-header-stripped  valid via Authorization refused, via subprotocol opened
// 10 origin-or-edge                 valid refused with an Origin, opened without; or browser refused, raw opened
// 11 backend-not-ready              101 then close 1011 or a readiness message
// 12 token-layer                    valid turned down exactly as a forged token sent the same way, or an app message names the cause
// 13 other-layer                    valid turned down differently from a forged token sent the same way
// 14 forged-only                    no valid handshake; forged tokens accepted then closed where a handshake refusal is promised
// 15 config-only-auth               no valid handshake; the auth service rejects the token or is unreachable, or no auth service is listed
//    (none fired)                   unexplained with its records (and candidates), or healthy
import { CAUSES, type Verdict, verdictHeadline } from './causes';
import { CONTRACT_MESSAGES } from './app-messages';
import { buildContext, type Evidence, type Rule } from './context';
import { configOnlyAuth, configOnlyNetwork, invalidTokenAccepted, tokenSourceFailed } from './rules-config';
import { headerStripped, originOrEdge } from './rules-carriers';
import { unexplainedOrHealthy } from './rules-fallback';
import { intermittent, repeatDiffers, underLoad } from './rules-load';
import { networkFailure, subprotocolMismatch } from './rules-network';
import { forgedOnly, notReady, otherLayer, tokenLayer } from './rules-token-layer';

export { describeRecord } from './describe';
export type { Evidence } from './context';

export const RULES: readonly Rule[] = [
  invalidTokenAccepted,
  tokenSourceFailed,
  networkFailure,
  configOnlyNetwork,
  subprotocolMismatch,
  intermittent,
  underLoad,
  repeatDiffers,
  headerStripped,
  originOrEdge,
  notReady,
  tokenLayer,
  otherLayer,
  forgedOnly,
  configOnlyAuth,
];

/** The headline, then one evidence fact per line: what a failing test shows. */
export function failureMessage(v: Verdict): string {
  return [verdictHeadline(v), ...v.evidence.map((line) => `  - ${line}`), `  (confidence: ${v.confidence})`].join('\n');
}

/** The verdict over everything one test gathered. Pure: same evidence, same verdict. */
export function diagnose(e: Evidence): Verdict {
  const c = buildContext(e, e.appMessages ?? CONTRACT_MESSAGES);
  for (const rule of RULES) {
    const v = rule.run(c);
    if (v) return v;
  }
  return unexplainedOrHealthy(c);
}

/** A test that failed its own expectation never carries a healthy verdict. */
export function verdictForFailedTest(v: Verdict, error: string): Verdict {
  if (v.cause !== 'healthy') return v;
  // The message starts with this very verdict's headline (failureMessage): quote the assertion.
  const lines = error.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Verdict [') && !l.startsWith('- '));
  const expectation = (lines.find((l) => l.includes('expect(')) ?? lines[0] ?? 'no message').slice(0, 200);
  return {
    layer: CAUSES.unexplained.layer,
    cause: 'unexplained',
    summary: `The test's own expectation failed (${expectation}) although the records look healthy: the target behaves otherwise than this environment file says.`,
    evidence: v.evidence,
    confidence: 'low',
  };
}
