// The exit-code triad of `npm run repro`, as a scheduler sees it: 0 when the target is healthy,
// 1 when a scenario reproduces a failure (#631 here), 2 when the suite could not set itself up.
// The healthy and missing-auth-url runs are full runs shared with the fault matrix. Exit 2 for a
// token that cannot be obtained (token-source-failed) is token-source-runs.spec.ts's; exit 3
// (refusals under load only) is load-isolation.spec.ts's.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ROOT } from '../support/run-script';
import { runRepro } from './support/run-suite';
import { FULL_RUN_TIMEOUT_MS, fullRun, MATRIX_RUNS } from './support/shared-runs';

test.describe.configure({ mode: 'parallel' });

test('the healthy twin exits 0, all green', MATRIX_RUNS, async () => {
  const testInfo = test.info();
  test.setTimeout(FULL_RUN_TIMEOUT_MS);
  const run = await fullRun(testInfo, 'healthy');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^repro: exit 0 \(all green\): all green: \d+ passed, \d+ skipped$/m);
  expect(run.results?.counts.failed).toBe(0);
});

test('the #631 twin (missing-auth-url) exits 1 and prints the verdict', MATRIX_RUNS, async () => {
  const testInfo = test.info();
  test.setTimeout(FULL_RUN_TIMEOUT_MS);
  const run = await fullRun(testInfo, 'missing-auth-url');
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toContain(
    'Verdict [backend-cannot-use-auth-service] at app-handshake: The auth service accepts the token, yet the backend refuses it (HTTP 403) exactly as it refuses forged tokens',
  );
  expect(run.stdout).toMatch(/^repro: exit 1 \(target failing\): \d+ test\(s\) failed; most frequent cause: backend-cannot-use-auth-service \(\d+\)$/m);
});

test('a broken environment file exits 2 before any test, naming the file and the variable', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('environments');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'broken.env'), 'TWIN=embedded\nTOKEN_SOURCE=telepathy\n');
  const run = await runRepro(testInfo, 'broken-env', { env: { ENVIRONMENTS_DIR: dir }, timeoutMs: 60_000, stopsAtLoad: true });
  expect(run.code).toBe(2);
  // The loader names a file inside the working directory (repro runs at the repository root) by
  // its relative path, and any other by its absolute one; test output may sit in either place.
  const file = path.join(dir, 'broken.env');
  const shown = file.startsWith(ROOT + path.sep) ? path.relative(ROOT, file) : file;
  expect(run.stderr).toContain(`  - ${shown}: TOKEN_SOURCE — expected one of mint | e2e-endpoint | dev-login | static (got "telepathy")`);
  expect(run.results).toBeNull();
});

test('a broken staging.env (the README\'s step 1, secret not yet given) does not stop the twin run: a warning, exit 0', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('environments-with-staging');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'environments', 'local.env'), path.join(dir, 'local.env'));
  fs.copyFileSync(path.join(ROOT, 'environments', 'staging.env.example'), path.join(dir, 'staging.env'));
  const run = await runRepro(testInfo, 'broken-staging', { env: { ENVIRONMENTS_DIR: dir }, args: ['--grep', 'the target resolves'], timeoutMs: 60_000 });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain('Warning: environment "staging" is not selected');
  expect(run.results?.tests.map((t) => [t.project, t.outcome])).toEqual([['local', 'passed']]);
  // Selected, the same file stops the run before any test.
  const selected = await runRepro(testInfo, 'staging-selected', { env: { ENVIRONMENTS_DIR: dir }, args: ['--project=staging'], timeoutMs: 60_000, stopsAtLoad: true });
  expect(selected.code).toBe(2);
  expect(selected.results).toBeNull();
});
