// Issue 5: a production-looking host is refused before a single request leaves the machine.
// The "production" here is two loopback listeners that count every connection offered to them;
// PRODUCTION_HOST_PATTERN makes the guard call 127.0.0.1 production. Zero connections when refused
// means something only because the same listeners do see connections once the operator allows it.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cleanEnv, runScript } from '../support/run-script';
import { type CountingListeners, startCountingListeners } from './support/counting-listeners';
import { runRepro } from './support/run-suite';

test.describe.configure({ timeout: 180_000 });

const ENV = 'production-like';
const PATTERN = '^127[.]0[.]0[.]1$';
/** e2e-endpoint: the token source would POST to the auth URL first, were the guard not ahead of it. */
const SECRETS = { PRODUCTION_LIKE_E2E_BYPASS_KEY: 'counting-listener-bypass-key-0001' };
const ONE_TEST = ['--grep', 'a token is obtained'];
const REFUSAL =
  `Environment "${ENV}" targets 127.0.0.1, which looks like production: it matches PRODUCTION_HOST_PATTERN /${PATTERN}/. ` +
  `Nothing was sent. To run against it on purpose, set ALLOW_PRODUCTION=true in environments/${ENV}.local.env ` +
  'or PRODUCTION_LIKE_ALLOW_PRODUCTION=true in the process environment.';

let listeners: CountingListeners;
let envDir: string;

test.beforeAll(async () => {
  const testInfo = test.info();
  listeners = await startCountingListeners();
  envDir = testInfo.outputPath('environments');
  fs.mkdirSync(envDir, { recursive: true });
  const lines = [
    'TWIN=off',
    `FRONTEND_URL=${listeners.httpUrl}`,
    `AUTH_URL=${listeners.httpUrl}`,
    `BACKEND_URL=${listeners.tcpUrl}`,
    'TOKEN_SOURCE=e2e-endpoint',
    `PRODUCTION_HOST_PATTERN=${PATTERN}`,
    'HTTP_TIMEOUT_MS=2000',
    'HANDSHAKE_BUDGET_MS=2000',
  ];
  fs.writeFileSync(path.join(envDir, `${ENV}.env`), `${lines.join('\n')}\n`);
});

test.afterAll(async () => {
  await listeners?.close();
});

test('npm run repro refuses the production-looking target before Playwright starts, and nothing is sent', async () => {
  const testInfo = test.info();
  const before = listeners.connections();
  const run = await runRepro(testInfo, 'refused', { env: { ENVIRONMENTS_DIR: envDir, ...SECRETS }, args: [`--project=${ENV}`, ...ONE_TEST], timeoutMs: 60_000, stopsAtLoad: true });
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.stderr.trim()).toBe(REFUSAL);
  expect(run.results).toBeNull();
  expect(listeners.connections()).toEqual(before);
});

test('Playwright run directly is refused by the target fixture before any token or health request', async () => {
  const testInfo = test.info();
  // Bypasses repro's own check: the fixtures must hold the line by themselves.
  const reportsDir = testInfo.outputPath('direct', 'reports');
  const before = listeners.connections();
  const env = cleanEnv({ ENVIRONMENTS_DIR: envDir, REPORTS_DIR: reportsDir, ...SECRETS });
  const run = await runScript(process.execPath, [require.resolve('@playwright/test/cli'), 'test', `--project=${ENV}`, ...ONE_TEST], env, 120_000);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toContain(`ProductionTargetError: ${REFUSAL}`);
  expect(listeners.connections()).toEqual(before);
});

test('with <NAME>_ALLOW_PRODUCTION=true the same run does reach the listeners', async () => {
  const testInfo = test.info();
  const before = listeners.connections();
  const allow = { PRODUCTION_LIKE_ALLOW_PRODUCTION: 'true' };
  const run = await runRepro(testInfo, 'allowed', { env: { ENVIRONMENTS_DIR: envDir, ...SECRETS, ...allow }, args: [`--project=${ENV}`, ...ONE_TEST, '--no-allure'], timeoutMs: 150_000 });
  expect(run.stderr).not.toContain('looks like production');
  expect(run.results?.tests.map((t) => t.title)).toEqual(['config verification › a token is obtained from the token source']);
  // The token login and the auth/frontend health checks hit the HTTP listener; backend health hits the TCP one.
  const seen = listeners.connections();
  expect(seen.http).toBeGreaterThan(before.http);
  expect(seen.tcp).toBeGreaterThan(before.tcp);
});
