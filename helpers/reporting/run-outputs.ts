// What one run writes in REPORTS_DIR, and when it may replace the previous run's. Shared by the
// reporter that clears them (run-outputs-reporter.ts) and scripts/repro.ts, so the list of
// outputs and the rule "history/ survives" live in one place.
import fs from 'node:fs';
import path from 'node:path';

/** What a run writes in REPORTS_DIR; everything else there (history/ for Allure trends) survives. */
export const RUN_OUTPUTS = ['html', 'allure-results', 'allure-report', 'charts', 'results.json', 'summary.md'] as const;

/** Deletes the previous run's outputs, keeping the Allure history. */
export function cleanRunOutputs(reportsDir: string): void {
  for (const name of RUN_OUTPUTS) fs.rmSync(path.join(reportsDir, name), { recursive: true, force: true });
}

/**
 * `playwright test --list` (and `--list --reporter=…`) only prints the tests: no test runs, so no
 * report may change. The config reads this to keep only the list reporter.
 */
export function isListOnly(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--list');
}
