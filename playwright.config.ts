import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import { EnvironmentError, loadEnvironmentSet } from './environments/load';
import { problemLine } from './environments/problems';
import { isLastShardOrUnsharded, isSelected, projectFilters, runsTests, selectsTest } from './environments/selection';
import { LOAD_TEST_TITLE } from './e2e/load-test-title';
import { BrowserNotFoundError, resolveChromium } from './helpers/target/browser-path';
import { isListOnly } from './helpers/reporting/run-outputs';
import { enableCompileCache } from './scripts/compile-cache.cjs';

// `npm test` and a bare `playwright test` start here: the workers (a fresh one after every failing
// test) and the runs they start inherit the compile cache (scripts/compile-cache.cjs says why).
enableCompileCache();

const REPORTS_DIR = path.resolve(process.env.REPORTS_DIR ?? 'reports');
/**
 * A bad env file or a missing browser stops the run before any test, with the error's own message
 * (it lists every problem, or says what to install) and exit 2 — not a stack trace.
 */
function orExit<T>(load: () => T, expected: new (...args: never[]) => Error): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof expected)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
/**
 * One broken NAME.env stops only the runs that would execute NAME (environments/selection.ts says
 * why the selection is read from process.argv): then exit 2 with its problems, as before. When it
 * is not selected (`--project=local`, `--project=unit`) it is left out of the projects and its
 * problems are printed as a warning. Problems of no environment (a bad file name) always stop.
 * Workers never stop here: they run only what the main process accepted.
 */
function usableEnvironments() {
  const set = loadEnvironmentSet();
  const filters = projectFilters(process.argv);
  const inWorker = process.env.TEST_WORKER_INDEX !== undefined;
  const fatal = inWorker || !runsTests(process.argv) ? [] : [...set.broken].filter(([name]) => isSelected(name, filters));
  if (set.general.length > 0 || fatal.length > 0) throw new EnvironmentError([...set.general, ...fatal.flatMap(([, problems]) => problems)]);
  if (!inWorker) {
    for (const [name, problems] of set.broken) {
      const lines = problems.map((p) => `  - ${problemLine(p)}`).join('\n');
      console.warn(`Warning: environment "${name}" is not selected and has ${problems.length} problem(s); its project is left out of this run:\n${lines}`);
    }
  }
  return set.loaded;
}
const environments = orExit(usableEnvironments, EnvironmentError);

const browserUse = {
  launchOptions: { executablePath: orExit(resolveChromium, BrowserNotFoundError), args: ['--disable-gpu'] },
};

/**
 * Two workers: each env worker has its own browser (the twin is the run's), so the black hole's
 * budget and the browser tests overlap (~2.5 s off a repro here). The self-tests pass SUITE_WORKERS=1 to the
 * suites they run, three at a time (tests/selftest/support/nested-slots.ts says why three on two cores).
 */
const WORKERS = Number(process.env.SUITE_WORKERS ?? 2);

/**
 * The self-tests that read the fault matrix's nested runs (tests/selftest/support/shared-runs.ts,
 * a per-worker cache) carry this tag: they share one worker. Tagged tests, not files: a file's
 * tests with runs of their own go beside them, to the workers that have slots to spare.
 */
const MATRIX_RUNS = /@matrix-runs/;

/** The #631 test ramps load on the target: it runs alone, after every other test of its environment. */
const LOAD_SPEC = /reproduce-403\.spec\.ts$/;
// A teardown project runs even when --grep or file arguments select none of its tests, and in
// every shard. So the main process decides from its command line whether the load project exists
// at all (selected, and in the last shard or unsharded), and tells its workers through the
// environment they inherit: both then build the same list of projects.
if (process.env.TEST_WORKER_INDEX === undefined) {
  const selected = selectsTest(process.argv, 'e2e/reproduce-403.spec.ts', LOAD_TEST_TITLE) && isLastShardOrUnsharded(process.argv);
  process.env.WS_AUTH_REPRO_LOAD_SELECTED = selected ? '1' : '0';
}
const LOAD_SELECTED = process.env.WS_AUTH_REPRO_LOAD_SELECTED !== '0';

