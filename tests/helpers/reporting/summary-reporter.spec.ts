// The summary reporter, run for real: a tiny inline project (pass, verdict failure, throw with a
// token in its message, flaky, skipped) through the real runner, once directly and once as
// blob reports merged with `playwright merge-reports --reporter=<this reporter>`.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type ResultsFile, readResultsFile } from '../../../helpers/reporting/results-file';
import { REPO_ROOT, repoModule, type RunOutput, runPlaywright, writeProject } from '../../support/inline-project';

const REPORTER = path.join(REPO_ROOT, 'helpers', 'reporting', 'summary-reporter.ts');
// Built at run time so no JWT-shaped literal sits in the repository (same value as a literal).
const TOKEN = ['{"alg":"HS256"}', '{"sub":"user-1"}', 'signature-of-the-token'].map((part) => Buffer.from(part).toString('base64url')).join('.');
const SECRET = 's3cr3t-never-written';
const HEADLINE =
  'Verdict [backend-cannot-use-auth-service] at app-handshake: The auth service accepts the token, the backend refuses it with 403 like a forged one.';

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'inline', version: '9.9.9' }),
  'playwright.config.ts': `
import { defineConfig } from ${repoModule('node_modules/@playwright/test')};
export default defineConfig({
  testDir: '.',
  retries: 1,
  projects: [{ name: 'local' }],
  reporter: [[${JSON.stringify(REPORTER)}], ['blob', { outputDir: process.env.BLOB_DIR }]],
});`,
  'cases.spec.ts': `
import { test, expect } from ${repoModule('node_modules/@playwright/test')};
import { annotateBrowserVersion, attachRecord, attachTarget, attachVerdict } from ${repoModule('helpers/reporting/evidence-attachments')};
import { verdictHeadline } from ${repoModule('helpers/diagnosis/causes')};
const redact = (t: string) => t;
const verdict = { layer: 'app-handshake', cause: 'backend-cannot-use-auth-service',
  summary: 'The auth service accepts the token, the backend refuses it with 403 like a forged one.',
  evidence: ['auth service: valid=true', 'backend: HTTP 403'], confidence: 'high' };
const note = (type: string, description: string) => test.info().annotations.push({ type, description });

test('passes', async () => {
  note('scenario', 'config-verification');
  note('channel', 'http');
});
test.describe('issue 631', () => {
  test('reproduces the 403', async ({}, testInfo) => {
    note('scenario', 'reproduce-403'); note('channel', 'raw+browser'); note('transport', 'subprotocol'); note('token-variant', 'valid');
    annotateBrowserVersion(testInfo, '156.0.7258.5');
    await attachTarget(testInfo, { name: 'local', frontendUrl: 'http://127.0.0.1:1/', backendUrl: 'http://127.0.0.1:2/',
      authUrl: 'http://127.0.0.1:3/', wsUrl: 'ws://127.0.0.1:2/ws', secrets: [${JSON.stringify(SECRET)}] } as never, redact);
    await attachRecord(testInfo, { channel: 'raw', label: 'valid token via raw subprotocol', timing: { totalMs: 12.5 } } as never, redact);
    await attachRecord(testInfo, { channel: 'browser', label: 'valid token via the chat page',
      timing: { createdMs: 1, requestMs: 2, responseMs: null, errorMs: 40, closedMs: 41 } } as never, redact);
    await attachVerdict(testInfo, verdict as never, redact);
    expect(verdict.cause, verdictHeadline(verdict as never) + '\\nauth service: valid=true').toBe('healthy');
  });
});
test('throws with a token in its message', async () => {
  throw new Error('refused ${TOKEN} at the door');
});
test('flaky', async ({}, testInfo) => {
  expect(testInfo.retry).toBe(1);
});
test.skip('skipped', async () => {});
`,
};

let dir: string;
let direct: RunOutput;
let merged: RunOutput;
let results: ResultsFile;
let mergedResults: ResultsFile;

const readResults = (reportsDir: string): ResultsFile => {
  const read = readResultsFile(reportsDir);
  if (!read) throw new Error(`no results.json in ${reportsDir}`);
  return read;
};
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

// One worker for this file: the project is fully parallel, and each worker that took one of these
// tests would repeat the beforeAll (an inline Playwright run and a merge, seconds each) for itself.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = writeProject(files);
  direct = await runPlaywright(['test', '-c', 'playwright.config.ts'], dir, {
    REPORTS_DIR: path.join(dir, 'reports'),
    BLOB_DIR: path.join(dir, 'blob'),
    GITHUB_SHA: 'abcdef1234567890',
  });
  results = readResults(path.join(dir, 'reports'));
  merged = await runPlaywright(['merge-reports', `--reporter=${REPORTER}`, path.join(dir, 'blob')], dir, {
    REPORTS_DIR: path.join(dir, 'merged'),
  });
  mergedResults = readResults(path.join(dir, 'merged'));
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('counts outcomes as Playwright does and closes stdout with the CI line', () => {
  expect(direct.code).toBe(1);
  expect(results.counts).toEqual({ passed: 2, failed: 2, skipped: 1, flaky: 1 });
  expect(results.status).toBe('failed');
  expect(results.environments).toEqual(['local']);
  expect(lastLine(direct.stdout)).toBe('tests: 2 passed, 2 failed, 1 skipped');
});

