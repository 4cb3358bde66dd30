// The suite against the healthy twin and each of its faults, run as an operator runs it
// (`npm run repro`), judged by what it wrote: exit code, every test's outcome and verdict in
// results.json, against the one table in fault-expectations.ts.
import { test, expect } from '@playwright/test';
import { TWIN_FAULTS } from '../../environments/schema';
import type { ResultsFile } from '../../helpers/reporting/results-file';
import { FAULT_NAMES, type FaultName } from '../../twin/faults';
import { FLAVOUR_NAMES } from '../../twin/flavours';
import { listedTests } from '../support/listed-tests';
import { compareRun, EXPECTATIONS, T, type TestKey, testKey } from './fault-expectations';
import { ALONE, NODE_GROUPS } from './support/matrix-plan';
import type { SuiteRun } from './support/run-suite';
import { exitCodeOfPart, FULL_RUN_TIMEOUT_MS, fullRun, groupRun, NESTED_RUNS_AT_ONCE, resultsOf, MATRIX_RUNS, shardedBlobs } from './support/shared-runs';

const RUNS = ['healthy', ...FAULT_NAMES] as const;

interface MatrixRow {
  fault: 'healthy' | FaultName;
  flavour: string;
  /**
   * How the row runs: `alone` (the whole suite, its own `npm run repro`), `suites` (the whole
   * suite, one environment of a group run), `headline` (only the #631 test, in its flavour's group run).
   */
  run: 'alone' | 'suites' | 'headline';
}

/**
 * Every fault under the node flavour, the whole suite; under every other flavour, the healthy
 * twin with the whole suite and every fault whose evidence a flavour changes (all that end in an
 * answer from the target) with the #631 test: one expectation row per fault for all flavours.
 */
const OTHER_FLAVOURS: readonly string[] = FLAVOUR_NAMES.filter((f) => f !== 'node');
/** The faults whose #631 test runs under every other flavour (all that end in an answer from the target). */
const HEADLINE_FAULTS = FAULT_NAMES.filter((fault) => !EXPECTATIONS[fault].nodeOnly);

const MATRIX: MatrixRow[] = [
  ...NODE_GROUPS.flat().map((fault) => ({ fault, flavour: 'node', run: 'suites' as const })),
  ...ALONE.map((fault) => ({ fault, flavour: 'node', run: 'alone' as const })),
  ...OTHER_FLAVOURS.flatMap((flavour) => [
    { fault: 'healthy' as const, flavour, run: 'alone' as const },
    ...HEADLINE_FAULTS.map((fault) => ({ fault, flavour, run: 'headline' as const })),
  ]),
];

/**
 * The exit code of one run over several faults' environments: scripts/exit-codes.ts's precedence
 * (a test that could not set up, then a failing test, then refusals under load only, then green).
 */
function groupExitCode(faults: readonly FaultName[]): number {
  const codes = faults.map((fault) => EXPECTATIONS[fault].exitCode);
  return ([2, 1, 3] as const).find((code) => codes.includes(code)) ?? 0;
}

/** A flavour whose backend has no dependency status endpoint skips that check (404) instead of failing it. */
const SKIPPABLE: readonly TestKey[] = [T.authListed];

const rowName = (r: MatrixRow) => `${r.fault} @${r.flavour}${r.run === 'headline' ? ' (#631 test)' : ''}`;

test('the table has a row for the healthy twin and for every fault in twin/faults.ts, and nothing else', () => {
  expect(Object.keys(EXPECTATIONS).sort()).toEqual([...RUNS].sort());
});

test('the node rows run every fault once: alone or in exactly one group', () => {
  expect([...ALONE, ...NODE_GROUPS.flat()].sort()).toEqual([...RUNS].sort());
});

test("an env file's TWIN_FAULT accepts exactly the twin's faults and none", () => {
  expect([...TWIN_FAULTS].sort()).toEqual(['none', ...FAULT_NAMES].sort());
});

