// The statistics behind a burst: how sure a refusal rate is (Wilson score interval), how many
// attempts it takes to see a rare refusal at all, and percentiles of handshake times.

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9;
 * ample for confidence levels).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const low = 0.02425;
  const tail = (q: number): number =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

function checkConfidence(confidence: number, fn: string): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${fn}: confidence must be in (0, 1), got ${confidence}`);
}

/** Wilson score interval for k successes in n trials; n = 0 says nothing: [0, 1]. */
export function wilsonInterval(k: number, n: number, confidence: number): { low: number; high: number; confidence: number } {
  checkConfidence(confidence, 'wilsonInterval');
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new RangeError(`wilsonInterval: need integers 0 <= k <= n, got k=${k}, n=${n}`);
  }
  if (n === 0) return { low: 0, high: 1, confidence };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const p = k / n;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // The bounds are exactly 0 and 1 at k = 0 and k = n; rounding must not move them.
  return {
    low: k === 0 ? 0 : Math.max(0, centre - half),
    high: k === n ? 1 : Math.min(1, centre + half),
    confidence,
  };
}

/**
 * The smallest n with P(no refusal in n attempts | rate = minRate) <= 1 - confidence,
 * i.e. ceil(ln(1 - confidence) / ln(1 - minRate)). 1 % at 95 % → 299.
 */
export function attemptsToDetect(minRate: number, confidence: number): number {
  checkConfidence(confidence, 'attemptsToDetect');
  if (!(minRate > 0 && minRate <= 1)) throw new RangeError(`attemptsToDetect: minRate must be in (0, 1], got ${minRate}`);
  if (minRate === 1) return 1;
  const miss = 1 - confidence;
  let n = Math.max(1, Math.ceil(Math.log(miss) / Math.log(1 - minRate)));
  // Floating point can push an exact quotient just above an integer; step back when n - 1 suffices.
  if (n > 1 && (1 - minRate) ** (n - 1) <= miss * (1 + 1e-12)) n -= 1;
  return n;
}

/** Nearest-rank percentile (p in [0, 100]) of the values, sorted or not; the input is not modified. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) throw new RangeError('percentile: no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in [0, 100], got ${p}`);
  const sorted = isSorted(values) ? values : Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function isSorted(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i += 1) if ((values[i] as number) < (values[i - 1] as number)) return false;
  return true;
}
