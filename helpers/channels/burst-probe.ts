// Many valid handshakes in a row, a few at a time: the evidence for intermittent refusals
// (one broken instance behind a balancer). Only counters, one number per attempt and the first
// refused/opened records are kept, never the N records themselves.
import type { BurstResult, RawRecord } from '../records/handshake-record';
import { attemptsToDetect, percentile, wilsonInterval } from './burst-stats';

export type { BurstResult } from '../records/handshake-record';

interface BurstCommon {
  /** Handshakes in flight at once (a worker pool of this size). */
  concurrency: number;
  /** One full handshake; must resolve (probeHandshake never rejects). */
  probe: () => Promise<RawRecord>;
  /** Confidence of the refusal-rate interval (and of `detectRate`); default 0.95. */
  confidence?: number;
}

export type BurstOptions =
  | (BurstCommon & { attempts: number })
  /** As many attempts as it takes to see at least one refusal at this rate, at `confidence`. */
  | (BurstCommon & { detectRate: number });

const DEFAULT_CONFIDENCE = 0.95;

/** The statusCounts key of an attempt: "101", "403", "closed:1008", "error:reset", "timeout". */
export function statusKey(record: RawRecord): string {
  switch (record.outcome) {
    case 'open':
    case 'refused':
      return String(record.status);
    case 'closed-after-accept':
      return `closed:${record.close?.code ?? 'none'}`;
    case 'timeout':
      return 'timeout';
    default:
      return `error:${record.error?.class ?? 'unknown'}`;
  }
}

/** How long an attempt took to be decided: the HTTP answer when there was one, else its end. */
function attemptMs(record: RawRecord): number {
  return record.marks.response ?? record.marks.closed ?? record.timing.totalMs;
}

export async function burst(opts: BurstOptions): Promise<BurstResult> {
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  const attempts = 'attempts' in opts ? opts.attempts : attemptsToDetect(opts.detectRate, confidence);
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`burst: attempts must be a positive integer, got ${attempts}`);
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
    throw new RangeError(`burst: concurrency must be a positive integer, got ${opts.concurrency}`);
  }

  const durations = new Float64Array(attempts);
  const statusCounts: Record<string, number> = {};
  let opened = 0;
  let refused = 0;
  let errors = 0;
  let timeouts = 0;
  let firstRefusal: RawRecord | null = null;
  let firstOpen: RawRecord | null = null;
  let next = 0;
  let done = 0;

  const worker = async (): Promise<void> => {
    while (next < attempts) {
      next += 1;
      const record = await opts.probe();
      durations[done] = attemptMs(record);
      done += 1;
      const key = statusKey(record);
      statusCounts[key] = (statusCounts[key] ?? 0) + 1;
      switch (record.outcome) {
        case 'open':
          opened += 1;
          firstOpen ??= record;
          break;
        // A 101 followed by an auth close is a refusal too, only a later one.
        case 'refused':
        case 'closed-after-accept':
          refused += 1;
          firstRefusal ??= record;
          break;
        case 'timeout':
          timeouts += 1;
          break;
        default:
          errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, attempts) }, worker));

  durations.sort();
  return {
    attempts,
    opened,
    refused,
    errors,
    timeouts,
    refusalRate: (attempts - opened) / attempts,
    interval: wilsonInterval(attempts - opened, attempts, confidence),
    statusCounts,
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    firstRefusal,
    firstOpen,
  };
}