test('the table names exactly the tests the local environment has: a renamed title fails here, in seconds', async () => {
  const listed = await listedTests('local', test.info().outputPath('reports'));
  expect([...new Set(listed.map(testKey))].sort()).toEqual([...Object.values(T)].sort());
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

test('every fault of the twin, under every flavour, leads the suite to the expected outcomes and verdicts', MATRIX_RUNS, async () => {
  const testInfo = test.info();
  // Every run is queued at once and starts in the order asked, NESTED_RUNS_AT_ONCE at a time: the
  // longest first (the node groups, then each flavour's one run of all its #631 rows).
  const runCount = NODE_GROUPS.length + OTHER_FLAVOURS.length + MATRIX.filter((r) => r.run === 'alone').length;
  const longest = Math.max(...NODE_GROUPS.map((g) => g.length));
  test.setTimeout((Math.ceil(runCount / NESTED_RUNS_AT_ONCE) + longest) * FULL_RUN_TIMEOUT_MS);
  const suites = NODE_GROUPS.map((faults) => [faults, groupRun(testInfo, 'node', faults)] as const);
  const headlines = new Map(OTHER_FLAVOURS.map((flavour) => [flavour, groupRun(testInfo, flavour, HEADLINE_FAULTS, { headlineOnly: true })] as const));
  const alone = new Map(MATRIX.filter((r) => r.run === 'alone').map((row) => [rowName(row), fullRun(testInfo, row.fault, { flavour: row.flavour })] as const));
  // The shortest last: sharding.spec.ts's shards, queued now so they fill slots as the matrix's
  // runs end instead of starting after this test (that test awaits and judges them).
  void shardedBlobs(testInfo).catch(() => undefined);
  const runOf = (row: MatrixRow): Promise<SuiteRun> => {
    if (row.run === 'headline') return headlines.get(row.flavour) as Promise<SuiteRun>;
    if (row.run === 'alone') return alone.get(rowName(row)) as Promise<SuiteRun>;
    return suites.find(([faults]) => faults.includes(row.fault as FaultName))?.[1] as Promise<SuiteRun>;
  };

  const table: Record<string, unknown> = {};
  for (const row of MATRIX) {
    const name = rowName(row);
    await test.step(name, async () => {
      const run = await runOf(row);
      const results = row.run === 'alone' ? run.results : resultsOf(run.results, row.fault);
      // A group run has one exit code (judged below); a whole suite's own is what repro's policy gives its part.
      const code = row.run === 'suites' && results ? exitCodeOfPart(results) : run.code;
      table[name] = {
        exitCode: row.run === 'alone' ? run.code : row.run === 'suites' ? `${code} (its part of a group run, which exited ${run.code})` : `${run.code} (the flavour's run of all its #631 rows)`,
        tests: Object.fromEntries((results?.tests ?? []).map((t) => [testKey(t), `${t.outcome} [${t.verdict?.cause ?? '-'}] ${Math.round(t.durationMs)} ms`])),
        durationMs: results?.tests.reduce((sum, t) => sum + t.durationMs, 0) ?? null,
      };
      const lines = compareRun(EXPECTATIONS[row.fault], code, results, { headlineOnly: row.run === 'headline', skippable: SKIPPABLE, exitCodeOfAGroup: row.run === 'headline' }).map((line) => `${name}: ${line}`);
      expect.soft(lines, `${name}: the run must match fault-expectations.ts (reports in ${run.reportsDir})`).toEqual([]);
    });
  }
  const groups = [
    ...suites.map(([faults, run]) => [`the whole suites of ${faults.join(', ')} @node`, faults, run] as const),
    ...[...headlines].map(([flavour, run]) => [`the #631 rows @${flavour}`, HEADLINE_FAULTS, run] as const),
  ];
  for (const [title, faults, group] of groups) {
    await test.step(`${title}: one run, exit code ${groupExitCode(faults)}`, async () => {
      const run = await group;
      expect.soft(run.code, `${title}: exit code of the run over ${faults.length} faults (reports in ${run.reportsDir})`).toBe(groupExitCode(faults));
      expect.soft(run.results?.environments.slice().sort(), `${title}: one environment per fault`).toEqual([...faults].sort());
    });
  }
  await testInfo.attach('matrix', { body: JSON.stringify(table, null, 2), contentType: 'application/json' });
});
