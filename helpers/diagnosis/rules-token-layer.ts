// Who turned the valid token down? When a forged token, sent the same way, is refused with the
// same signature, the layer that checks tokens refused the valid one too. Which part of the token
// path is broken is then decided by asking the auth service directly (does it accept the token?
// does the suite reach it? how fast?), by the backend's dependency status where it has one, and
// by the backend's own words (AUTH_FAILED messages). When those cannot decide, the verdict lists
// the candidates in order instead of guessing.
import { describeDependencies, describeHealth, describeRecord, describeValidation } from './describe';
import { CAUSES, type Cause, type Confidence, type Layer, type Verdict } from './causes';
import type { HandshakeRecord, RawRecord } from '../records/handshake-record';
import { type AppMessage, readAppMessage } from './app-messages';
import { authClose, authHealth, closedWith, type Ctx, hasFrame, originOf, plural, refused, refusalStatus, type Rule, SIGNED_VARIANTS, unique, verdict } from './context';
import { authUnreachableFacts, CALLER_ERRORS } from './rules-config';
import { describeSignature, looksLikeProxyPage, type RefusalSignature, signatureDiff, signatureOf } from './signature';

/** A refusal at or above this share of the backend's auth timeout is "about the timeout". */
const SLOW_SHARE = 0.9;

interface Comparison {
  same: boolean;
  valid: RawRecord;
  forged: RawRecord[];
  line: string;
}

/** The valid token's refusal against forged tokens sent the same way (transport and Origin). */
function compareWithForged(c: Ctx, valid: RawRecord): Comparison | null {
  const sig = signatureOf(valid);
  if (!sig) return null;
  const sameWay = c.rawBad.filter((r) => r.transport === valid.transport && originOf(r) === originOf(valid) && r.outcome !== 'not-attempted');
  // Well-formed forged JWTs first: a backend may refuse a missing or malformed one without asking anyone.
  const signed = sameWay.filter((r) => SIGNED_VARIANTS.has(r.tokenVariant));
  const pool = signed.length ? signed : sameWay;
  if (!pool.length) return null;
  const diffs = pool.map((r) => {
    const other = signatureOf(r);
    return other ? signatureDiff(sig, other) : ['outcome'];
  });
  const same = diffs.every((d) => d.length === 0);
  const variants = unique(pool.map((r) => r.tokenVariant)).join(', ');
  const line = same
    ? `valid and forged (${variants}) refused identically: ${describeSignature(sig)}`
    : `valid refused as ${describeSignature(sig)}; forged (${variants}) differently (${unique(diffs.flat()).join(', ')})`;
  return { same, valid, forged: pool, line };
}

function timeoutFacts(c: Ctx, refusals: HandshakeRecord[]) {
  const slow = refusals.filter((r): r is RawRecord => r.channel === 'raw' && r.timing.totalMs >= SLOW_SHARE * c.T);
  const v = c.validation;
  const slowValidation = v && v.ms >= c.T ? v : undefined;
  const h = authHealth(c);
  const slowHealth = h && h.ms >= c.T ? h : undefined;
  return { slow, slowValidation, slowHealth };
}

/**
 * The token path is what refused: decide which part of it, from the auth service's own answer,
 * the suite's reach of it, timing, the dependency status, and the app's message.
 */
