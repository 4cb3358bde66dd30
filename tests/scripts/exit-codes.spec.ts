import { test, expect } from '@playwright/test';
import type { Cause } from '../../helpers/diagnosis/causes';
import { RESULTS_FILE_VERSION, resultsFileSchema, type ResultsFile, type TestResultEntry } from '../../helpers/reporting/results-file';
import { exitDecision } from '../../scripts/exit-codes';

type Outcome = TestResultEntry['outcome'];

function entry(outcome: Outcome, cause: Cause | null = null, layer?: string): TestResultEntry {
  return {
    id: `id-${outcome}-${cause ?? 'none'}`,
    project: 'local',
    file: 'e2e/valid-jwt.spec.ts',
    title: 'valid token connects',
    scenario: 'valid-jwt',
    channel: 'raw',
    transport: 'subprotocol',
    tokenVariant: 'valid',
    outcome,
    flaky: false,
    durationMs: 12,
    verdict: cause ? { layer: layer ?? 'app-handshake', cause, summary: 's', evidence: [], confidence: 'high' } : null,
    timings: {},
    error: outcome === 'passed' || outcome === 'skipped' ? null : 'Verdict [x] at y: z',
  };
}

function run(status: ResultsFile['status'], ...tests: TestResultEntry[]): ResultsFile {
  const count = (o: Outcome) => tests.filter((t) => t.outcome === o).length;
  const causes = tests.flatMap((t) => (t.verdict && t.outcome !== 'passed' ? [{ cause: t.verdict.cause, tests: 1 }] : []));
  // Parse so every fixture is a real, schema-valid results.json.
  return resultsFileSchema.parse({
    version: RESULTS_FILE_VERSION,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1000,
    status,
    environments: ['local'],
    counts: { passed: count('passed'), failed: count('failed') + count('timedOut'), skipped: count('skipped'), flaky: 0 },
    causes,
    tests,
  });
}

const rows: { name: string; results: ResultsFile | null; runnerExit: number; code: 0 | 1 | 2; reason: string }[] = [
  { name: 'no results, runner ok', results: null, runnerExit: 0, code: 2, reason: 'no results were written (runner exit 0)' },
  { name: 'no results, runner failed', results: null, runnerExit: 1, code: 2, reason: 'no results were written (runner exit 1)' },
  { name: 'all passed', results: run('passed', entry('passed'), entry('passed', 'healthy', 'none')), runnerExit: 0, code: 0, reason: 'all green: 2 passed, 0 skipped' },
  { name: 'passed with skips', results: run('passed', entry('passed'), entry('skipped')), runnerExit: 0, code: 0, reason: 'all green: 1 passed, 1 skipped' },
  {
    name: 'a scenario reproduced #631',
    results: run('failed', entry('passed'), entry('failed', 'backend-cannot-use-auth-service')),
    runnerExit: 1,
    code: 1,
    reason: '1 test(s) failed; most frequent cause: backend-cannot-use-auth-service (1)',
  },
  { name: 'a timed-out test is a target failure', results: run('failed', entry('timedOut', 'handshake-timeout', 'network')), runnerExit: 1, code: 1, reason: '1 test(s) failed; most frequent cause: handshake-timeout (1)' },
  { name: 'a failure without a verdict', results: run('failed', entry('failed')), runnerExit: 1, code: 1, reason: '1 test(s) failed' },
  {
    name: 'token source failed (config layer)',
    results: run('failed', entry('failed', 'token-source-failed', 'config')),
    runnerExit: 1,
    code: 2,
    reason: '1 test(s) could not set up (token-source-failed)',
  },
  {
    name: 'config failure wins over a target failure',
    results: run('failed', entry('failed', 'edge-proxy-refused', 'edge'), entry('failed', 'token-source-failed', 'config')),
    runnerExit: 1,
    code: 2,
    reason: '1 test(s) could not set up (token-source-failed)',
  },
  {
    name: 'config cause is config even if the layer field disagrees',
    results: run('failed', entry('failed', 'token-source-failed', 'app-handshake')),
    runnerExit: 1,
    code: 2,
    reason: '1 test(s) could not set up (token-source-failed)',
  },
  { name: 'interrupted run', results: run('interrupted', entry('passed')), runnerExit: 1, code: 2, reason: 'the run was interrupted' },
  { name: 'interrupted test', results: run('failed', entry('interrupted')), runnerExit: 1, code: 2, reason: 'the run was interrupted' },
  { name: 'runner killed by SIGINT', results: run('passed', entry('passed')), runnerExit: 130, code: 2, reason: 'the run was interrupted' },
  { name: 'runner killed by SIGTERM', results: null, runnerExit: 143, code: 2, reason: 'the run was interrupted' },
  {
    name: 'runner failed outside any test',
    results: run('failed', entry('passed')),
    runnerExit: 1,
    code: 2,
    reason: 'the runner failed outside any test (exit 1, status failed)',
  },
  { name: 'global timeout, no failing test', results: run('timedout', entry('passed')), runnerExit: 1, code: 2, reason: 'the runner failed outside any test (exit 1, status timedout)' },
  { name: 'results green but runner crashed', results: run('passed', entry('passed')), runnerExit: 3, code: 2, reason: 'the runner failed outside any test (exit 3, status passed)' },
];

test.describe('exit-code policy', () => {
  for (const row of rows) {
    test(`${row.name} → ${row.code}`, () => {
      expect(exitDecision(row.results, row.runnerExit)).toEqual({ code: row.code, reason: row.reason });
    });
  }
});
