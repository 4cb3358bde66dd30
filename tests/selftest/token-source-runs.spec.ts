// Issue 5: every token source works against the twin, and each way a source can be misconfigured
// stops the run with a configuration verdict (exit 2), never a page about the target (exit 1).
// Runs the real suite as an operator would, narrowed to the tests that use the token.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadEnvironment, processVariableName } from '../../environments/load';
import { accessClaims, signHs256 } from '../../helpers/tokens/token-source-mint';
import { ROOT } from '../support/run-script';
import { writeEnvPair } from './support/env-pair';
import { runRepro, type SuiteRun } from './support/run-suite';

// Each test's own deadline outlives its nested run's (runRepro kills a run that overstays), so a
// slow run fails with what it printed instead of leaving the nested suite running.
test.describe.configure({ mode: 'parallel', timeout: 180_000 });

const LOCAL = loadEnvironment('local', path.join(ROOT, 'environments'), {});
const TOKEN_TEST = 'config verification › a token is obtained from the token source';
/** The token's own tests, and #631's reproduction that presents it on every channel. */
const GREP = ['--grep', 'config verification|reproduce'];
/** A short burst: this proves the token, not the target's refusal rate. */
const SHORT_BURST = { BURST_SIZE: '20' };

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

/** Each source's settings, as an operator would put them in that environment's file. */
const GREEN: Array<{ source: string; settings: () => Promise<Record<string, string>> }> = [
  { source: 'e2e-endpoint', settings: async () => ({ TOKEN_SOURCE: 'e2e-endpoint' }) },
  // The twin's auth service runs as `development` by default, where dev login is allowed.
  { source: 'dev-login', settings: async () => ({ TOKEN_SOURCE: 'dev-login' }) },
  { source: 'static', settings: async () => ({ TOKEN_SOURCE: 'static', STATIC_TOKEN: await mintStatic(0) }) },
];

/** The environment of one source or mistake (not its own name: `DEV_LOGIN_…` would read as that env's overrides). */
const envName = (name: string) => `via-${name}`;

/** local.env with `settings` in place of its own lines for those keys (a key set twice is refused). */
function localEnvWith(settings: Record<string, string>): string {
  const lines = fs.readFileSync(LOCAL.file, 'utf8').split('\n');
  const kept = lines.filter((line) => !Object.keys(settings).some((key) => line.startsWith(`${key}=`)));
  return [...kept, ...Object.entries(settings).map(([key, value]) => `${key}=${value}`), ''].join('\n');
}

// One `npm run repro` over an environment per source (each its own project and twin), as an
// operator who keeps one env file per way of getting a token runs them side by side.
test('every TOKEN_SOURCE (e2e-endpoint, dev-login, static) gets a token the twin accepts on every channel (exit 0)', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('environments');
  const secrets: string[] = [];
  for (const { source, settings } of GREEN) {
    const values: Record<string, string> = { ...(await settings()), ...SHORT_BURST };
    if (values.STATIC_TOKEN) secrets.push(values.STATIC_TOKEN);
    writeEnvPair(dir, envName(source), localEnvWith(values));
  }
  const run = await runRepro(testInfo, 'token-sources', {
    env: { ENVIRONMENTS_DIR: dir },
    args: [...GREEN.map(({ source }) => `--project=${envName(source)}`), ...GREP, '--no-allure'],
    timeoutMs: 150_000,
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  for (const { source } of GREEN) {
    await test.step(`TOKEN_SOURCE=${source}`, () => {
      const tests = run.results?.tests.filter((t) => t.project === envName(source)) ?? [];
      expect(tests.length, `the run has tests of environment ${envName(source)}`).toBeGreaterThan(2);
      expect(tests.map((t) => t.outcome).filter((o) => o !== 'passed' && o !== 'skipped')).toEqual([]);
      expect(tests.find((t) => t.title === TOKEN_TEST)?.outcome).toBe('passed');
      const reproduce = tests.find((t) => t.scenario === 'reproduce-403');
      expect(reproduce?.verdict?.cause).toBe('healthy');
      expect(tokenStepRan(run, source), `no "Obtain a token from ${source}" step in the Allure results`).toBe(true);
    });
  }
  for (const secret of secrets) expectNoSecret(run, secret);
});

/** Each mistake: the environment file's settings, and process variables for it (as CI hands over secrets). */
const BROKEN: Array<{ name: string; title: string; settings: () => Promise<Record<string, string>>; processVars?: Record<string, string>; problem: () => string | RegExp }> = [
  {
    name: 'wrong-bypass-key',
    title: 'a wrong bypass key',
    // The file keeps the key the twin is started with; the CI-style variable gives the suite another.
    settings: async () => ({ TOKEN_SOURCE: 'e2e-endpoint' }),
    processVars: { E2E_BYPASS_KEY: 'not-the-twin-bypass-key-0001' },
    problem: () => 'bypass key rejected: HTTP 401',
  },
  {
    name: 'expired-static-token',
    title: 'an expired static token',
    // Issued 1 h ago with a 30 min lifetime: expired 30 minutes ago.
    settings: async () => ({ TOKEN_SOURCE: 'static', STATIC_TOKEN: await mintStatic(3600) }),
    problem: () => /static token expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z \((29|30) minutes ago\)/,
  },
];

// Both mistakes side by side in one run, an environment each: each fails its own token test.
test(`${BROKEN.map((b) => b.title).join(' and ')} each fail 'a token is obtained' with token-source-failed (exit 2)`, async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('environments');
  const secrets: string[] = [];
  const vars: Record<string, string> = {};
  for (const { name, settings, processVars = {} } of BROKEN) {
    const values = await settings();
    if (values.STATIC_TOKEN) secrets.push(values.STATIC_TOKEN);
    writeEnvPair(dir, envName(name), localEnvWith(values));
    for (const [key, value] of Object.entries(processVars)) vars[processVariableName(envName(name), key)] = value;
  }
  const run = await runRepro(testInfo, 'broken-sources', {
    env: { ENVIRONMENTS_DIR: dir, ...vars },
    args: [...BROKEN.map(({ name }) => `--project=${envName(name)}`), '--grep', 'a token is obtained', '--no-allure'],
    timeoutMs: 150_000,
  });
  expect(run.code, run.stdout + run.stderr).toBe(2);
  for (const { name, title, problem } of BROKEN) {
    await test.step(title, () => {
      const entry = run.results?.tests.find((t) => t.project === envName(name) && t.title === TOKEN_TEST);
      expect(entry?.outcome).toBe('failed');
      expect(entry?.verdict).toMatchObject({ layer: 'config', cause: 'token-source-failed' });
      const expected = problem();
      expect(entry?.verdict?.summary).toMatch(expected);
      expect(entry?.error).toMatch(expected);
    });
  }
  expect(run.stdout).toContain(`repro: exit 2 (suite or configuration error): ${BROKEN.length} test(s) could not set up (token-source-failed)`);
  for (const secret of secrets) expectNoSecret(run, secret);
});

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