function tokenPath(c: Ctx, refusals: HandshakeRecord[], cmp: Comparison | null, message: AppMessage | null, layer: Layer): Verdict {
  const v = c.validation;
  const deps = c.e.config?.dependencies ?? null;
  const how = refusalStatus(refusals);
  const depLine = deps ? describeDependencies(deps) : 'no dependency status (the target has none, or it was not read)';
  const base = [...refusals.slice(0, 3).map(describeRecord), cmp?.line, ...(cmp?.forged.slice(0, 1).map(describeRecord) ?? []), v && describeValidation(v), message && `the backend says: "${message.text}"`];
  const same = cmp?.same ? ' exactly as it refuses forged tokens' : '';
  const decided = (what: string) => [cmp?.same ? cmp.line : null, what].filter(Boolean).join('; ');
  const make = (cause: Cause, summary: string, lines: Array<string | null | undefined | false>, confidence: Confidence, extra: { candidates?: Cause[]; decidedBy?: string } = {}) =>
    // Where it was refused (after accept) wins over the cause's usual layer for causes seen at the handshake.
    verdict(cause, summary, lines, confidence, { ...extra, layer: layer === 'app-after-accept' && CAUSES[cause].layer === 'app-handshake' ? layer : CAUSES[cause].layer });

  // The auth service itself says the token is bad: the token, not the pipeline.
  if (v && v.httpStatus !== null && v.valid === false && !CALLER_ERRORS.has(v.error ?? '')) {
    return make(
      'token-rejected-by-auth-service',
      `The auth service itself rejects the valid token (${v.error ?? 'valid=false'}), and the backend refuses it (${how})${same}: the token is the problem — stale signing secret or wrong claims — not the pipeline.`,
      base,
      'high',
      { decidedBy: decided('the auth service, asked directly, answers valid=false for the token') },
    );
  }
  // The backend's own words name the broken part.
  const said = message?.rule;
  if (said && said.cause === 'service-credentials-rejected') {
    return make('service-credentials-rejected', `The backend refuses the valid token (${how}) and says "${message.text}": ${said.meaning}.`, [...base, depLine], 'high', {
      decidedBy: decided(`the backend's message: ${said.meaning}`),
    });
  }
  const unreachable = authUnreachableFacts(c);
  if (unreachable.length) {
    return make(
      'auth-service-unreachable',
      `The auth service does not answer the suite either; the backend refuses the valid token (${how})${same}: the auth service is down or its URL is wrong.`,
      [...unreachable, ...base, depLine],
      refusals.length && unreachable.length > 1 ? 'high' : 'medium',
      { decidedBy: decided('the suite cannot reach the auth service directly either') },
    );
  }
  const t = timeoutFacts(c, refusals);
  if (t.slow.length || t.slowValidation || t.slowHealth || said?.cause === 'auth-service-slow') {
    const parts: string[] = [];
    if (t.slow[0]) parts.push(`the valid token is refused after ${Math.round(t.slow[0].timing.totalMs)} ms, against the backend's ${c.T} ms auth timeout`);
    if (t.slowValidation) parts.push(`the auth service took ${Math.round(t.slowValidation.ms)} ms to answer the suite's own validation (the backend gives up at ${c.T} ms)`);
    else if (t.slowHealth) parts.push(`the auth service's health took ${Math.round(t.slowHealth.ms)} ms (the backend gives up at ${c.T} ms)`);
    if (said?.cause === 'auth-service-slow') parts.push(`the backend says "${message?.text}"`);
    return make('auth-service-slow', `${parts.join('; ')}: the auth service answers too late for the backend.`, [...base, t.slowValidation && describeValidation(t.slowValidation), t.slowHealth && describeHealth(t.slowHealth)], t.slow.length && (t.slowValidation || t.slowHealth) ? 'high' : 'medium', {
      decidedBy: decided('the auth service, asked directly, answers slower than the backend waits'),
    });
  }
  if (said && said.cause === 'token-rejected-by-auth-service' && v?.valid !== true) {
    return make('token-rejected-by-auth-service', `The backend refuses the valid token (${how}) and says "${message.text}": ${said.meaning}.`, base, 'medium', {
      decidedBy: `the backend's message: ${said.meaning}`,
    });
  }

  const authAccepts = v?.valid === true;
  const notListed = deps?.authServiceListed === false;
  const listedUnhealthy = deps?.authServiceListed === true && deps.authServiceHealthy === false;
  const listedHealthy = deps?.authServiceListed === true && deps.authServiceHealthy === true;
  const accepts = authAccepts ? 'The auth service accepts the token, yet the backend' : 'The backend';
  if (said?.cause === 'backend-cannot-use-auth-service' || notListed || listedUnhealthy) {
    const why = said?.cause === 'backend-cannot-use-auth-service'
      ? `it says "${message?.text}" while the suite reaches the auth service`
      : notListed
        ? 'its dependencies list no auth service: AUTH_SERVICE_URL is unset'
        : 'its own auth-service check fails while the suite reaches the auth service: AUTH_SERVICE_URL is wrong';
    return make(
      'backend-cannot-use-auth-service',
      `${accepts} refuses it (${how})${same}: the backend cannot use its auth service (${why}).`,
      [...base, depLine],
      authAccepts && (cmp?.same || said) ? 'high' : 'medium',
      { decidedBy: decided(said?.cause === 'backend-cannot-use-auth-service' ? `the backend's message: ${said.meaning}` : `the backend's dependency status: ${depLine}`) },
    );
  }
  if (listedHealthy && authAccepts) {
    return make(
      'service-credentials-rejected',
      `The auth service accepts the token and the backend reaches it, yet the backend refuses the valid token (${how})${same}: the auth service refuses the backend as a caller — its X-Service-Secret is the suspect.`,
      [...base, depLine],
      'medium',
      { decidedBy: decided('the backend lists a healthy auth service that accepts the token from the suite') },
    );
  }
  if (authAccepts) {
    return make(
      'backend-cannot-use-auth-service',
      `${accepts} refuses it (${how})${same}: the backend cannot use its auth service — AUTH_SERVICE_URL unset or wrong, or the auth service refuses the backend's service credentials; indistinguishable from outside without a dependency-status endpoint.`,
      [...base, depLine],
      cmp?.same ? 'medium' : 'low',
      { candidates: ['backend-cannot-use-auth-service', 'service-credentials-rejected'], decidedBy: decided('the auth service, asked directly, accepts the token the backend refuses') },
    );
  }
  return make(
    'unexplained',
    `The backend refuses the valid token (${how})${same}, but without the auth service's own answer on the token no part of the token path can be singled out.`,
    [...base, depLine],
    'low',
    { candidates: ['unexplained', 'backend-cannot-use-auth-service', 'service-credentials-rejected', 'token-rejected-by-auth-service'] },
  );
}

