// Rules that need no handshake comparison: a forged token let in, no token to test with, and
// what the configuration facts say on their own when no handshake was made.
import { describeDependencies, describeHealth, describeRecord, describeValidation } from './describe';
import { authHealth, type Ctx, plural, type Rule, unique, verdict, where } from './context';
import { classifyProblem } from '../channels/network-errors';
import { NET_CAUSE } from './rules-network';

/** Auth-service errors that are about the caller, not the token. */
export const CALLER_ERRORS = new Set(['invalid_service_id', 'invalid_service_secret', 'service_not_configured']);

export const invalidTokenAccepted: Rule = {
  name: 'invalid-token-accepted',
  needs: 'a forged token opened the socket (a security defect outranks everything)',
  run(c) {
    const accepted = c.bad.filter((r) => r.outcome === 'open');
    if (!accepted.length) return null;
    const variants = unique(accepted.map((r) => `${r.tokenVariant} via ${where(r)}`)).join(', ');
    return verdict(
      'invalid-token-accepted',
      `The backend let ${plural(accepted.length, 'invalid token')} in (${variants}): it must refuse them — a security defect.`,
      [...accepted.map(describeRecord), ...c.valid.slice(0, 2).map(describeRecord)],
      'high',
    );
  },
};

export const tokenSourceFailed: Rule = {
  name: 'token-source-failed',
  needs: 'the token source failed: there is no valid token to compare with',
  run(c) {
    const ts = c.e.config?.tokenSource;
    if (!ts || ts.ok) return null;
    return verdict(
      'token-source-failed',
      `The ${ts.source} token source failed: ${ts.problem ?? 'no reason given'}; no valid token to test with.`,
      [`token source ${ts.source}: ${ts.problem ?? 'failed'}`],
      'high',
    );
  },
};

/** The suite's own calls to the auth service that failed fast below HTTP (not timeouts). */
export function authUnreachableFacts(c: Ctx): string[] {
  const lines: string[] = [];
  const h = authHealth(c);
  if (h && !h.ok && h.status === null && h.ms < c.T) lines.push(describeHealth(h));
  const v = c.validation;
  if (v && v.httpStatus === null && v.ms < c.T) lines.push(describeValidation(v));
  return lines;
}

export const configOnlyNetwork: Rule = {
  name: 'config-only-network',
  needs: 'no handshake in the evidence; a backend or frontend health check failed below HTTP',
  run(c) {
    if (c.valid.length || c.bad.length || !c.e.config) return null;
    const failing = c.e.config.health.filter((h) => h.service !== 'auth' && !h.ok && h.status === null && h.problem);
    for (const h of failing) {
      // Classified as the raw channel classifies its errors; a health check's timeout is no handshake timeout.
      const cls = classifyProblem(h.problem ?? '');
      if (cls === 'protocol' || cls === 'timeout') continue;
      return verdict(NET_CAUSE[cls], `The ${h.service} health check fails below HTTP: ${h.problem} (no handshake tried).`, [describeHealth(h)], 'medium');
    }
    return null;
  },
};

export const configOnlyAuth: Rule = {
  name: 'config-only-auth',
  needs: 'no valid-token handshake in the evidence; the auth service itself rejects the token, or cannot be reached, or the backend lists no auth service',
  run(c) {
    if (c.valid.length || !c.e.config) return null;
    const v = c.validation;
    if (v && v.httpStatus !== null && v.valid === false && !CALLER_ERRORS.has(v.error ?? '')) {
      return verdict(
        'token-rejected-by-auth-service',
        `The auth service itself rejects the valid token (${v.error ?? 'valid=false'}): the token is the problem — stale signing secret or wrong claims (no handshake tried).`,
        [describeValidation(v)],
        'medium',
      );
    }
    const unreachable = authUnreachableFacts(c);
    if (unreachable.length) {
      return verdict('auth-service-unreachable', 'The auth service does not answer the suite: it is down or its URL is wrong (no handshake tried).', unreachable, 'medium');
    }
    const deps = c.e.config.dependencies;
    if (deps?.authServiceListed === false) {
      return verdict(
        'backend-cannot-use-auth-service',
        'The backend lists no auth service among its dependencies (AUTH_SERVICE_URL unset): valid tokens will be refused (no handshake tried).',
        [describeDependencies(deps), v && describeValidation(v)],
        'low',
      );
    }
    return null;
  },
};
