// Playwright's trace option works on the suite's own browser contexts, as a Playwright user
// expects: `--trace on` keeps one scrubbed trace per browser context of a passing test, and the
// default (retain-on-failure) keeps none for it, only for a failing one. Judged from the HTML
// report a real run wrote.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runRepro } from './support/run-suite';
import { scanTree } from './support/secret-scan';
import { FULL_RUN_TIMEOUT_MS, fullRun, MATRIX_RUNS } from './support/shared-runs';

const ONE_BROWSER_TEST = ['--grep', 'the chat page connects in Chromium'];

/** The trace zips the HTML report carries (attachments are copied into html/data/). */
function reportTraces(reportsDir: string): string[] {
  const data = path.join(reportsDir, 'html', 'data');
  return fs.existsSync(data) ? fs.readdirSync(data).filter((f) => f.endsWith('.zip')).map((f) => path.join(data, f)) : [];
}

test('--trace on: one trace for the one browser context, scrubbed of the token', async () => {
  const testInfo = test.info();
  test.setTimeout(180_000);
  const on = await runRepro(testInfo, 'trace-on', { args: [...ONE_BROWSER_TEST, '--trace', 'on', '--no-allure'], timeoutMs: 120_000 });
  expect(on.code, on.stdout.slice(-1500)).toBe(0);
  expect(on.results?.tests.map((t) => t.outcome)).toEqual(['passed']);
  const traces = reportTraces(on.reportsDir);
  expect(traces).toHaveLength(1);
  // Opened (zip entries, base64 inside them): the trace holds the handshake, and no JWT shape, nor
  // the `jwt.<base64url(JWT)>` subprotocol entry the upgrade carried, survived the scrub.
  const scan = await scanTree([path.join(on.reportsDir, 'html', 'data')], [
    { name: 'a JWT', value: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
    { name: 'a jwt. subprotocol entry', value: /jwt\.ZXlK/ },
  ]);
  expect(scan.containers.some((c) => c.kind === 'zip')).toBe(true);
  expect(scan.findings).toEqual([]);

});

// The scanned runs keep the default trace mode (shared-runs.ts): the healthy twin's whole suite
// passes, and the #631 twin's fails its browser tests.
test('by default (retain-on-failure) a passing test keeps no trace and a failing browser test keeps its own', MATRIX_RUNS, async () => {
  test.setTimeout(FULL_RUN_TIMEOUT_MS);
  const healthy = await fullRun(test.info(), 'healthy');
  expect(healthy.code).toBe(0);
  expect(healthy.results?.counts.passed).toBeGreaterThan(20);
  expect(reportTraces(healthy.reportsDir)).toEqual([]);

  const failing = await fullRun(test.info(), 'missing-auth-url');
  const failedInBrowser = (failing.results?.tests ?? []).filter((t) => t.outcome === 'failed' && t.channel?.includes('browser'));
  expect(failedInBrowser.length).toBeGreaterThan(0);
  expect(reportTraces(failing.reportsDir).length).toBeGreaterThanOrEqual(failedInBrowser.length);
});
