// labelScenario / labelVerdict through the real allure-playwright reporter: an inline project
// calls them, and the Allure result file is read back.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EPIC, issueUrl, MASKED_VALUE, targetVariantParameter } from '../../../helpers/reporting/allure-labels';
import { repoModule, runPlaywright, writeProject } from '../../support/inline-project';

const SECRET = 'static-token-value-never-written';

interface AllureResult {
  labels: { name: string; value: string }[];
  links: { url: string; name?: string; type?: string }[];
  parameters: { name: string; value: string; mode?: string; excluded?: boolean }[];
  description?: string;
  status: string;
}

let dir: string;
let result: AllureResult;
let allFiles: string;

// One worker for this file: the project is fully parallel, and each worker that took one of these
// tests would repeat the beforeAll (an inline Playwright run, seconds each) for itself.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(60_000);
  dir = writeProject({
    'playwright.config.ts': `
import { defineConfig } from ${repoModule('node_modules/@playwright/test')};
export default defineConfig({ testDir: '.', reporter: [[${repoModule('node_modules/allure-playwright')}, { resultsDir: 'allure-results' }]] });`,
    'labelled.spec.ts': `
import { test, expect } from ${repoModule('node_modules/@playwright/test')};
import { labelScenario, labelVerdict } from ${repoModule('helpers/reporting/allure-labels')};
test('labelled', async () => {
  labelScenario({ scenario: 'reproduce-403', story: 'valid token refused with 403', severity: 'blocker', issueId: '631',
    issueUrlTemplate: 'https://tracker.example/issues/{id}',
    parameters: { environment: 'local', transport: 'subprotocol', 'static token': ${JSON.stringify(SECRET)} },
    secretParameters: ['static token'] });
  labelVerdict({ layer: 'app-handshake', cause: 'backend-cannot-use-auth-service', summary: 'refused like a forged token',
    evidence: ['backend: HTTP 403'], confidence: 'high' }, (t) => t);
  expect(1).toBe(1);
});`,
  });
  const run = await runPlaywright(['test', '-c', 'playwright.config.ts'], dir);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const resultsDir = path.join(dir, 'allure-results');
  const files = readdirSync(resultsDir);
  const resultFile = files.find((f) => f.endsWith('-result.json'));
  if (!resultFile) throw new Error(`no Allure result in ${files.join(', ')}`);
  result = JSON.parse(readFileSync(path.join(resultsDir, resultFile), 'utf8')) as AllureResult;
  allFiles = files.map((f) => readFileSync(path.join(resultsDir, f), 'utf8')).join('\n');
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const label = (name: string) => result.labels.filter((l) => l.name === name).map((l) => l.value);

test('sets epic, feature (from the scenario), story, severity and the scenario tag', () => {
  expect(label('epic')).toEqual([EPIC]);
  expect(label('feature')).toEqual(['Issue #631: 403 on the handshake']);
  expect(label('story')).toEqual(['valid token refused with 403']);
  expect(label('severity')).toEqual(['blocker']);
  expect(label('tag')).toContain('reproduce-403');
});

test('links the issue through the URL template', () => {
  expect(result.links).toContainEqual({ url: 'https://tracker.example/issues/631', name: '#631', type: 'issue' });
  expect(issueUrl('631', 'https://t.example/%s')).toBe('https://t.example/631');
  expect(issueUrl('631', undefined)).toBe('631');
});

test('writes parameters, a secret one masked and replaced, never its value', () => {
  expect(result.parameters).toEqual(
    expect.arrayContaining([
      { name: 'environment', value: 'local' },
      { name: 'transport', value: 'subprotocol' },
      { name: 'static token', value: MASKED_VALUE, mode: 'masked', excluded: true },
    ]),
  );
  expect(allFiles).not.toContain(SECRET);
});

test("puts the verdict on the description's top line and labels it, its cause and layer", () => {
  expect(result.description?.split('\n')[0]).toBe('**Verdict [backend-cannot-use-auth-service] at app-handshake: refused like a forged token**');
  expect(label('verdict')).toEqual(['Verdict [backend-cannot-use-auth-service] at app-handshake: refused like a forged token']);
  expect(result.description).toContain('- backend: HTTP 403');
  expect(label('cause')).toEqual(['backend-cannot-use-auth-service']);
  expect(label('layer')).toEqual(['app-handshake']);
});

test('a twin fault is a parameter, so runs against different faults keep apart histories', () => {
  expect(targetVariantParameter({ TWIN_FAULT: 'missing-auth-url' })).toEqual(['twin fault', 'missing-auth-url']);
  expect(targetVariantParameter({ TWIN_FAULT: 'none' })).toBeNull();
  expect(targetVariantParameter({})).toBeNull();
});
