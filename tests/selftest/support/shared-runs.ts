// Full local runs of the suite (`npm run repro`, healthy twin or one fault), each at most once per
// worker: the fault matrix and the exit-code tests need the same healthy and missing-auth-url runs,
// and a full run costs 20–60 s on a 2-core machine. Those files share the selftest-matrix project
// (one worker), so they share this cache. Within the worker, runs queue here in the order asked
// (the matrix asks slowest first); across workers, nested-slots.ts caps the runs at once.
import type { TestInfo } from '@playwright/test';
import { flavourEnvironmentsDir } from './flavour-env';
import { NESTED_SLOTS } from './nested-slots';
import { runRepro, type SuiteRun } from './run-suite';

/** Nested runs this worker starts at once (the cross-worker cap is nested-slots.ts's). */
export const NESTED_RUNS_AT_ONCE = NESTED_SLOTS;
/** A faulty run fails many tests, and Playwright restarts its worker (twin, browser) after each: `hang` takes ~4 min under load. */
export const FULL_RUN_TIMEOUT_MS = 420_000;

const runs = new Map<string, Promise<SuiteRun>>();
let active = 0;
const waiting: Array<() => void> = [];

/** Runs `work` (one nested run) once fewer than NESTED_RUNS_AT_ONCE are running. */
export async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  while (active >= NESTED_RUNS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await work();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

export interface MatrixRunOptions {
  /** TWIN_FLAVOUR; default node. */
  flavour?: string;
  /** Only the #631 test (its headline and ramp), not the whole suite. */
  headlineOnly?: boolean;
}

/** The run of the local project against the twin with `fault` ('healthy': none), shared within the worker. */
export function fullRun(testInfo: TestInfo, fault: string, opts: MatrixRunOptions = {}): Promise<SuiteRun> {
  const flavour = opts.flavour ?? 'node';
  const key = `${fault}@${flavour}${opts.headlineOnly ? '-headline' : ''}`;
  let run = runs.get(key);
  if (!run) {
    const envDir = flavourEnvironmentsDir(flavour, testInfo.outputPath(`env-${flavour}`));
    run = inSlot(() =>
      runRepro(testInfo, `full-${key}`, {
        ...(fault === 'healthy' ? {} : { fault }),
        env: { ...(flavour === 'node' ? {} : { TWIN_FLAVOUR: flavour }), ...(envDir ? { ENVIRONMENTS_DIR: envDir } : {}) },
        args: opts.headlineOnly ? ['--grep', 'reproduce issue #631'] : [],
        timeoutMs: FULL_RUN_TIMEOUT_MS,
      }),
    );
    runs.set(key, run);
  }
  return run;
}