/**
 * Two projects per environment: NAME (every single-handshake test, in parallel) and NAME:load
 * (the #631 test with its ramp), declared as NAME's teardown. Playwright runs a teardown after
 * the project's tests however they ended, includes it with `--project=NAME`, and keeps that
 * order under --workers, --repeat-each and within each --shard, so the ramp never overlaps a
 * single-handshake test against the same target.
 */
const envProjects: Project[] = environments.flatMap((env) => [
  {
    name: env.name,
    testDir: './e2e',
    testIgnore: LOAD_SPEC,
    fullyParallel: true,
    ...(LOAD_SELECTED ? { teardown: `${env.name}:load` } : {}),
    metadata: { environment: env.name },
    use: { ...browserUse },
  },
  ...(LOAD_SELECTED ? [{ name: `${env.name}:load`, testDir: './e2e', testMatch: LOAD_SPEC, metadata: { environment: env.name }, use: { ...browserUse } }] : []),
]);

export default defineConfig({
  workers: WORKERS,
  outputDir: path.join(REPORTS_DIR, '..', 'test-results'),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  // One embedded twin per selected environment for the whole run, not one per worker (why: run-twins.ts).
  globalSetup: './helpers/fixtures/run-twins.ts',
  retries: 0,
  // `--list` runs nothing, so it writes no report (the last run's stay byte-identical).
  reporter: isListOnly() ? [['list']] : [
    // First: clears the last run's reports once this run has begun (not before: a run that
    // cannot start keeps them).
    ['./helpers/reporting/run-outputs-reporter.ts', { reportsDir: REPORTS_DIR }],
    ['list'],
    ...(process.env.GITHUB_ACTIONS ? [['github'] as const] : []),
    // allure-playwright 3 throws in `merge-reports` (sharded runs): it reads the first project's
    // outputDir before a merge knows its projects. This subclass configures it from the merged
    // suite instead, so a merge writes allure-results for every shard's tests like a normal run.
    ['./helpers/reporting/allure-merge-safe-reporter.ts', { resultsDir: path.join(REPORTS_DIR, 'allure-results') }],
    // After Allure (which reads them), before html: drops the "Allure Metadata" attachments.
    ['./helpers/reporting/hide-allure-messages-reporter.ts'],
    // `npx playwright show-report reports/html`; bare `show-report` finds it through the
    // committed `playwright-report` symlink (README, "Reading the reports").
    ['html', { outputFolder: path.join(REPORTS_DIR, 'html'), open: 'never' }],
    // Last, so its closing `tests: N passed, N failed, N skipped` line ends the output.
    ['./helpers/reporting/summary-reporter.ts', { reportsDir: REPORTS_DIR }],
  ],
  // The suite's browser contexts are its own (helpers/fixtures/evidence-fixtures.ts); it reads
  // this mode, so `--trace on|off|retain-on-failure|…` works. Kept only for failing tests by default.
  use: { trace: 'retain-on-failure' },
  projects: [
    ...envProjects,
    { name: 'unit', testDir: './tests', testIgnore: ['selftest/**'], fullyParallel: true, use: { ...browserUse } },
    // Self-tests run whole suites (`npm run repro`). The fault matrix and the tests that reuse its
    // runs share one worker; the rest run beside them in two more (`npm test` gives three workers
    // in all: these mostly wait on their nested runs). Nested runs at once are capped across all
    // of them (support/nested-slots.ts); the others' runs go first, so they never make a tail.
    { name: 'selftest-matrix', testDir: './tests/selftest', grep: MATRIX_RUNS, workers: 1 },
    { name: 'selftest', testDir: './tests/selftest', grepInvert: MATRIX_RUNS, workers: 2 },
  ],
});
