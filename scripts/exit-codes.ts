// The exit-code policy of `npm run repro`, in one place (the README's table is copied from here).
// A scheduler pages on 1 and alerts the suite's owners on 2, so the split must be exact:
//   0  all green: every test passed (skips allowed).
//   1  target failing: a scenario reproduced a failure against the target.
//   2  suite or configuration error: bad env file, no browser, no token, the runner crashed,
//      no results written, or the run was interrupted.
//   3  refusals under load: every test passed one handshake at a time, but the ramp saw valid
//      tokens refused from k handshakes in flight. Not a page by default (the suite's own gentle
//      load found a capacity limit, not a broken configuration); a scheduler may alert on it.
import { CAUSES } from '../helpers/diagnosis/causes';
import type { ResultsFile } from '../helpers/reporting/results-file';

export const EXIT = { green: 0, targetFailing: 1, suiteError: 2, refusalsUnderLoad: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ExitDecision {
  code: ExitCode;
  /** One line for the operator: why this code. */
  reason: string;
}

/** Exit statuses a runner gets when a signal ended it (128 + SIGINT / SIGTERM). */
const SIGNAL_EXITS = new Set([130, 143]);

const FAILED_OUTCOMES = new Set(['failed', 'timedOut']);

/** Decides the exit code from the run's results.json (null when missing or unreadable) and the runner's exit status. */
export function exitDecision(results: ResultsFile | null, runnerExit: number): ExitDecision {
  if (SIGNAL_EXITS.has(runnerExit) || results?.status === 'interrupted' || results?.tests.some((t) => t.outcome === 'interrupted')) {
    return { code: EXIT.suiteError, reason: 'the run was interrupted' };
  }
  if (!results) return { code: EXIT.suiteError, reason: `no results were written (runner exit ${runnerExit})` };

  const failing = results.tests.filter((t) => FAILED_OUTCOMES.has(t.outcome));
  // A config-layer verdict (e.g. token-source-failed) means the suite could not set itself up:
  // the target was never really tried, so it must not page as "target failing".
  const configFailures = failing.filter((t) => t.verdict && (t.verdict.layer === 'config' || CAUSES[t.verdict.cause].layer === 'config'));
  if (configFailures.length > 0) {
    const causes = [...new Set(configFailures.map((t) => t.verdict?.cause))].join(', ');
    return { code: EXIT.suiteError, reason: `${configFailures.length} test(s) could not set up (${causes})` };
  }
  if (failing.length > 0) {
    const top = results.causes[0];
    const headline = top ? `; most frequent cause: ${top.cause} (${top.tests})` : '';
    return { code: EXIT.targetFailing, reason: `${failing.length} test(s) failed${headline}` };
  }
  // No failing test, yet the runner or the run says otherwise: an error outside any test
  // (config load, global setup, worker crash, global timeout, no tests found).
  if (runnerExit !== 0 || results.status !== 'passed') {
    return { code: EXIT.suiteError, reason: `the runner failed outside any test (exit ${runnerExit}, status ${results.status})` };
  }
  const underLoad = results.tests.filter((t) => t.verdict?.cause === 'refusals-under-load');
  if (underLoad.length > 0) {
    return { code: EXIT.refusalsUnderLoad, reason: `all tests passed, but valid tokens are refused under load: ${underLoad[0]?.verdict?.summary ?? ''}` };
  }
  return { code: EXIT.green, reason: `all green: ${results.counts.passed} passed, ${results.counts.skipped} skipped` };
}
