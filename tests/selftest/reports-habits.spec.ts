// What a Playwright user expects of the reports: `--list` changes nothing in reports/, and the
// README's sharded flow (a blob-only shard, then the merge) exits 0, keeps the previous reports
// until the merge has begun, and merges into the usual reports.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cleanEnv, runScript } from '../support/run-script';
import { LAUNCH, runRepro } from './support/run-suite';

/** Every file under dir with the sha256 of its bytes: equal values mean byte-identical trees. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).sort()) {
    const file = path.join(dir, rel);
    out[rel] = fs.statSync(file).isDirectory() ? 'dir' : createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/** A previous run's reports, as files with known bytes. */
function previousRun(reportsDir: string): void {
  for (const [rel, body] of Object.entries({
    'html/index.html': '<html>previous run</html>',
    'allure-results/previous-result.json': '{"status":"passed"}',
    'results.json': '{"previous":true}',
    'summary.md': '# previous run\n',
    'history/allure-history.jsonl': '{"run":1}\n',
  })) {
    fs.mkdirSync(path.dirname(path.join(reportsDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(reportsDir, rel), body);
  }
}

test('`playwright test --list` leaves reports/ byte-identical', async () => {
  const reportsDir = test.info().outputPath('reports');
  previousRun(reportsDir);
  const before = hashTree(reportsDir);
  const run = await runScript(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '--list', '--project=local'], cleanEnv({ REPORTS_DIR: reportsDir }), 60_000);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/Total: \d+ tests? in \d+ files?/);
  expect(hashTree(reportsDir)).toEqual(before);
});

test("the README's sharded flow: the shard exits 0 and leaves the reports alone, the merge exits 0 and replaces them", async () => {
  test.setTimeout(240_000);
  const testInfo = test.info();
  // The shard: exactly the README's command (one shard of one, a few tests to stay quick).
  const shard = await runRepro(testInfo, 'shard', { args: ['--project=local', '--shard=1/1', '--reporter=blob', '--grep', 'health endpoint'], timeoutMs: 120_000 });
  expect(shard.code, shard.stdout + shard.stderr).toBe(0);
  expect(shard.stdout).toContain('repro: shard blob written to');
  const blobs = path.join(shard.reportsDir, 'blob-report');
  expect(fs.readdirSync(blobs).filter((f) => f.endsWith('.zip'))).toHaveLength(1);
  // Nothing but the blob: the shard wrote no reports of its own.
  expect(fs.readdirSync(shard.reportsDir)).toEqual(['blob-report']);

  // The merge, over a previous run's reports: they go only once the merge has begun.
  const mergeDir = testInfo.outputPath('all-blob-reports');
  fs.cpSync(blobs, mergeDir, { recursive: true });
  previousRun(testInfo.outputPath('merged', 'reports'));
  const merged = await runRepro(testInfo, 'merged', { args: [`--merge-reports=${mergeDir}`], timeoutMs: 120_000 });
  expect(merged.code, merged.stdout + merged.stderr).toBe(0);
  expect(merged.results?.tests.map((t) => t.outcome)).toEqual(['passed', 'passed', 'passed']);
  expect(fs.existsSync(path.join(merged.reportsDir, 'allure-results', 'previous-result.json'))).toBe(false);
  expect(fs.readFileSync(path.join(merged.reportsDir, 'history', 'allure-history.jsonl'), 'utf8')).toContain('{"run":1}');
  expect(fs.readFileSync(path.join(merged.reportsDir, 'html', 'index.html'), 'utf8')).not.toContain('previous run');
});

test('a run that cannot start (a merge of an empty folder) keeps the previous reports and exits 2', async () => {
  const testInfo = test.info();
  const empty = testInfo.outputPath('no-blobs');
  fs.mkdirSync(empty, { recursive: true });
  const reportsDir = testInfo.outputPath('reports');
  previousRun(reportsDir);
  const before = hashTree(reportsDir);
  const run = await runScript(process.execPath, [LAUNCH, 'repro', `--merge-reports=${empty}`], cleanEnv({ REPORTS_DIR: reportsDir }), 60_000);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('the previous reports were left as they were');
  expect(hashTree(reportsDir)).toEqual(before);
});