test('records each test once, in suite order, from its last result', () => {
  expect(results.tests.map((t) => [t.title, t.outcome, t.flaky])).toEqual([
    ['passes', 'passed', false],
    ['issue 631 › reproduces the 403', 'failed', false],
    ['throws with a token in its message', 'failed', false],
    ['flaky', 'passed', true],
    ['skipped', 'skipped', false],
  ]);
  expect(results.tests.every((t) => t.file === 'cases.spec.ts' && t.project === 'local')).toBe(true);
});

test('copies annotations, the verdict, record timings and the headline of a failing scenario', () => {
  const failing = results.tests[1];
  expect(failing).toMatchObject({
    scenario: 'reproduce-403',
    channel: 'raw+browser',
    transport: 'subprotocol',
    tokenVariant: 'valid',
    timings: { 'valid token via raw subprotocol': 12.5, 'valid token via the chat page': 40 },
    error: HEADLINE,
  });
  expect(failing?.verdict?.cause).toBe('backend-cannot-use-auth-service');
  expect(results.causes).toEqual([{ cause: 'backend-cannot-use-auth-service', tests: 1 }]);
  expect(results.tests[0]).toMatchObject({ scenario: 'config-verification', channel: 'http', verdict: null, error: null, timings: {} });
});

test('scrubs a JWT out of an error line and writes no token or secret anywhere', () => {
  expect(results.tests[2]?.error).toBe('refused ‹scrubbed› at the door');
  const written = ['results.json', 'summary.md', 'allure-results/environment.properties'].map((f) =>
    readFileSync(path.join(dir, 'reports', f), 'utf8'),
  );
  // stdout holds only this reporter's lines: the inner config has no other printing reporter.
  for (const text of [...written, direct.stdout]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET);
  }
});

test('writes summary.md: an environment headline and one row per test', () => {
  const md = readFileSync(path.join(dir, 'reports', 'summary.md'), 'utf8');
  expect(md).toContain(
    '- **local**: 2 passed, 2 failed, 1 skipped — most frequent failing cause: `backend-cannot-use-auth-service` (Backend cannot use its auth service (issue #631)) in 1 of 2 failing',
  );
  expect(md).toContain(
    '| reproduce-403 | local: issue 631 › reproduces the 403 | raw+browser | failed | `backend-cannot-use-auth-service` The auth service accepts the token, the backend refuses it with 403 like a forged one. | valid token via raw subprotocol 13 ms; valid token via the chat page 40 ms |',
  );
  expect(md).toContain('| — | local: flaky | — | passed (flaky) |  |  |');
  expect(md.match(/^\| /gm)).toHaveLength(2 + 5);
});

test('writes the Allure environment info from the target attachment and the run', () => {
  const props = readFileSync(path.join(dir, 'reports', 'allure-results', 'environment.properties'), 'utf8');
  expect(props.trimEnd().split('\n')).toEqual([
    'local.frontend=http://127.0.0.1:1/',
    'local.backend=http://127.0.0.1:2/',
    'local.auth=http://127.0.0.1:3/',
    'local.websocket=ws://127.0.0.1:2/ws',
    'browser=156.0.7258.5',
    'suite.version=9.9.9',
    'git.sha=abcdef1',
    `node=${process.version}`,
  ]);
});

test('leaves no temp file behind (writes are temp + rename)', () => {
  expect(readdirSync(path.join(dir, 'reports')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('gives the same tests from merged blob reports', () => {
  expect(merged.code, merged.stderr).toBe(0);
  expect(mergedResults.tests).toEqual(results.tests);
  expect(mergedResults.counts).toEqual(results.counts);
  expect(existsSync(path.join(dir, 'merged', 'summary.md'))).toBe(true);
  expect(lastLine(merged.stdout)).toBe('tests: 2 passed, 2 failed, 1 skipped');
});

test('a --list run leaves the last run’s results.json and summary.md as they were', async () => {
  const read = (name: string) => readFileSync(path.join(dir, 'reports', name), 'utf8');
  const before = [read('results.json'), read('summary.md')];
  const listed = await runPlaywright(['test', '-c', 'playwright.config.ts', '--list'], dir, { REPORTS_DIR: path.join(dir, 'reports'), BLOB_DIR: path.join(dir, 'blob-list') });
  expect(listed.code, listed.stderr).toBe(0);
  expect([read('results.json'), read('summary.md')]).toEqual(before);
});
