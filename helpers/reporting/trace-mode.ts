// Playwright's `trace` option, applied to the suite's own browser contexts. The evidence fixture
// records traces itself (it must scrub the token out of each one before anything copies it), so
// it switches Playwright's recorder off and asks here, from the option as configured or given on
// the command line (`--trace on`), whether to record a context and whether to keep its trace.
import type { TestInfo } from '@playwright/test';

export type TraceMode = 'off' | 'on' | 'retain-on-failure' | 'on-first-retry' | 'on-all-retries' | 'retain-on-first-failure' | 'retain-on-failure-and-retries';

const MODES: readonly TraceMode[] = ['off', 'on', 'retain-on-failure', 'on-first-retry', 'on-all-retries', 'retain-on-first-failure', 'retain-on-failure-and-retries'];

/** The configured mode (a string or `{ mode }`); unset means the suite's default, retain-on-failure. */
export function traceMode(option: unknown): TraceMode {
  const mode = typeof option === 'object' && option !== null && 'mode' in option ? (option as { mode: unknown }).mode : option;
  return MODES.find((m) => m === mode) ?? 'retain-on-failure';
}

/** Whether this attempt (retry 0 is the first run) records traces at all. */
export function recordsTrace(mode: TraceMode, retry: number): boolean {
  switch (mode) {
    case 'off':
      return false;
    case 'on-first-retry':
      return retry === 1;
    case 'on-all-retries':
      return retry > 0;
    case 'retain-on-first-failure':
      return retry === 0;
    default:
      return true;
  }
}

/** Whether a recorded trace is attached once the test ended (`failed`: it did not end as expected). */
export function keepsTrace(mode: TraceMode, failed: boolean): boolean {
  return mode === 'on' || mode === 'on-first-retry' || mode === 'on-all-retries' || failed;
}

/** The mode of the running test, as its project (with command-line overrides) says. */
export function traceModeOf(testInfo: Pick<TestInfo, 'project'>): TraceMode {
  return traceMode(testInfo.project.use.trace);
}
