// The closed set of verdicts. Everything that names a cause — the diagnosis, the failure
// message's first line, the Allure categories, summary.md, results.json, the fault
// matrix's expectations — reads this one table, so a new cause is added here or nowhere.

/** Where along the path the handshake was decided. */
export type Layer =
  | 'none' // nothing went wrong
  | 'config' // the suite could not set itself up: env, secrets, token source
  | 'network' // DNS, TCP, reset, timeout
  | 'tls' // certificate or TLS negotiation
  | 'edge' // a proxy in front of the app
  | 'app-handshake' // the backend refused the upgrade itself
  | 'app-after-accept' // the backend accepted (101) and then closed
  | 'auth-service' // the auth service, seen directly or through the backend
  | 'client'; // the client's own handshake checks, or a browser-only difference

export const CAUSES = {
  healthy: {
    layer: 'none',
    title: 'Healthy',
    meaning: 'Valid tokens connect and invalid ones are refused, as the environment says.',
  },
  'backend-cannot-use-auth-service': {
    layer: 'app-handshake',
    title: 'Backend cannot use its auth service (issue #631)',
    meaning:
      'The auth service accepts the token directly, yet the backend turns it down exactly as it turns down forged tokens (or says its auth service is unavailable): ' +
      'the backend cannot reach or use its auth service (AUTH_SERVICE_URL unset or wrong).',
  },
  'auth-service-unreachable': {
    layer: 'auth-service',
    title: 'Auth service unreachable',
    meaning: 'The auth service does not answer the suite either: it is down or its URL is wrong.',
  },
  'auth-service-slow': {
    layer: 'auth-service',
    title: 'Auth service too slow',
    meaning: "Refusals arrive after about the backend's auth timeout: the auth service answers too late for the backend.",
  },
  'service-credentials-rejected': {
    layer: 'auth-service',
    title: "Backend's service credentials rejected",
    meaning: 'The auth service refuses the backend as a caller (X-Service-ID / X-Service-Secret), so every token is refused.',
  },
  'token-rejected-by-auth-service': {
    layer: 'auth-service',
    title: 'Token rejected by the auth service',
    meaning:
      'The auth service itself refuses the token the suite presents: the token is the problem (stale signing secret, wrong claims), not the pipeline.',
  },
  'refused-after-accept': {
    layer: 'app-after-accept',
    title: 'Refused after accept (1008)',
    meaning: 'The backend accepted the upgrade (101), then sent AUTH_FAILED and closed with 1008: the client sees "connected" then a close.',
  },
  'backend-not-ready': {
    layer: 'app-after-accept',
    title: 'Backend not ready (1011)',
    meaning: 'The backend accepted, then closed with 1011 "Service not ready" or an internal error.',
  },
  'edge-proxy-refused': {
    layer: 'edge',
    title: 'Edge proxy refused the upgrade',
    meaning: "A proxy in front of the app answered (an HTML body, a Server header unlike the app's): the request never reached the backend.",
  },
  'origin-rejected': {
    layer: 'client',
    title: 'Browser refused while the raw client connects (Origin)',
    meaning: "The same token connects from the raw client but not from the browser: the backend's Origin allowlist or another browser-only difference.",
  },
  'authorization-header-stripped': {
    layer: 'edge',
    title: 'Authorization header stripped',
    meaning: 'The header transport is refused while the subprotocol transport connects: something between client and backend drops Authorization.',
  },
  'subprotocol-mismatch': {
    layer: 'client',
    title: 'Subprotocol not echoed',
    meaning: 'The server accepted without echoing an offered subprotocol, so the client aborted its own handshake.',
  },
  'intermittent-refusals': {
    layer: 'app-handshake',
    title: 'Intermittent refusals',
    meaning: 'Sequential valid handshakes (one in flight) are sometimes refused at a steady rate: one instance behind the balancer is broken.',
  },
  'refusals-under-load': {
    layer: 'app-handshake',
    title: 'Refusals under load',
    meaning:
      'Valid handshakes connect one at a time but are refused once several are in flight: the backend (usually its auth dependency) times out under load. ' +
      'Not a configuration fault; exit code 3, see the README.',
  },
  'handshake-timeout': {
    layer: 'network',
    title: 'Handshake timed out',
    meaning: 'The server accepted the TCP connection but did not answer the upgrade within the budget.',
  },
  'tls-failure': {
    layer: 'tls',
    title: 'TLS failure',
    meaning: 'The TLS handshake failed: certificate untrusted, expired, or for another host.',
  },
  'dns-failure': {
    layer: 'network',
    title: 'DNS failure',
    meaning: 'The host name does not resolve.',
  },
  'connection-refused': {
    layer: 'network',
    title: 'Connection refused',
    meaning: 'Nothing listens on the target port.',
  },
  'connection-reset': {
    layer: 'network',
    title: 'Connection reset',
    meaning: 'The connection was reset before the upgrade was answered.',
  },
  'token-source-failed': {
    layer: 'config',
    title: 'Could not obtain a token',
    meaning: 'The configured token source failed (bypass key rejected, login refused, static token expired, secret missing).',
  },
  'invalid-token-accepted': {
    layer: 'app-handshake',
    title: 'Invalid token accepted',
    meaning: 'The backend let a token in that it must refuse: a security defect.',
  },
  unexplained: {
    layer: 'app-handshake',
    title: 'Unexplained refusal',
    meaning: 'The evidence fits no known cause; read the records.',
  },
} as const satisfies Record<string, { layer: Layer; title: string; meaning: string }>;

export type Cause = keyof typeof CAUSES;
export const CAUSE_NAMES = Object.keys(CAUSES) as Cause[];

export type Confidence = 'high' | 'medium' | 'low';

export interface Verdict {
  layer: Layer;
  /** The most likely cause; when `candidates` has more than one, the first of them. */
  cause: Cause;
  /**
   * When the evidence cannot decide: every cause that still fits, most likely first (the first is
   * `cause`). Absent when one cause was singled out.
   */
  candidates?: Cause[];
  /** The comparison (or app message) that decided, e.g. "valid and forged refused identically: …". */
  decidedBy?: string;
  /** One sentence a triager reads at 3 a.m. */
  summary: string;
  /** The facts the verdict stands on, one per line, already redacted. */
  evidence: string[];
  confidence: Confidence;
}

/** The first line of a failing test's message; Allure categories match on its `[cause]` tag. */
export function verdictHeadline(v: Verdict): string {
  const others = v.candidates && v.candidates.length > 1 ? ` (or ${v.candidates.slice(1).join(', or ')})` : '';
  return `Verdict [${v.cause}]${others} at ${v.layer}: ${v.summary}`;
}
