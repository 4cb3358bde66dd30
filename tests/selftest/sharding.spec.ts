// A sharded run merged (`npm run repro -- --merge-reports=DIR`, as the scheduled workflow does)
// must say what one unsplit run says: the same tests, outcomes and verdicts, exit 0 when green,
// and Allure results for every test (allure-playwright used to throw inside merge-reports).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { ResultsFile } from '../../helpers/reporting/results-file';
import { runRepro } from './support/run-suite';
import { FULL_RUN_TIMEOUT_MS, fullRun, MATRIX_RUNS, SHARDS, shardedBlobs } from './support/shared-runs';

/** What must survive sharding: each test by id and title, with its outcome and verdict cause. */
function outcomes(results: ResultsFile | null): string[] {
  return (results?.tests ?? []).map((t) => `${t.id} ${t.project} › ${t.title}: ${t.outcome} [${t.verdict?.cause ?? '-'}]`).sort();
}

test('two shards merged report the same tests, outcomes and verdicts as one unsplit run, and exit 0', MATRIX_RUNS, async () => {
  const testInfo = test.info();
  test.setTimeout(3 * FULL_RUN_TIMEOUT_MS);
  const whole = fullRun(testInfo, 'healthy');
  const mergeDir = await shardedBlobs(testInfo);
  expect(fs.readdirSync(mergeDir).filter((f) => f.endsWith('.zip'))).toHaveLength(SHARDS);

  const merged = await runRepro(testInfo, 'merged', { args: [`--merge-reports=${mergeDir}`], timeoutMs: 120_000 });
  expect(merged.stderr).not.toContain("reading 'outputDir'");
  expect(merged.code, merged.stderr).toBe(0);
  const unsplit = await whole;
  expect(unsplit.code).toBe(0);
  expect(outcomes(merged.results)).toEqual(outcomes(unsplit.results));
  expect(outcomes(merged.results)).toHaveLength(unsplit.results?.tests.length ?? -1);
  const allureResults = fs.readdirSync(path.join(merged.reportsDir, 'allure-results')).filter((f) => f.endsWith('-result.json'));
  expect(allureResults).toHaveLength(merged.results?.tests.length ?? -1);
});
