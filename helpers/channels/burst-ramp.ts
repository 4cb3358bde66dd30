// The burst as a guest on a staging: valid handshakes at 1, then 2, 5, 10 … in flight, with a cap
// on handshakes started per second, stopping its climb at the first step with refusals. The first
// step (one in flight, before any load) is the baseline the diagnosis compares the others with; no
// step at 1 comes after a loaded one, whose after-effects (an open circuit breaker, a draining
// queue) would pass for a bad instance.
import type { BurstRamp, RampStep, RawRecord } from '../records/handshake-record';
import { burst, type BurstResult } from './burst-probe';
import { percentile, wilsonInterval as wilson } from './burst-stats';

export interface RampOptions {
  /** The highest concurrency; the plan is the standard steps below it, then it. */
  maxConcurrency: number;
  /** Total handshakes the planned steps may use. */
  totalAttempts: number;
  /** Cap on handshakes started per second; null: uncapped. */
  maxRatePerSecond: number | null;
  confidence: number;
  probe: () => Promise<RawRecord>;
  /** Called after each step, e.g. to print progress. */
  onStep?: (step: RampStep, index: number, plan: readonly number[]) => void;
}

const STANDARD_STEPS = [1, 2, 5, 10, 20, 50, 100, 200];

/** 1 → 2 → 5 → 10 → … up to max, max included. */
export function rampPlan(maxConcurrency: number): number[] {
  return [...STANDARD_STEPS.filter((c) => c < maxConcurrency), maxConcurrency];
}

/** A probe that starts no more than `perSecond` handshakes a second, however many workers call it. */
export function rateLimited(probe: () => Promise<RawRecord>, perSecond: number | null): () => Promise<RawRecord> {
  if (perSecond === null) return probe;
  const gapMs = 1000 / perSecond;
  let nextSlot = performance.now();
  return async () => {
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + gapMs;
    // Waiting for a start slot is the rate cap itself, not synchronisation on an event. Node's
    // timers count from the event loop's cached clock, which lags performance.now() by a few ms
    // on a busy loop, so a timer can fire that much early: wait again until the slot has come.
    for (let left = slot - now; left > 0; left = slot - performance.now()) await new Promise((resolve) => setTimeout(resolve, left));
    return probe();
  };
}

function msOf(r: RawRecord): number {
  return Math.round((r.marks.response ?? r.marks.closed ?? r.timing.totalMs) * 10) / 10;
}

async function runStep(concurrency: number, attempts: number, opts: RampOptions, probe: () => Promise<RawRecord>): Promise<RampStep> {
  const openedMs: number[] = [];
  const notOpenedMs: number[] = [];
  const refusedMs: number[] = [];
  const started = performance.now();
  const result: BurstResult = await burst({
    attempts,
    concurrency,
    confidence: opts.confidence,
    probe: async () => {
      const r = await probe();
      if (r.outcome === 'open') openedMs.push(msOf(r));
      else {
        notOpenedMs.push(msOf(r));
        if (r.outcome === 'refused' || r.outcome === 'closed-after-accept') refusedMs.push(msOf(r));
      }
      return r;
    },
  });
  return {
    ...result,
    concurrency,
    refusalP50Ms: refusedMs.length ? percentile(refusedMs, 50) : null,
    openedMs,
    notOpenedMs,
    durationMs: Math.round(performance.now() - started),
  };
}

export async function ramp(opts: RampOptions): Promise<BurstRamp> {
  const plan = rampPlan(opts.maxConcurrency);
  const perStep = Math.max(1, Math.ceil(opts.totalAttempts / plan.length));
  const probe = rateLimited(opts.probe, opts.maxRatePerSecond);
  const steps: RampStep[] = [];
  const startedAt = new Date().toISOString();
  let stopped: BurstRamp['stopped'] = 'completed';
  for (const [i, concurrency] of plan.entries()) {
    // At least as many attempts as in flight, so each step really reaches its concurrency.
    const step = await runStep(concurrency, Math.max(perStep, concurrency), opts, probe);
    steps.push(step);
    opts.onStep?.(step, i, plan);
    if (step.opened < step.attempts) {
      stopped = 'refusals';
      break;
    }
  }
  return { plan, steps, stopped, maxRatePerSecond: opts.maxRatePerSecond, startedAt, endedAt: new Date().toISOString() };
}

/** All steps as one burst: the totals a results.json reader or an older chart expects. */
export function rampTotals(r: BurstRamp, confidence: number): BurstResult {
  const all = r.steps;
  const attempts = all.reduce((n, s) => n + s.attempts, 0);
  const opened = all.reduce((n, s) => n + s.opened, 0);
  const statusCounts: Record<string, number> = {};
  for (const s of all) for (const [k, n] of Object.entries(s.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + n;
  const times = all.flatMap((s) => [...s.openedMs, ...s.notOpenedMs]);
  return {
    attempts,
    opened,
    refused: all.reduce((n, s) => n + s.refused, 0),
    errors: all.reduce((n, s) => n + s.errors, 0),
    timeouts: all.reduce((n, s) => n + s.timeouts, 0),
    refusalRate: attempts ? (attempts - opened) / attempts : 0,
    interval: wilson(attempts - opened, attempts, confidence),
    statusCounts,
    p50Ms: times.length ? percentile(times, 50) : 0,
    p95Ms: times.length ? percentile(times, 95) : 0,
    firstRefusal: all.find((s) => s.firstRefusal)?.firstRefusal ?? null,
    firstOpen: all.find((s) => s.firstOpen)?.firstOpen ?? null,
  };
}
