import { test, expect } from '@playwright/test';
import { attemptsToDetect, normalQuantile, percentile, wilsonInterval } from '../../../helpers/channels/burst-stats';

// Reference values: Python's statistics.NormalDist and the Wilson formula, rounded to 6 places.
const WILSON: Array<[k: number, n: number, confidence: number, low: number, high: number]> = [
  [50, 100, 0.95, 0.403832, 0.596168],
  [0, 10, 0.95, 0, 0.277533],
  [10, 10, 0.95, 0.722467, 1],
  [1, 10, 0.95, 0.017876, 0.40415],
  [41, 300, 0.95, 0.102365, 0.180155],
  [50, 100, 0.99, 0.37528, 0.62472],
  [3, 1000, 0.9, 0.0012, 0.007482],
  [20, 40, 0.95, 0.351995, 0.648005],
];

for (const [k, n, confidence, low, high] of WILSON) {
  test(`wilsonInterval(${k}, ${n}, ${confidence}) is [${low}, ${high}]`, () => {
    const interval = wilsonInterval(k, n, confidence);
    expect(interval.low).toBeCloseTo(low, 6);
    expect(interval.high).toBeCloseTo(high, 6);
    expect(interval.confidence).toBe(confidence);
  });
}

test('wilsonInterval bounds are exactly 0 and 1 at the extremes, and [0, 1] with no trials', () => {
  expect(wilsonInterval(0, 300, 0.95).low).toBe(0);
  expect(wilsonInterval(300, 300, 0.95).high).toBe(1);
  expect(wilsonInterval(0, 0, 0.95)).toEqual({ low: 0, high: 1, confidence: 0.95 });
});

const BAD_WILSON: Array<[k: number, n: number, confidence: number, message: string]> = [
  [5, 4, 0.95, 'wilsonInterval: need integers 0 <= k <= n, got k=5, n=4'],
  [-1, 4, 0.95, 'wilsonInterval: need integers 0 <= k <= n, got k=-1, n=4'],
  [1.5, 4, 0.95, 'wilsonInterval: need integers 0 <= k <= n, got k=1.5, n=4'],
  [1, 4, 1, 'wilsonInterval: confidence must be in (0, 1), got 1'],
];
for (const [k, n, confidence, message] of BAD_WILSON) {
  test(`wilsonInterval(${k}, ${n}, ${confidence}) throws a RangeError`, () => {
    expect(() => wilsonInterval(k, n, confidence)).toThrow(new RangeError(message));
  });
}

const QUANTILES: Array<[p: number, z: number]> = [
  [0.975, 1.959963984540054],
  [0.995, 2.5758293035489],
  [0.001, -3.090232306167813],
  [0.5, 0],
];
for (const [p, z] of QUANTILES) {
  test(`normalQuantile(${p}) is ${z}`, () => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });
}

// ceil(ln(1 - c) / ln(1 - r)); the 0.5 rows land exactly on an integer (2.0, 3.0).
const DETECT: Array<[minRate: number, confidence: number, attempts: number]> = [
  [0.01, 0.95, 299],
  [0.05, 0.95, 59],
  [0.1, 0.95, 29],
  [0.01, 0.99, 459],
  [0.2, 0.9, 11],
  [0.5, 0.75, 2],
  [0.5, 0.875, 3],
  [1, 0.95, 1],
];
for (const [minRate, confidence, attempts] of DETECT) {
  test(`attemptsToDetect(${minRate}, ${confidence}) is ${attempts}`, () => {
    const n = attemptsToDetect(minRate, confidence);
    expect(n).toBe(attempts);
    // The definition itself: n attempts suffice, n - 1 do not.
    expect((1 - minRate) ** n).toBeLessThanOrEqual(1 - confidence + 1e-12);
    if (n > 1) expect((1 - minRate) ** (n - 1)).toBeGreaterThan(1 - confidence);
  });
}

test('attemptsToDetect rejects a rate outside (0, 1]', () => {
  expect(() => attemptsToDetect(0, 0.95)).toThrow(new RangeError('attemptsToDetect: minRate must be in (0, 1], got 0'));
});

const ONE_TO_TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const PERCENTILES: Array<[name: string, values: number[], p: number, expected: number]> = [
  ['p50 of 1..10', ONE_TO_TEN, 50, 5],
  ['p95 of 1..10', ONE_TO_TEN, 95, 10],
  ['p90 of 1..10', ONE_TO_TEN, 90, 9],
  ['p0 of 1..10', ONE_TO_TEN, 0, 1],
  ['p100 of 1..10', ONE_TO_TEN, 100, 10],
  ['p50 of unsorted values', [5, 1, 4, 2, 3], 50, 3],
  ['p95 of unsorted values', [30, 10, 20], 95, 30],
  ['p50 of one value', [7], 50, 7],
];
for (const [name, values, p, expected] of PERCENTILES) {
  test(`percentile: ${name} is ${expected}`, () => {
    const before = [...values];
    expect(percentile(values, p)).toBe(expected);
    expect(values).toEqual(before);
  });
}

test('percentile works on a typed array and rejects an empty one', () => {
  expect(percentile(Float64Array.from([3, 1, 2]), 50)).toBe(2);
  expect(() => percentile([], 50)).toThrow(new RangeError('percentile: no values'));
});
