// A sharded run merged (`npm run repro -- --merge-reports=DIR`, as the scheduled workflow does)
// must say what one unsplit run says: the same tests, outcomes and verdicts, exit 0 when green,
// and Allure results for every test (allure-playwright used to throw inside merge-reports).
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { ResultsFile } from '../../helpers/reporting/results-file';
import { cleanEnv, runScript } from '../support/run-script';
import { runRepro } from './support/run-suite';
import { FULL_RUN_TIMEOUT_MS, fullRun, inSlot, MATRIX_RUNS } from './support/shared-runs';

const SHARDS = 2;

/** What must survive sharding: each test by id and title, with its outcome and verdict cause. */
function outcomes(results: ResultsFile | null): string[] {
  return (results?.tests ?? []).map((t) => `${t.id} ${t.project} › ${t.title}: ${t.outcome} [${t.verdict?.cause ?? '-'}]`).sort();
}

test('two shards merged report the same tests, outcomes and verdicts as one unsplit run, and exit 0', MATRIX_RUNS, async () => {
  const testInfo = test.info();
  test.setTimeout(3 * FULL_RUN_TIMEOUT_MS);
  const whole = fullRun(testInfo, 'healthy');
  const mergeDir = testInfo.outputPath('all-blob-reports');
  fs.mkdirSync(mergeDir, { recursive: true });
  const shards = Array.from({ length: SHARDS }, (_, i) => i + 1).map((shard) =>
    inSlot(async () => {
      // Each shard its own blob dir, as on separate machines; the workflow's own command line.
      const dir = testInfo.outputPath(`shard-${shard}`);
      const args = [require.resolve('@playwright/test/cli'), 'test', '--project=local', '--fully-parallel', `--shard=${shard}/${SHARDS}`, '--reporter=blob'];
      const env = cleanEnv({ REPORTS_DIR: path.join(dir, 'reports'), PLAYWRIGHT_BLOB_OUTPUT_DIR: path.join(dir, 'blob-report') });
      const run = await runScript(process.execPath, args, env, FULL_RUN_TIMEOUT_MS);
      expect(run.code, `shard ${shard}: ${run.stderr}`).toBe(0);
      const blobs = fs.readdirSync(path.join(dir, 'blob-report')).filter((f) => f.endsWith('.zip'));
      expect(blobs, `shard ${shard} wrote one blob`).toHaveLength(1);
      for (const blob of blobs) fs.copyFileSync(path.join(dir, 'blob-report', blob), path.join(mergeDir, blob));
    }),
  );
  await Promise.all(shards);

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