export const notReady: Rule = {
  name: 'backend-not-ready',
  needs: 'a valid handshake got 101, then close 1011 or a readiness / internal-error message',
  run(c) {
    const hits = c.valid.filter((r) => closedWith(r, 1011) || hasFrame(r, /Service not ready|CONNECTION_ERROR/i));
    const first = hits[0];
    if (!first) return null;
    const reason = first.close?.reason ? ` "${first.close.reason}"` : '';
    return verdict('backend-not-ready', `The backend accepted the upgrade, then closed with ${first.close?.code ?? 1011}${reason}: it is not ready to serve (or failed internally).`, hits.map(describeRecord), 'high');
  },
};

/** Valid raw records the app turned down: refused at the handshake, or 101 then an auth close. */
function turnedDown(c: Ctx): RawRecord[] {
  return c.rawValid.filter((r) => refused(r) || authClose(r));
}

export const tokenLayer: Rule = {
  name: 'token-layer',
  needs: 'a valid raw handshake turned down (HTTP refusal, or 101 then an auth close) and a forged token sent the same way turned down identically, or an app message naming the cause',
  run(c) {
    for (const valid of turnedDown(c)) {
      const cmp = compareWithForged(c, valid);
      const message = readAppMessage(valid, c.messages);
      const layer: Layer = valid.outcome === 'closed-after-accept' ? 'app-after-accept' : 'app-handshake';
      const refusals = turnedDown(c).filter((r) => r.outcome === valid.outcome);
      if (cmp?.same || message?.rule) return tokenPath(c, refusals, cmp, message?.rule ? message : null, layer);
    }
    return null;
  },
};

export const otherLayer: Rule = {
  name: 'other-layer',
  needs: 'a valid raw handshake turned down differently from a forged token sent the same way',
  run(c) {
    for (const valid of turnedDown(c)) {
      const cmp = compareWithForged(c, valid);
      if (!cmp || cmp.same) continue;
      const sig = signatureOf(valid) as RefusalSignature;
      const message = readAppMessage(valid, c.messages);
      if (valid.outcome === 'closed-after-accept') {
        return verdict(
          'refused-after-accept',
          `The backend accepted the upgrade (101), then turned the valid token down (${describeSignature(sig)})${message ? ` saying "${message.text}"` : ''}, unlike forged tokens: the message names no cause this suite knows.`,
          [describeRecord(valid), cmp.line, ...cmp.forged.slice(0, 1).map(describeRecord)],
          'medium',
          { decidedBy: cmp.line },
        );
      }
      const proxy = looksLikeProxyPage(sig);
      return verdict(
        proxy ? 'edge-proxy-refused' : 'unexplained',
        `The valid token is refused by another layer than the one that refuses forged tokens (${describeSignature(sig)})${proxy ? ': its HTML page is how proxies answer' : ''}.`,
        [describeRecord(valid), cmp.line, ...cmp.forged.slice(0, 1).map(describeRecord)],
        proxy ? 'medium' : 'low',
        { candidates: proxy ? ['edge-proxy-refused', 'unexplained'] : ['unexplained', 'edge-proxy-refused'], decidedBy: cmp.line },
      );
    }
    return null;
  },
};

export const forgedOnly: Rule = {
  name: 'forged-only',
  needs: 'no valid-token handshake; forged tokens accepted then closed where the environment promises a refusal at the handshake',
  run(c) {
    if (c.valid.length || c.e.expect.invalidTokenRefusal === 'close-1008') return null;
    const hits = c.bad.filter((r) => authClose(r));
    const first = hits[0];
    if (!first) return null;
    const message = readAppMessage(first, c.messages);
    const close = first.close?.code ? `closed with ${first.close.code}${first.close.reason ? ` "${first.close.reason}"` : ''}` : 'closed';
    if (message?.rule) {
      return verdict(message.rule.cause, `The backend accepted the upgrade (101), then ${close} saying "${message.text}": ${message.rule.meaning}.`, [...hits.map(describeRecord)], 'medium', {
        decidedBy: `the backend's message: ${message.rule.meaning}`,
        layer: 'app-after-accept',
      });
    }
    return verdict(
      'refused-after-accept',
      `The backend accepted the upgrade (101) for ${plural(hits.length, 'forged token')}, then ${close}${message ? ` saying "${message.text}"` : ''}: it refuses after accepting, where the environment promises a refusal at the handshake.`,
      hits.map(describeRecord),
      'high',
    );
  },
};
