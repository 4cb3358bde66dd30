// What carries the token and where the request comes from: the same valid token through two
// carriers (Authorization header vs subprotocol), with and without an Origin, from the raw client
// and from the browser. When one variant opens and the other is refused, the refusal's signature,
// compared with the app's own refusal of a forged token, tells an edge from the app.
import { describeRecord } from './describe';
import type { Cause } from './causes';
import type { HandshakeRecord, RawRecord } from '../records/handshake-record';
import { authClose, closedWith, type Ctx, EXPERIMENT, originOf, refused, type Rule, verdict } from './context';
import { describeSignature, looksLikeProxyPage, type RefusalSignature, signatureDiff, signatureOf } from './signature';

export const headerStripped: Rule = {
  name: 'authorization-header-stripped',
  needs: 'the valid token via Authorization is refused while the same token via the subprotocol opens',
  run(c) {
    const header = c.rawValid.filter((r) => r.transport === 'authorization-header' && (refused(r) || closedWith(r, 1008)));
    // Only the carrier may differ: the same Origin (or none) on both.
    const first = header.find((h) => c.rawValid.some((r) => r.transport === 'subprotocol' && r.outcome === 'open' && originOf(r) === originOf(h)));
    const sub = c.rawValid.filter((r) => r.transport === 'subprotocol' && r.outcome === 'open' && first && originOf(r) === originOf(first));
    if (!first || !sub.length) return null;
    const how = first.outcome === 'refused' ? `HTTP ${first.status}` : 'close 1008 after accept';
    return verdict(
      'authorization-header-stripped',
      `The valid token is refused via the Authorization header (${how}) but connects via the subprotocol: something between client and backend drops Authorization.`,
      [...header.map(describeRecord), ...sub.map(describeRecord)],
      'high',
      { decidedBy: 'the same token through two carriers: Authorization refused, subprotocol opened' },
    );
  },
};

/**
 * The app's own refusal, learned in this run: a forged token's refusal sent without an Origin
 * (no Origin rule applies to it), else any forged refusal when no Origin was involved at all.
 */
export function appRefusal(c: Ctx, allowWithOrigin: boolean): { record: RawRecord; sig: RefusalSignature } | null {
  const forged = c.rawBad.filter((r) => r.outcome === 'refused');
  const pick = forged.find((r) => originOf(r) === null) ?? (allowWithOrigin ? forged[0] : undefined);
  const sig = pick ? signatureOf(pick) : null;
  return pick && sig ? { record: pick, sig } : null;
}

/** Edge or the app's own Origin rule, by comparing the refusal with the app's refusal of a forged token. */
function edgeOrApp(c: Ctx, refusal: RawRecord, how: string, extra: HandshakeRecord[]) {
  const sig = signatureOf(refusal);
  const app = appRefusal(c, false);
  const lines = [describeRecord(refusal), ...extra.map(describeRecord), app && `the app's own refusal (forged token, no Origin): ${describeRecord(app.record)}`];
  if (sig && app) {
    const diff = signatureDiff(sig, app.sig);
    if (diff.length === 0) {
      return verdict(
        'origin-rejected',
        `${how}, and the refusal is exactly the app's own (${describeSignature(sig)}): the backend's Origin allowlist refuses the frontend.`,
        lines,
        'high',
        { decidedBy: `${how}; refused exactly as the app refuses a forged token without Origin` },
      );
    }
    return verdict(
      'edge-proxy-refused',
      `${how}, and the refusal is not the app's (${describeSignature(sig)} against the app's ${describeSignature(app.sig)}): a proxy in front of the app refuses the request before it reaches the app.`,
      lines,
      looksLikeProxyPage(sig) ? 'high' : 'medium',
      { decidedBy: `${how}; the refusal differs from the app's own refusal of a forged token in: ${diff.join(', ')}` },
    );
  }
  // No app refusal to compare with: the fingerprint orders the two candidates, it cannot decide.
  const order: Cause[] = sig && looksLikeProxyPage(sig) ? ['edge-proxy-refused', 'origin-rejected'] : ['origin-rejected', 'edge-proxy-refused'];
  return verdict(
    order[0] ?? 'origin-rejected',
    `${how}: an Origin rule refuses it, at an edge or in the app — no refusal of the app's own was recorded to tell which.`,
    lines,
    'low',
    { candidates: order },
  );
}

export const originOrEdge: Rule = {
  name: 'origin-or-edge',
  needs: 'the valid token refused with an Origin but opening without one, or refused in the browser while the raw client opens; the signature against the app\'s forged-token refusal says edge or app',
  run(c) {
    // A: the same raw request with and without an Origin.
    const withOrigin = c.rawValid.find((r) => (refused(r) || authClose(r)) && originOf(r) !== null);
    const openWithout = c.rawValid.find((r) => r.outcome === 'open' && originOf(r) === null);
    if (withOrigin && openWithout) {
      return edgeOrApp(c, withOrigin, `The valid token is refused with Origin ${originOf(withOrigin)} and opens without an Origin`, [openWithout]);
    }
    // B: the browser against the raw client with the same token.
    const browserDown = c.browserValid.find((r) => refused(r) || r.outcome === 'closed-after-accept');
    const rawOpen = c.rawValid.find((r) => r.outcome === 'open' && r.experiment !== EXPERIMENT.browserReplay);
    if (!browserDown || !rawOpen) return null;
    const replay = c.rawValid.find((r) => r.experiment === EXPERIMENT.browserReplay);
    const how = `The browser is refused (${browserDown.outcome === 'refused' ? `HTTP ${browserDown.status ?? '?'}` : `101 then close ${browserDown.close?.code ?? '?'}`}) while the raw client opens with the same token`;
    if (replay && (refused(replay) || authClose(replay))) return edgeOrApp(c, replay, `${how}; the raw client replaying the browser's request is refused too`, [browserDown, rawOpen]);
    if (replay?.outcome === 'open') {
      return verdict(
        'origin-rejected',
        `${how}, and even replaying the browser's exact request headers from the raw client opens: the difference is in the browser itself (cookies, TLS trust, extensions), not in its headers.`,
        [describeRecord(browserDown), describeRecord(replay), describeRecord(rawOpen)],
        'low',
        { decidedBy: 'browser refused, raw replay of its headers opened' },
      );
    }
    return verdict(
      'origin-rejected',
      `${how}: an Origin rule or another browser-only difference (no replay of the browser's request was made to tell which layer).`,
      [describeRecord(browserDown), describeRecord(rawOpen)],
      'medium',
      { candidates: ['origin-rejected', 'edge-proxy-refused'] },
    );
  },
};
