// A burst ramp as burst-probe would leave it: three steps, refusals appearing at concurrency 5.
import type { BurstRamp, RampStep } from '../../helpers/records/handshake-record';

function step(concurrency: number, openedMs: number[], notOpenedMs: number[]): RampStep {
  const attempts = openedMs.length + notOpenedMs.length;
  const refusalRate = notOpenedMs.length / attempts;
  return {
    concurrency,
    attempts,
    opened: openedMs.length,
    refused: notOpenedMs.length,
    errors: 0,
    timeouts: 0,
    refusalRate,
    interval: { low: Math.max(0, refusalRate - 0.05), high: Math.min(1, refusalRate + 0.1), confidence: 0.95 },
    statusCounts: { '101': openedMs.length, ...(notOpenedMs.length ? { '403': notOpenedMs.length } : {}) },
    p50Ms: 3.25,
    p95Ms: 4 + concurrency,
    firstRefusal: null,
    firstOpen: null,
    refusalP50Ms: notOpenedMs.length ? 2.5 : null,
    openedMs,
    notOpenedMs,
    durationMs: 40,
  };
}

export const RAMP: BurstRamp = {
  plan: [1, 2, 5, 10],
  steps: [step(1, [3.1, 3.4, 2.9, 3.3], []), step(2, [3.5, 4.1, 3.9, 4.4], []), step(5, [5.2, 6.8, 7.1], [2.2, 2.6])],
  stopped: 'refusals',
  maxRatePerSecond: null,
  startedAt: '2026-11-29T10:00:00.000Z',
  endedAt: '2026-11-29T10:00:00.200Z',
};
