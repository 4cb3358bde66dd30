// Failures below HTTP (DNS, refused, TLS, reset, timeout) and a broken subprotocol negotiation:
// the handshake never reached a verdict of the app, so these outrank every comparison of answers.
import { describeRecord, TLS_PROBLEMS } from './describe';
import type { Cause } from './causes';
import type { HandshakeRecord } from '../records/handshake-record';
import { type Ctx, closedWith, host, NET_ORDER, type NetClass, type NetFailure, netFailure, recordUrl, type Rule, unique, verdict, where } from './context';

export const NET_CAUSE: Record<NetClass, Cause> = {
  dns: 'dns-failure',
  refused: 'connection-refused',
  tls: 'tls-failure',
  reset: 'connection-reset',
  timeout: 'handshake-timeout',
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

/** The records that speak for the target: the valid ones, or — with none — the forged ones. */
function subjects(c: Ctx): HandshakeRecord[] {
  return c.valid.length ? c.valid : c.bad;
}

export const networkFailure: Rule = {
  name: 'network',
  needs: 'a valid-token handshake (or, with none, a forged one) failed below HTTP; the earliest class on the path wins',
  run(c) {
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
  },
};

function subprotocolBroken(r: HandshakeRecord): boolean {
  if (closedWith(r, 1003)) return true;
  if (r.channel === 'raw') return r.error?.class === 'protocol' && /subprotocol/i.test(r.error.message);
  return r.outcome === 'error' && r.frameError !== null && /Sec-WebSocket-Protocol|subprotocol/i.test(r.frameError);
}

export const subprotocolMismatch: Rule = {
  name: 'subprotocol-mismatch',
  needs: 'a valid handshake broke on the subprotocol (client abort for a missing echo, or a server close 1003)',
  run(c) {
    const broken = c.valid.filter(subprotocolBroken);
    const first = broken[0];
    if (!first) return null;
    const offered = unique(broken.flatMap((r) => r.offeredSubprotocols.map((p) => p.split('.')[0] ?? p))).join(', ');
    const summary = closedWith(first, 1003)
      ? `The server accepted, then closed with 1003: none of the offered subprotocols (${offered || 'none'}) matched what it expects.`
      : `The server did not echo an offered subprotocol (${offered || 'none offered'}), so the client aborted its own handshake.`;
    return verdict('subprotocol-mismatch', summary, broken.map(describeRecord), 'high');
  },
};
