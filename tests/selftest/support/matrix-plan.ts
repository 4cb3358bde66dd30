// Which nested run carries each node fault's whole suite: alone (its own `npm run repro`) or one
// environment of a group run. The fault matrix judges every row from these runs; other self-tests
// that need a fault's whole suite read its part here instead of running the suite again.
import type { TestInfo } from '@playwright/test';
import type { ResultsFile } from '../../../helpers/reporting/results-file';
import type { FaultName } from '../../../twin/faults';
import type { SuiteRun } from './run-suite';
import { exitCodeOfPart, fullRun, groupRun, resultsOf } from './shared-runs';

/** Whole suites that run alone: their exit codes (0, 1 and 3) are checked end to end, and other files share these runs. */
export const ALONE: ReadonlyArray<'healthy' | FaultName> = ['healthy', 'missing-auth-url', 'overloaded'];

/**
 * Every other node fault runs its whole suite in a group run, an env file per fault (see
 * shared-runs.ts's groupRun). Three groups, balanced by the rows' last measured times alone (the
 * slow ones, where every test fails and restarts its worker or waits a budget, one per group):
 * hang 94 s, tls-untrusted 64, auth-slow 49, accept-then-close 45, the others 16–29.
 */
export const NODE_GROUPS: ReadonlyArray<readonly FaultName[]> = [
  ['hang', 'origin-rejected', 'subprotocol-mismatch', 'intermittent'],
  ['tls-untrusted', 'header-stripped', 'not-ready', 'service-secret-mismatch', 'edge-403'],
  ['auth-slow', 'accept-then-close', 'auth-down', 'jwt-secret-mismatch'],
];

/** One node fault's whole suite as the matrix runs it: the run, the fault's own results, and what `npm run repro` against it alone exits with. */
export interface NodeSuite {
  run: SuiteRun;
  results: ResultsFile | null;
  code: number | null;
}

/** The node flavour's whole suite against `fault`, from the run the matrix shares (call from a MATRIX_RUNS test). */
export async function nodeSuite(testInfo: TestInfo, fault: FaultName | 'healthy'): Promise<NodeSuite> {
  if (ALONE.includes(fault)) {
    const run = await fullRun(testInfo, fault);
    return { run, results: run.results, code: run.code };
  }
  const group = NODE_GROUPS.find((faults) => faults.includes(fault as FaultName));
  if (!group) throw new Error(`fault "${fault}" is in no node group and does not run alone (matrix-plan.ts)`);
  const run = await groupRun(testInfo, 'node', group);
  const results = resultsOf(run.results, fault);
  return { run, results, code: results ? exitCodeOfPart(results) : run.code };
}
