// scripts/report.ts over real Allure results (an inline project run with allure-playwright):
// one self-contained index.html that renders with every outside request blocked, categories
// from CAUSES, history kept across runs, and a clear error when there are no results.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CAUSE_NAMES } from '../../helpers/diagnosis/causes';
import { generateAllureReport, makeSingleFileWaitForData, NoAllureResultsError, type ReportResult } from '../../scripts/report';
import { repoModule, runPlaywright, writeProject } from '../support/inline-project';

let dir: string;
let reportsDir: string;
let first: ReportResult;
let second: ReportResult;

// One worker for this file: the project is fully parallel, and each worker that took one of these
// tests would repeat the beforeAll (two Allure reports, seconds each) for itself.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  dir = writeProject({
    'playwright.config.ts': `
import { defineConfig } from ${repoModule('node_modules/@playwright/test')};
export default defineConfig({ testDir: '.', reporter: [[${repoModule('node_modules/allure-playwright')}, { resultsDir: process.env.REPORTS_DIR + '/allure-results' }]] });`,
    'cases.spec.ts': `
import { test, expect } from ${repoModule('node_modules/@playwright/test')};
test('socket opens', async () => {});
test('socket refused', async () => {
  expect('backend-cannot-use-auth-service', 'Verdict [backend-cannot-use-auth-service] at app-handshake: refused like a forged token').toBe('healthy');
});`,
  });
  reportsDir = path.join(dir, 'reports');
  const run = await runPlaywright(['test', '-c', 'playwright.config.ts'], dir, { REPORTS_DIR: reportsDir });
  expect(run.code).toBe(1);
  const env: NodeJS.ProcessEnv = { ...process.env, REPORTS_DIR: reportsDir };
  delete env.ALLURE_HISTORY_PATH;
  first = await generateAllureReport({ env });
  second = await generateAllureReport({ env });
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('writes a single self-contained index.html', () => {
  expect(first.indexHtml).toBe(path.join(reportsDir, 'allure-report', 'index.html'));
  // Single-file mode: no data/ or widgets/ folders beside it, only summaries.
  expect(readdirSync(path.dirname(first.indexHtml)).sort()).toEqual(['index.html', 'summary.json', 'test-results.json']);
});

test('writes one category per cause plus the two defaults, for allurerc.mjs', () => {
  const categories = JSON.parse(readFileSync(first.categoriesFile, 'utf8')) as { id: string }[];
  expect(categories).toHaveLength(CAUSE_NAMES.length + 2);
  expect(categories.slice(0, CAUSE_NAMES.length).map((c) => c.id)).toEqual(CAUSE_NAMES.map((c) => `cause:${c}`));
});

test('keeps the history file and appends one entry per report', () => {
  expect(second.historyPath).toBe(path.join(reportsDir, 'history', 'allure-history.jsonl'));
  expect(readFileSync(second.historyPath, 'utf8').trim().split('\n')).toHaveLength(2);
});

test('renders offline: every outside request blocked, the tests still show', async ({ page }) => {
  const outside: string[] = [];
  await page.route(/^(?!file:|data:|blob:)/, (route) => {
    outside.push(new URL(route.request().url()).host);
    return route.abort();
  });
  // Several loads: the template's data race (see makeSingleFileWaitForData) showed on some loads only.
  for (let load = 0; load < 3; load++) {
    await page.goto(`file://${first.indexHtml}`);
    await expect(page.getByText('socket refused').first()).toBeVisible();
    await expect(page.getByText('socket opens').first()).toBeVisible();
  }
  await page.getByText(/^Categories/).first().click();
  await expect(page.getByText('Backend cannot use its auth service (issue #631) [backend-cannot-use-auth-service]')).toBeVisible();
  // Only the template's analytics script reaches for the network, and it fails harmlessly.
  expect(new Set(outside.filter((h) => h !== 'www.googletagmanager.com'))).toEqual(new Set());
});

test('refuses with a clear error when there are no results', async () => {
  const empty = path.join(dir, 'empty');
  mkdirSync(path.join(empty, 'allure-results'), { recursive: true });
  const attempt = generateAllureReport({ reportsDir: empty });
  await expect(attempt).rejects.toThrow(NoAllureResultsError);
  await expect(attempt).rejects.toMatchObject({
    code: 'ERR_NO_ALLURE_RESULTS',
    message: `No Allure results in ${path.join(empty, 'allure-results')}: run the tests first (npm run repro), then npm run report.`,
  });
  expect(existsSync(path.join(empty, 'allure-report'))).toBe(false);
});

test('defines the embedded-data object before the app script, once', () => {
  const html = readFileSync(first.indexHtml, 'utf8');
  const early = html.indexOf('window.allureReportData = window.allureReportData || {};</script>');
  expect(early).toBeGreaterThan(-1);
  expect(early).toBeLessThan(html.indexOf('src="data:text/javascript'));
  expect(makeSingleFileWaitForData(html)).toBe(html);
  expect(makeSingleFileWaitForData('<html><head></head></html>')).toBe('<html><head></head></html>');
});
