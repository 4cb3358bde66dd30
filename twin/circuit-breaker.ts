// The auth client's circuit breaker (contract: opens after 3 failures, retries after 10 s).
// Only transport failures count, and only CONSECUTIVE ones: an answer from the auth service —
// valid or not — closes it again. Each backend owns its own breaker, so one broken backend
// never opens another's, and a healthy twin (no transport failures) never trips it.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** May a call go out now? In half-open state, one trial call at a time. */
  canPass(): boolean;
  success(): void;
  failure(): void;
  state(): BreakerState;
}

export interface BreakerOptions {
  threshold: number;
  resetMs: number;
  now?: () => number;
}

export function createCircuitBreaker({ threshold, resetMs, now = Date.now }: BreakerOptions): CircuitBreaker {
  let failures = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;

  const state = (): BreakerState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= resetMs ? 'half-open' : 'open';
  };
  return {
    state,
    canPass() {
      const s = state();
      if (s === 'closed') return true;
      if (s === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      failures = 0;
      openedAt = null;
      trialInFlight = false;
    },
    failure() {
      failures += 1;
      if (trialInFlight || failures >= threshold) openedAt = now();
      trialInFlight = false;
    },
  };
}
