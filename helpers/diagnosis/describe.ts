// The one-line evidence forms the diagnosis cites: a record, a config fact, a burst. Inputs are
// already redacted by their builders; these lines only pick and shorten, never add a value.
import type { DependenciesFact, HealthFact, ValidationFact } from '../records/config-facts';
import type { BrowserRecord, BurstResult, HandshakeRecord, RawRecord, TlsProblem } from '../records/handshake-record';

const BODY_EXCERPT = 120;

/** Header lookup regardless of case (node lower-cases, CDP keeps the server's case). */
export function header(headers: Record<string, string>, name: string): string | null {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return null;
}

function excerpt(text: string, max = BODY_EXCERPT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const ms = (n: number | null | undefined) => `${Math.round(n ?? 0)} ms`;

export const TLS_PROBLEMS: Record<TlsProblem, string> = {
  untrusted: 'the certificate is not trusted (unknown or self-signed CA)',
  expired: 'the certificate has expired',
  'hostname-mismatch': 'the certificate is for another host',
  other: 'the TLS negotiation failed',
};

function closeText(r: HandshakeRecord): string {
  if (!r.close) return 'then the connection ended';
  const reason = r.close.reason ? ` "${excerpt(r.close.reason, 80)}"` : '';
  return `then close ${r.close.code ?? 'without code'}${reason}${r.close.by === 'none' ? '' : ` by ${r.close.by}`}`;
}

function firstReceived(r: HandshakeRecord): string {
  const f = r.frames.find((x) => x.direction === 'received');
  return f ? `, frame ${excerpt(f.data, 100)}` : '';
}

/** The last thing that did happen before a timeout: "; last event: TCP connect at 8 ms". */
function lastMark(r: RawRecord): string {
  const names: Array<[keyof RawRecord['marks'], string]> = [
    ['firstFrame', 'first frame'],
    ['response', 'response'],
    ['firstByte', 'first response byte'],
    ['secureConnect', 'TLS connect'],
    ['connect', 'TCP connect'],
    ['lookup', 'DNS lookup'],
  ];
  for (const [key, name] of names) {
    const at = r.marks[key];
    if (at !== undefined) return `; last event: ${name} at ${ms(at)}`;
  }
  return '; no TCP connection';
}

const at = (n: number | null) => (n === null ? '' : ` at ${ms(n)}`);

function rawResult(r: RawRecord): string {
  const total = ms(r.timing.totalMs);
  switch (r.outcome) {
    case 'open': {
      const proto = r.acceptedSubprotocol ? `, subprotocol ${r.acceptedSubprotocol}` : '';
      const received = r.frames.filter((f) => f.direction === 'received').length;
      return `HTTP 101 in ${total}${proto}${received ? `, ${received} frame(s) received` : ''}`;
    }
    case 'refused': {
      const server = header(r.responseHeaders, 'server');
      const text = r.statusText ? ` ${r.statusText}` : '';
      const body = r.body ? `, body ${excerpt(r.body)}` : ', no body';
      return `HTTP ${r.status ?? '?'}${text} in ${total}${server ? `, Server ${server}` : ''}${body}`;
    }
    case 'closed-after-accept':
      return `HTTP 101, ${closeText(r)} in ${ms(r.marks.closed ?? r.timing.totalMs)}${firstReceived(r)}`;
    case 'error': {
      const e = r.error;
      if (!e) return `error in ${total}`;
      const detail = [e.tls, e.code].filter(Boolean).join(', ');
      return `${e.class} error${detail ? ` (${detail})` : ''}: ${excerpt(e.message, 160)} after ${total}`;
    }
    case 'timeout':
      return `no answer within the ${r.budgetMs} ms budget${lastMark(r)}`;
    case 'not-attempted':
      return 'not attempted';
  }
}

function browserResult(r: BrowserRecord): string {
  const t = r.timing;
  const ui = r.uiStatus ? `; the page shows "${excerpt(r.uiStatus, 60)}"` : '';
  const frameError = r.frameError ? `frame error "${excerpt(r.frameError, 160)}"` : 'no frame error';
  switch (r.outcome) {
    case 'open':
      return `HTTP 101${t.responseMs === null ? '' : ` in ${ms(t.responseMs)}`}${ui}`;
    case 'refused':
      return `HTTP ${r.status ?? '?'} (${frameError})${at(t.errorMs ?? t.closedMs)}${ui}`;
    case 'closed-after-accept':
      return `HTTP 101, ${closeText(r)}${at(t.closedMs)}${firstReceived(r)}${ui}`;
    case 'error':
      return `error, ${frameError}${r.wsUrl ? '' : ' and no socket opened'}${at(t.errorMs ?? t.closedMs)}${ui}`;
    case 'timeout':
      return `no decision within the ${r.budgetMs} ms budget${ui}`;
    case 'not-attempted':
      return `the page opened no socket (not attempted)${ui}`;
  }
}

/** "raw subprotocol, valid token: HTTP 403 Forbidden in 12 ms, Server uvicorn, body {"detail":…}" */
export function describeRecord(r: HandshakeRecord): string {
  const experiment = r.channel === 'raw' && r.experiment ? ` (experiment: ${r.experiment})` : '';
  const who = r.channel === 'raw' ? `raw ${r.transport}, ${r.tokenVariant} token${experiment}` : `browser, ${r.tokenVariant} token`;
  return `${who}: ${r.channel === 'raw' ? rawResult(r) : browserResult(r)}`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** "auth service POST /auth/validate, valid token → valid=true (HTTP 200 in 35 ms)" */
export function describeValidation(v: ValidationFact): string {
  const head = `auth service POST ${pathOf(v.url)}, ${v.tokenVariant} token →`;
  if (v.httpStatus === null) return `${head} no answer: ${v.error ?? 'unknown problem'} (after ${ms(v.ms)})`;
  const answer = v.valid === null ? 'no verdict in the answer' : `valid=${v.valid}${v.error ? `, error ${v.error}` : ''}`;
  return `${head} ${answer} (HTTP ${v.httpStatus} in ${ms(v.ms)})`;
}

/** "auth health GET /health → HTTP 200 in 3 ms, Server uvicorn" */
export function describeHealth(h: HealthFact): string {
  const head = `${h.service} health GET ${pathOf(h.url)} →`;
  if (!h.ok) return `${head} failed: ${h.problem ?? `HTTP ${h.status}`} (after ${ms(h.ms)})`;
  return `${head} HTTP ${h.status} in ${ms(h.ms)}${h.serverHeader ? `, Server ${h.serverHeader}` : ''}`;
}

export function describeDependencies(d: DependenciesFact): string {
  if (d.authServiceListed === null) return `dependencies status could not be read: ${d.problem ?? `HTTP ${d.httpStatus}`}`;
  if (!d.authServiceListed) return "dependencies status lists no 'Auth Service' check (the backend has no AUTH_SERVICE_URL)";
  const health = d.authServiceHealthy === null ? 'health unknown' : d.authServiceHealthy ? 'healthy' : 'unhealthy';
  return `dependencies status lists 'Auth Service': ${health}`;
}

/** "41 of 300 refused: 13.7 % (95 % CI 10.2–18.0 %)" */
export function describeRate(b: BurstResult): string {
  const pct = (x: number) => (x * 100).toFixed(1);
  const notOpened = b.attempts - b.opened;
  return (
    `${notOpened} of ${b.attempts} refused: ${pct(b.refusalRate)} % ` +
    `(${Math.round(b.interval.confidence * 100)} % CI ${pct(b.interval.low)}–${pct(b.interval.high)} %)`
  );
}

export function describeBurst(b: BurstResult): string {
  const counts = Object.entries(b.statusCounts)
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  return `burst of valid handshakes: ${describeRate(b)}; ${counts || 'no answers'}; p50 ${ms(b.p50Ms)}, p95 ${ms(b.p95Ms)}`;
}
