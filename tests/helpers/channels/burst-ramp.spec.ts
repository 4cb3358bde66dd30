// The ramp against a scripted probe: its plan, where it stops, what each step keeps, its rate cap.
import { expect, test } from '@playwright/test';
import { ramp, rampPlan, rampTotals, rateLimited } from '../../../helpers/channels/burst-ramp';
import type { RawRecord } from '../../../helpers/records/handshake-record';
import { rawOpen, rawRefused } from '../../support/record-fixtures';

/** A probe that refuses once `inFlight` exceeds `limit`, as an overflowing auth queue does; it records the peak. */
function capacityProbe(limit: number) {
  let inFlight = 0;
  let peak = 0;
  const probe = async (): Promise<RawRecord> => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    const over = inFlight > limit;
    await new Promise((resolve) => setImmediate(resolve));
    inFlight -= 1;
    return over ? rawRefused('valid', 'subprotocol', 403) : rawOpen('valid');
  };
  return { probe, peak: () => peak };
}

test.describe('rampPlan', () => {
  const rows: Array<[number, number[]]> = [
    [1, [1]],
    [2, [1, 2]],
    [10, [1, 2, 5, 10]],
    [12, [1, 2, 5, 10, 12]],
    [20, [1, 2, 5, 10, 20]],
  ];
  for (const [max, plan] of rows) test(`max ${max} → ${plan.join(' → ')}`, () => expect(rampPlan(max)).toEqual(plan));
});

test('a target with room for every step: all steps run, none refused, attempts split evenly', async () => {
  const target = capacityProbe(100);
  const result = await ramp({ maxConcurrency: 10, totalAttempts: 200, maxRatePerSecond: null, confidence: 0.95, probe: target.probe });
  expect(result.stopped).toBe('completed');
  expect(result.steps.map((s) => [s.concurrency, s.attempts, s.opened])).toEqual([
    [1, 50, 50],
    [2, 50, 50],
    [5, 50, 50],
    [10, 50, 50],
  ]);
  expect(target.peak()).toBe(10);
  expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
});

test('it stops climbing at the first step with refusals, and never goes back to 1 after load', async () => {
  const target = capacityProbe(3);
  const steps: number[] = [];
  const result = await ramp({ maxConcurrency: 10, totalAttempts: 200, maxRatePerSecond: null, confidence: 0.95, probe: target.probe, onStep: (s) => steps.push(s.concurrency) });
  expect(result.stopped).toBe('refusals');
  expect(steps).toEqual([1, 2, 5]);
  const last = result.steps.at(-1);
  expect(last?.refused).toBeGreaterThan(0);
  expect(last?.notOpenedMs.length).toBe(last?.refused);
  expect(last?.refusalP50Ms).not.toBeNull();
  expect(target.peak()).toBe(5);
});

test('the totals add the steps up', async () => {
  const target = capacityProbe(3);
  const result = await ramp({ maxConcurrency: 10, totalAttempts: 120, maxRatePerSecond: null, confidence: 0.95, probe: target.probe });
  const totals = rampTotals(result, 0.95);
  expect(totals.attempts).toBe(result.steps.reduce((n, s) => n + s.attempts, 0));
  expect(totals.opened).toBe(result.steps.reduce((n, s) => n + s.opened, 0));
  expect(totals.interval.low).toBeLessThanOrEqual(totals.refusalRate);
  expect(totals.interval.high).toBeGreaterThanOrEqual(totals.refusalRate);
});

// The cap's subject is time: it is asserted as a lower bound on the gaps between starts (the cap
// re-waits when a timer fires early), never as an upper bound.
test('the rate cap spaces the starts: at 200/s the k-th of 10 starts comes k × 5 ms after the first, even from 5 workers', async () => {
  const starts: number[] = [];
  const capped = rateLimited(async () => {
    starts.push(performance.now());
    return rawOpen('valid');
  }, 200);
  await Promise.all(Array.from({ length: 5 }, async () => {
    for (let i = 0; i < 2; i += 1) await capped();
  }));
  starts.sort((a, b) => a - b);
  expect(starts.length).toBe(10);
  // Slots are laid from the cap's creation, just before the first start; no start precedes its slot.
  const early = starts.map((t, k) => t - (starts[0] as number) - k * 5).filter((slack) => slack < -0.5);
  expect(early).toEqual([]);
});

test('uncapped (null) is the probe itself', () => {
  const probe = async () => rawOpen('valid');
  expect(rateLimited(probe, null)).toBe(probe);
});
