// The fault table: each name says how the twin is ASSEMBLED — which services run, with which
// settings, behind what. No fault is a flag that prints the expected words: each breaks a real
// mechanism (a missing variable, a closed port, a slow answer, a wrong secret, a proxy rule),
// and the suite has to find it from the outside. twin/README.md explains each row.

export const FAULT_NAMES = [
  'missing-auth-url',
  'auth-down',
  'auth-slow',
  'service-secret-mismatch',
  'jwt-secret-mismatch',
  'accept-then-close',
  'not-ready',
  'edge-403',
  'origin-rejected',
  'header-stripped',
  'subprotocol-mismatch',
  'intermittent',
  'overloaded',
  'hang',
  'tls-untrusted',
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

export function isFaultName(value: string): value is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(value);
}

/** One backend instance as a fault wants it. */
export interface BackendPlan {
  /** configured: AUTH_SERVICE_URL points at the auth service; missing: unset (fallback to a dead port). */
  authUrl: 'configured' | 'missing';
  /** wrong: the backend sends an X-Service-Secret the auth service does not know. */
  serviceSecret: 'configured' | 'wrong';
  authMode: 'before-accept' | 'after-accept';
  notReady: boolean;
  echoSubprotocol: boolean;
  hangUpgrades: boolean;
  /** false: the backend's browser Origin allowlist lacks the frontend's origin. */
  allowFrontendOrigin: boolean;
  /** Deadline of the pre-validation health check: the twin's 1 s, or staging's real 0.3 s. */
  healthTimeout: 'twin' | 'staging';
}

export interface TwinPlan {
  /** down: nothing listens where AUTH_URL / AUTH_SERVICE_URL point. */
  auth: 'running' | 'down';
  /** The auth service answers /auth/validate only after this delay (ms). */
  authValidateDelayMs: number;
  /** The auth service signs and validates with a secret other than the env's JWT_SECRET. */
  authUsesOtherSecret: boolean;
  /** single-flight: the auth service serves health and validation one at a time (capacity.ts). */
  authCapacity: 'unbounded' | 'single-flight';
  backends: BackendPlan[];
  /** An edge in front of the backends (always when there is more than one backend). */
  edge: { refuseUnknownOrigins: boolean; stripAuthorization: boolean } | null;
  /** untrusted: https/wss with a certificate whose CA is never published. */
  tls: 'as-requested' | 'untrusted';
}

/** Longer than the backend's 1.6 s read timeout, shorter than the suite's 5 s HTTP timeout. */
export const AUTH_SLOW_DELAY_MS = 3000;

const HEALTHY_BACKEND: BackendPlan = {
  authUrl: 'configured',
  serviceSecret: 'configured',
  authMode: 'before-accept',
  notReady: false,
  echoSubprotocol: true,
  hangUpgrades: false,
  allowFrontendOrigin: true,
  healthTimeout: 'twin',
};

const HEALTHY: TwinPlan = {
  auth: 'running',
  authValidateDelayMs: 0,
  authUsesOtherSecret: false,
  authCapacity: 'unbounded',
  backends: [HEALTHY_BACKEND],
  edge: null,
  tls: 'as-requested',
};

const backend = (change: Partial<BackendPlan>): BackendPlan[] => [{ ...HEALTHY_BACKEND, ...change }];

export const FAULT_PLANS: Record<FaultName, TwinPlan> = {
  'missing-auth-url': { ...HEALTHY, backends: backend({ authUrl: 'missing' }) },
  'auth-down': { ...HEALTHY, auth: 'down' },
  'auth-slow': { ...HEALTHY, authValidateDelayMs: AUTH_SLOW_DELAY_MS },
  'service-secret-mismatch': { ...HEALTHY, backends: backend({ serviceSecret: 'wrong' }) },
  'jwt-secret-mismatch': { ...HEALTHY, authUsesOtherSecret: true },
  // Validates after accept, and cannot validate (AUTH_SERVICE_URL unset): every token, valid
  // or not, meets 101 → AUTH_FAILED frame → close 1008.
  'accept-then-close': { ...HEALTHY, backends: backend({ authMode: 'after-accept', authUrl: 'missing' }) },
  'not-ready': { ...HEALTHY, backends: backend({ notReady: true }) },
  'edge-403': { ...HEALTHY, edge: { refuseUnknownOrigins: true, stripAuthorization: false } },
  'origin-rejected': { ...HEALTHY, backends: backend({ allowFrontendOrigin: false }) },
  'header-stripped': { ...HEALTHY, edge: { refuseUnknownOrigins: false, stripAuthorization: true } },
  'subprotocol-mismatch': { ...HEALTHY, backends: backend({ echoSubprotocol: false }) },
  intermittent: {
    ...HEALTHY,
    backends: [HEALTHY_BACKEND, { ...HEALTHY_BACKEND, authUrl: 'missing' }],
    edge: { refuseUnknownOrigins: false, stripAuthorization: false },
  },
  // Capacity, not configuration: one auth worker with a short queue (503 beyond it). One or two
  // handshakes in flight pass; a burst overflows the queue and the backend refuses with its 403.
  // The queue limit decides, not a deadline: with staging's 0.3 s health deadline a CPU stall on
  // a loaded 2-core runner refused one sequential handshake in 75 (measured), faking a bad instance.
  overloaded: { ...HEALTHY, authCapacity: 'single-flight' },
  hang: { ...HEALTHY, backends: backend({ hangUpgrades: true }) },
  'tls-untrusted': { ...HEALTHY, tls: 'untrusted' },
};

export function planFor(fault: FaultName | 'none'): TwinPlan {
  return fault === 'none' ? HEALTHY : FAULT_PLANS[fault];
}
