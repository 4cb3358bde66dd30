// Issue 5: every token source works against the twin, and each way a source can be misconfigured
// stops the run with a configuration verdict (exit 2), never a page about the target (exit 1).
// Runs the real suite as an operator would, narrowed to the tests that use the token.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadEnvironment } from '../../environments/load';
import { accessClaims, signHs256 } from '../../helpers/tokens/token-source-mint';
import { ROOT } from '../support/run-script';
import { runRepro, type SuiteRun } from './support/run-suite';

// Each test's own deadline outlives its nested run's (runRepro kills a run that overstays), so a
// slow run fails with what it printed instead of leaving the nested suite running.
test.describe.configure({ mode: 'parallel', timeout: 180_000 });

const LOCAL = loadEnvironment('local', path.join(ROOT, 'environments'), {});
const TOKEN_TEST = 'config verification › a token is obtained from the token source';
/** The token's own tests, and #631's reproduction that presents it on every channel. */
const GREP = ['--grep', 'config verification|reproduce'];
/** A short burst: this proves the token, not the target's refusal rate. */
const SHORT_BURST = { LOCAL_BURST_SIZE: '20' };

/** A token as the twin's auth service would issue it, `ageSeconds` ago (lifetime 30 min). */
function mintStatic(ageSeconds: number): Promise<string> {
  const secret = LOCAL.settings.JWT_SECRET;
  if (!secret) throw new Error('environments/local.env has no JWT_SECRET');
  return signHs256(accessClaims(LOCAL.settings, Math.floor(Date.now() / 1000) - ageSeconds), secret);
}

/** The step title the token test writes (e2e/config-verification.spec.ts), as Allure recorded it: proof the source ran. */
function tokenStepRan(run: SuiteRun, source: string): boolean {
  const dir = path.join(run.reportsDir, 'allure-results');
  const step = JSON.stringify(`Obtain a token from ${source}`);
  return fs.readdirSync(dir).some((f) => f.endsWith('-result.json') && fs.readFileSync(path.join(dir, f), 'utf8').includes(step));
}

function expectNoSecret(run: SuiteRun, secret: string): void {
  const written = [run.stdout, run.stderr, JSON.stringify(run.results)].join('\n');
  expect(written.includes(secret), 'the token leaked into the run output').toBe(false);
}

const GREEN: Array<{ source: string; env: () => Promise<Record<string, string>> }> = [
  { source: 'e2e-endpoint', env: async () => ({ LOCAL_TOKEN_SOURCE: 'e2e-endpoint' }) },
  // The twin's auth service runs as `development` by default, where dev login is allowed.
  { source: 'dev-login', env: async () => ({ LOCAL_TOKEN_SOURCE: 'dev-login' }) },
  { source: 'static', env: async () => ({ LOCAL_TOKEN_SOURCE: 'static', LOCAL_STATIC_TOKEN: await mintStatic(0) }) },
];

for (const { source, env } of GREEN) {
  test(`TOKEN_SOURCE=${source} gets a token the twin accepts on every channel (exit 0)`, async () => {
  const testInfo = test.info();
    const vars = await env();
    const run = await runRepro(testInfo, source, { env: { ...vars, ...SHORT_BURST }, args: ['--project=local', ...GREP, '--no-allure'], timeoutMs: 150_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const tests = run.results?.tests ?? [];
    expect(tests.map((t) => t.outcome).filter((o) => o !== 'passed' && o !== 'skipped')).toEqual([]);
    expect(tests.find((t) => t.title === TOKEN_TEST)?.outcome).toBe('passed');
    const reproduce = tests.find((t) => t.scenario === 'reproduce-403');
    expect(reproduce?.verdict?.cause).toBe('healthy');
    expect(tokenStepRan(run, source), `no "Obtain a token from ${source}" step in the Allure results`).toBe(true);
    if (vars.LOCAL_STATIC_TOKEN) expectNoSecret(run, vars.LOCAL_STATIC_TOKEN);
  });
}

const BROKEN: Array<{ title: string; env: () => Promise<Record<string, string>>; problem: () => string | RegExp }> = [
  {
    title: 'a wrong bypass key',
    env: async () => ({ LOCAL_TOKEN_SOURCE: 'e2e-endpoint', LOCAL_E2E_BYPASS_KEY: 'not-the-twin-bypass-key-0001' }),
    problem: () => 'bypass key rejected: HTTP 401',
  },
  {
    title: 'an expired static token',
    // Issued 1 h ago with a 30 min lifetime: expired 30 minutes ago.
    env: async () => ({ LOCAL_TOKEN_SOURCE: 'static', LOCAL_STATIC_TOKEN: await mintStatic(3600) }),
    problem: () => /static token expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z \((29|30) minutes ago\)/,
  },
];

for (const { title, env, problem } of BROKEN) {
  test(`${title} fails 'a token is obtained' with token-source-failed (exit 2)`, async () => {
  const testInfo = test.info();
    const vars = await env();
    const run = await runRepro(testInfo, title.replace(/\W+/g, '-'), { env: vars, args: ['--project=local', '--grep', 'a token is obtained', '--no-allure'], timeoutMs: 150_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const entry = run.results?.tests.find((t) => t.title === TOKEN_TEST);
    expect(entry?.outcome).toBe('failed');
    expect(entry?.verdict).toMatchObject({ layer: 'config', cause: 'token-source-failed' });
    const expected = problem();
    expect(entry?.verdict?.summary).toMatch(expected);
    expect(entry?.error).toMatch(expected);
    expect(run.stdout).toContain('repro: exit 2 (suite or configuration error): 1 test(s) could not set up (token-source-failed)');
    if (vars.LOCAL_STATIC_TOKEN) expectNoSecret(run, vars.LOCAL_STATIC_TOKEN);
  });
}

test('a missing JWT_SECRET for TOKEN_SOURCE=mint is listed before any test runs (exit 2)', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('environments');
  fs.mkdirSync(dir, { recursive: true });
  const localEnv = fs.readFileSync(LOCAL.file, 'utf8').split('\n').filter((line) => !line.startsWith('JWT_SECRET='));
  fs.writeFileSync(path.join(dir, 'local.env'), localEnv.join('\n'));
  const run = await runRepro(testInfo, 'missing-secret', { env: { ENVIRONMENTS_DIR: dir }, args: ['--project=local'], timeoutMs: 60_000, stopsAtLoad: true });
  expect(run.code).toBe(2);
  const shownDir = path.relative(ROOT, dir).startsWith('..') ? dir : path.relative(ROOT, dir);
  expect(run.stderr).toContain(
    [
      'Stopped before any test: the environment files have 1 problem.',
      `  - ${path.join(shownDir, 'local.env')}: JWT_SECRET — required by TOKEN_SOURCE=mint; set LOCAL_JWT_SECRET or put JWT_SECRET in ${path.join(shownDir, 'local.local.env')}`,
    ].join('\n'),
  );
  expect(run.results).toBeNull();
  expect(run.stdout).not.toMatch(/Running \d+ test/);
});
