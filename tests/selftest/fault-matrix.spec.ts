// The suite against the healthy twin and each of its faults, run as an operator runs it
// (`npm run repro`), judged by what it wrote: exit code, every test's outcome and verdict in
// results.json, against the one table in fault-expectations.ts.
import { test, expect } from '@playwright/test';
import type { ResultsFile } from '../../helpers/reporting/results-file';
import { FAULT_NAMES, type FaultName } from '../../twin/faults';
import { FLAVOUR_NAMES } from '../../twin/flavours';
import { cleanEnv, runScript } from '../support/run-script';
import { compareRun, EXPECTATIONS, T, type TestKey, testKey } from './fault-expectations';
import { FULL_RUN_TIMEOUT_MS, fullRun, NESTED_RUNS_AT_ONCE } from './support/shared-runs';

const RUNS = ['healthy', ...FAULT_NAMES] as const;

interface MatrixRow {
  fault: 'healthy' | FaultName;
  flavour: string;
  /** The whole suite, or only the #631 test (its headline, exit code and ramp). */
  headlineOnly: boolean;
}

/**
 * Every fault under the node flavour, the whole suite; under every other flavour, the healthy
 * twin with the whole suite and every fault whose evidence a flavour changes (all that end in an
 * answer from the target) with the #631 test: one expectation row per fault for all flavours.
 */
/** The rows that take longest (every test fails and restarts its worker, or waits a budget), queued first. */
const SLOW_FIRST: ReadonlyArray<'healthy' | FaultName> = ['hang', 'accept-then-close', 'tls-untrusted', 'auth-slow', 'auth-down', 'overloaded'];
const bySlowness = (a: 'healthy' | FaultName, b: 'healthy' | FaultName) =>
  (SLOW_FIRST.includes(a) ? SLOW_FIRST.indexOf(a) : SLOW_FIRST.length) - (SLOW_FIRST.includes(b) ? SLOW_FIRST.indexOf(b) : SLOW_FIRST.length);

const MATRIX: MatrixRow[] = [
  ...[...RUNS].sort(bySlowness).map((fault) => ({ fault, flavour: 'node', headlineOnly: false })),
  ...FLAVOUR_NAMES.filter((f) => f !== 'node').flatMap((flavour) => [
    { fault: 'healthy' as const, flavour, headlineOnly: false },
    ...FAULT_NAMES.filter((fault) => !EXPECTATIONS[fault].nodeOnly).map((fault) => ({ fault, flavour, headlineOnly: true })),
  ]),
];

/** A flavour whose backend has no dependency status endpoint skips that check (404) instead of failing it. */
const SKIPPABLE: readonly TestKey[] = [T.authListed];

const rowName = (r: MatrixRow) => `${r.fault} @${r.flavour}${r.headlineOnly ? ' (#631 test)' : ''}`;

test('the table has a row for the healthy twin and for every fault in twin/faults.ts, and nothing else', () => {
  expect(Object.keys(EXPECTATIONS).sort()).toEqual([...RUNS].sort());
});

test('the table names exactly the tests the local environment has: a renamed title fails here, in seconds', async () => {
  // `--list` with the JSON reporter: Playwright's own view of the suite, without running it.
  const listing = await runScript(
    process.execPath,
    [require.resolve('@playwright/test/cli'), 'test', '--list', '--project=local', '--reporter=json'],
    cleanEnv({ REPORTS_DIR: test.info().outputPath('reports') }),
    60_000,
  );
  expect(listing.code, listing.stderr).toBe(0);
  interface Suite { file?: string; title: string; specs?: Array<{ title: string; file: string }>; suites?: Suite[] }
  const keys: string[] = [];
  const walk = (suite: Suite, titles: string[]) => {
    for (const spec of suite.specs ?? []) keys.push(testKey({ file: spec.file, title: [...titles, spec.title].join(' › ') }));
    for (const child of suite.suites ?? []) walk(child, child.file === child.title ? titles : [...titles, child.title]);
  };
  for (const suite of (JSON.parse(listing.stdout) as { suites: Suite[] }).suites) walk(suite, []);
  expect([...new Set(keys)].sort()).toEqual([...Object.values(T)].sort());
});

