import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import { EnvironmentError, loadEnvironments, type LoadedEnvironment } from './environments/load';
import { resolveChromium } from './helpers/browser-path';

const REPORTS_DIR = path.resolve(process.env.REPORTS_DIR ?? 'reports');
/** Every env file is validated before any test; a bad one stops the run with its listed problems. */
function environmentsOrExit(): LoadedEnvironment[] {
  try {
    return loadEnvironments();
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
const environments = environmentsOrExit();

const browserUse = {
  launchOptions: { executablePath: resolveChromium(), args: ['--disable-gpu'] },
};

const envProjects: Project[] = environments.map((env) => ({
  name: env.name,
  testDir: './e2e',
  metadata: { environment: env.name },
  use: { ...browserUse },
}));

export default defineConfig({
  outputDir: path.join(REPORTS_DIR, '..', 'test-results'),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    ['html', { outputFolder: path.join(REPORTS_DIR, 'html'), open: 'never' }],
    // allure-playwright 3 throws in `merge-reports` (sharded runs): it reads the first project's
    // outputDir before a merge knows its projects. This subclass configures it from the merged
    // suite instead, so a merge writes allure-results for every shard's tests like a normal run.
    ['./helpers/reporting/allure-merge-safe-reporter.ts', { resultsDir: path.join(REPORTS_DIR, 'allure-results') }],
    // Last, so its closing `tests: N passed, N failed, N skipped` line ends the output.
    ['./helpers/reporting/summary-reporter.ts', { reportsDir: REPORTS_DIR }],
  ],
  projects: [
    ...envProjects,
    { name: 'unit', testDir: './tests', testIgnore: ['selftest/**'], use: { ...browserUse } },
    { name: 'selftest', testDir: './tests/selftest' },
  ],
});
