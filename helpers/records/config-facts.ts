// What config verification learns about a target before any handshake: the facts the
// diagnosis uses as its differential baseline ("the auth service itself accepts this token").
import type { TokenSourceName } from '../../environments/schema';

export type ServiceName = 'frontend' | 'backend' | 'auth';

export interface HealthFact {
  service: ServiceName;
  url: string;
  status: number | null;
  ok: boolean;
  /** Why it failed, when it did: "ECONNREFUSED", "timed out after 5000 ms", "HTTP 503". */
  problem: string | null;
  /** The `Server` header of the answer: tells an edge proxy's voice from the app's. */
  serverHeader: string | null;
  ms: number;
}

export interface TokenSourceFact {
  source: TokenSourceName;
  ok: boolean;
  /** e.g. "bypass key rejected: HTTP 401", "static token expired at 2026-11-25T10:00:00Z". */
  problem: string | null;
  tokenFingerprint: string | null;
  expiresAt: string | null;
  /** A concern that does not stop the run, e.g. "static token expires in 90 s (at …)". */
  warning?: string | null;
}

/** The auth service's own answer to POST /auth/validate for one token. */
export interface ValidationFact {
  tokenVariant: string;
  tokenFingerprint: string | null;
  url: string;
  httpStatus: number | null;
  valid: boolean | null;
  /** The service's `error` field (invalid_token, invalid_service_secret…) or a transport problem. */
  error: string | null;
  ms: number;
}

/** The backend's dependency status: does it list (and reach) an auth service? */
export interface DependenciesFact {
  url: string;
  httpStatus: number | null;
  /** null when the endpoint could not be read. */
  authServiceListed: boolean | null;
  authServiceHealthy: boolean | null;
  problem: string | null;
}

export interface ConfigFacts {
  health: HealthFact[];
  tokenSource: TokenSourceFact;
  validation: ValidationFact[];
  dependencies: DependenciesFact | null;
}
