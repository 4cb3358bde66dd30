import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import { EnvironmentError, loadEnvironments } from './environments/load';
import { BrowserNotFoundError, resolveChromium } from './helpers/browser-path';
import { isListOnly } from './helpers/reporting/run-outputs';

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
const environments = orExit(loadEnvironments, EnvironmentError);

const browserUse = {
  launchOptions: { executablePath: orExit(resolveChromium, BrowserNotFoundError), args: ['--disable-gpu'] },
};

/**
 * Two workers: each env worker has its own twin and browser, so the black hole's budget and the
 * browser tests overlap (~2.5 s off a repro here). The self-tests pass SUITE_WORKERS=1 to the
 * suites they run, two at a time, so nested runs never oversubscribe the two cores.
 */
const WORKERS = Number(process.env.SUITE_WORKERS ?? 2);

const envProjects: Project[] = environments.map((env) => ({
  name: env.name,
  testDir: './e2e',
  fullyParallel: true,
  metadata: { environment: env.name },
  use: { ...browserUse },
}));

export default defineConfig({
  workers: WORKERS,
  outputDir: path.join(REPORTS_DIR, '..', 'test-results'),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
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
    // One worker: its tests run whole suites, two at a time, and share runs within the worker.
    { name: 'selftest', testDir: './tests/selftest', workers: 1 },
  ],
});