test('a mismatch names the test and both outcomes with their causes', () => {
  const entry = {
    id: 'x',
    project: 'local',
    file: 'e2e/reproduce-403.spec.ts',
    title: 'reproduce issue #631 › a token the auth service accepts opens the chat socket on every channel',
    scenario: 'reproduce-403',
    channel: 'raw+browser',
    transport: null,
    tokenVariant: 'valid',
    outcome: 'failed' as const,
    flaky: false,
    durationMs: 1,
    verdict: { layer: 'app-handshake', cause: 'unexplained' as const, summary: 's', evidence: [], confidence: 'low' as const },
    timings: {},
    error: null,
  };
  expect(testKey(entry)).toBe(T.reproduce);
  const results: ResultsFile = {
    version: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    status: 'failed',
    environments: ['local'],
    counts: { passed: 0, failed: 1, skipped: 0, flaky: 0 },
    causes: [{ cause: 'unexplained', tests: 1 }],
    tests: [entry],
  };
  const lines = compareRun(EXPECTATIONS['missing-auth-url'], 1, results);
  expect(lines).toContain(`"${T.reproduce}": failed [unexplained], expected failed [backend-cannot-use-auth-service]`);
  expect(lines).toContain('headline [unexplained], expected [backend-cannot-use-auth-service]');
  expect(lines).toContain(`"${T.authListed}": did not run`);
  expect(compareRun(EXPECTATIONS.intermittent, 1, results)).toContain(`"${T.reproduce}": no ramp step at 1 in flight in results.json, expected one whose interval contains 0.5`);
  // An undecided verdict that lists the expected cause among its candidates matches; one that does not, does not.
  const undecided = { ...entry, verdict: { ...entry.verdict, cause: 'backend-cannot-use-auth-service' as const, candidates: ['backend-cannot-use-auth-service' as const, 'service-credentials-rejected' as const] } };
  const withCandidates = compareRun(EXPECTATIONS['service-secret-mismatch'], 1, { ...results, tests: [undecided] }, { headlineOnly: true });
  expect(withCandidates).toEqual([]);
  const wrong = compareRun(EXPECTATIONS['edge-403'], 1, { ...results, tests: [undecided] }, { headlineOnly: true });
  expect(wrong).toContain('headline [backend-cannot-use-auth-service | candidates backend-cannot-use-auth-service, service-credentials-rejected], expected [edge-proxy-refused]');
});

test('every fault of the twin, under every flavour, leads the suite to the expected outcomes and verdicts', async () => {
  const testInfo = test.info();
  // All runs are queued at once; fullRun lets NESTED_RUNS_AT_ONCE proceed at a time, slowest first.
  test.setTimeout(Math.ceil(MATRIX.length / NESTED_RUNS_AT_ONCE) * FULL_RUN_TIMEOUT_MS);
  const runs = new Map(MATRIX.map((row) => [rowName(row), fullRun(testInfo, row.fault, { flavour: row.flavour, headlineOnly: row.headlineOnly })] as const));
  const table: Record<string, unknown> = {};
  for (const row of MATRIX) {
    const name = rowName(row);
    await test.step(name, async () => {
      const run = await (runs.get(name) as ReturnType<typeof fullRun>);
      table[name] = {
        exitCode: run.code,
        tests: Object.fromEntries((run.results?.tests ?? []).map((t) => [testKey(t), `${t.outcome} [${t.verdict?.cause ?? '-'}] ${Math.round(t.durationMs)} ms`])),
        durationMs: run.results?.durationMs ?? null,
      };
      const lines = compareRun(EXPECTATIONS[row.fault], run.code, run.results, { headlineOnly: row.headlineOnly, skippable: SKIPPABLE }).map((line) => `${name}: ${line}`);
      expect.soft(lines, `${name}: the run must match fault-expectations.ts (reports in ${run.reportsDir})`).toEqual([]);
    });
  }
  await testInfo.attach('matrix', { body: JSON.stringify(table, null, 2), contentType: 'application/json' });
});
