// Issues 14 and 13.2: an operator's mistake in an env file ends at load (exit 2, a line naming
// the variable) or is harmless (the run is still green) — never exit 1 (a page), a stack trace,
// a hang or a secret in the output.
//   - every fuzz case (support/env-fuzz-cases.ts, generated from the schema) is loaded in-process;
//   - every accepted case really runs against the twin: packed into a few env files (one line per
//     variable each), each its own project in one `npm run repro` with a fast subset of the scenarios;
//   - a sample of refused cases goes through the real entry points (repro and `playwright --list`);
//   - the dev-login case of issue 14 is refused before any request (counting listeners: 0);
//   - a broken staging.env does not stop `--project=local` (13.2).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { MIN_SECRET_LENGTH } from '../../helpers/redaction/redaction';
import { cleanEnv, ROOT, runScript } from '../support/run-script';
import { startCountingListeners } from './support/counting-listeners';
import { writeEnvPair } from './support/env-pair';
import { BASE_FILE, type FuzzCase, fuzzCases, fuzzSecret } from './support/env-fuzz-cases';
import { groupAccepted } from './support/env-fuzz-groups';
import { loadCase } from './support/env-fuzz-load';
import { runRepro } from './support/run-suite';
import { inSlot, resultsOf } from './support/shared-runs';

test.describe.configure({ timeout: 600_000 });

const BASE = fs.readFileSync(BASE_FILE, 'utf8');
/** A fast subset that still mints a token, starts the twin and opens a real authenticated socket. */
const SUBSET = ['--grep', 'valid token via subprotocol'];
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
/** Values that must never be printed: the twin's throwaway secrets and the fuzz secrets. */
const SECRETS = [...BASE.matchAll(/^(?:JWT_SECRET|SERVICE_SECRET|E2E_BYPASS_KEY|DEV_LOGIN_PASSWORD)=(.+)$/gm)].map((m) => m[1] ?? '');
const FUZZ_SECRETS = [fuzzSecret(MIN_SECRET_LENGTH - 1), fuzzSecret(2), 'fuzz-url-password'];

function envDirWith(name: string, files: Record<string, string>): string {
  const dir = test.info().outputPath(name, 'environments');
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const playwrightCli = require.resolve('@playwright/test/cli');

test('every fuzz case is refused at load naming its variable, or accepted and green against the twin', async () => {
  const cases = fuzzCases(BASE);
  const refused: FuzzCase[] = [];
  const accepted: FuzzCase[] = [];
  const bad: string[] = [];
  for (const c of cases) {
    const outcome = loadCase(c);
    if (outcome.kind === 'crashed') bad.push(`${c.variable} / ${c.label}: crashed: ${outcome.error.split('\n')[0]}`);
    else if (outcome.kind === 'accepted') accepted.push(c);
    else {
      refused.push(c);
      const text = outcome.problems.map((p) => `${p.variable ?? ''} ${p.message}`).join('\n');
      const named = c.variable === '(file)' || outcome.problems.some((p) => p.variable === c.variable || p.message.includes(c.variable));
      if (!named) bad.push(`${c.variable} / ${c.label}: refused without naming it: ${text}`);
      for (const s of [...SECRETS, ...FUZZ_SECRETS]) if (text.includes(s)) bad.push(`${c.variable} / ${c.label}: a secret is printed`);
    }
  }
  expect(bad).toEqual([]);

  // Accepted → really run. One group = one env file = one project with its own twin, all in ONE
  // `npm run repro` (one runner, one report step for all): as an operator with one env per target.
  const groups = groupAccepted(BASE, accepted);
  const names = groups.map((_, i) => `accepted-${i}`);
  const dir = test.info().outputPath('accepted', 'environments');
  for (const [i, g] of groups.entries()) writeEnvPair(dir, names[i] as string, g.text);
  const run = await inSlot(() =>
    runRepro(test.info(), 'accepted', { env: { ENVIRONMENTS_DIR: dir }, args: [...names.map((n) => `--project=${n}`), ...SUBSET, '--no-allure'], timeoutMs: 240_000 }),
  );
  const output = run.stdout + run.stderr;
  expect(output).not.toMatch(STACK);
  for (const s of [...SECRETS, ...FUZZ_SECRETS]) expect(output.includes(s), 'the run prints a secret').toBe(false);
  let green = 0;
  groups.forEach((group, i) => {
    const part = resultsOf(run.results, names[i] as string);
    const labels = group.cases.map((c) => `${c.variable}/${c.label}`).join(', ');
    const outcomes = part?.tests.map((t) => `${t.title}: ${t.outcome} [${t.verdict?.cause ?? '-'}]`).join('\n');
    expect(part?.counts.passed, `group ${i} (${labels}) passed nothing:\n${outcomes ?? output.slice(-3000)}`).toBeGreaterThan(0);
    expect(part?.counts.failed, `group ${i} (${labels}):\n${outcomes}`).toBe(0);
    green += group.cases.length;
  });
  expect(run.code, output.slice(-3000)).toBe(0);

  const figure = `env fuzz: ${cases.length} cases tried, ${refused.length} refused at load (exit 2), ${green} accepted-and-green in ${groups.length} environments of one real run against the twin, 0 exited 1 or crashed`;
  console.log(figure);
  await test.info().attach('env-fuzz-figure', { body: figure, contentType: 'text/plain' });
  expect(refused.length + green).toBe(cases.length);
});

const REFUSED_SAMPLE = [
  { variable: 'DEV_LOGIN_PASSWORD', line: `DEV_LOGIN_PASSWORD=${fuzzSecret(2)}`, says: `must be at least ${MIN_SECRET_LENGTH} characters` },
  { variable: 'UI_STATUS_SELECTOR', line: 'UI_STATUS_SELECTOR=#connection-status', says: 'the value is empty: dotenv reads an unquoted #' },
  { variable: 'TOKEN_SOURCE', line: 'TOKEN_SOURCE=e2e', says: 'did you mean e2e-endpoint?' },
  { variable: 'WS_URL', line: 'WS_URL=wss://fuzzuser:fuzz-url-password@fuzz.example.com/ws', says: 'must not carry credentials' },
];
for (const row of REFUSED_SAMPLE) {
  test(`refused through the real entry points: ${row.variable} (repro and playwright --list exit 2, no stack, no results)`, async () => {
    const text = `${BASE.replace(new RegExp(`^${row.variable}=.*$`, 'm'), '')}\n${row.line}\n`;
    const dir = envDirWith(`refused-${row.variable}`, { 'local.env': text });
    const repro = await runRepro(test.info(), `refused-${row.variable}`, { env: { ENVIRONMENTS_DIR: dir }, args: SUBSET, timeoutMs: 60_000, stopsAtLoad: true });
    const list = await runScript(process.execPath, [playwrightCli, 'test', '--project=local', '--list'], cleanEnv({ ENVIRONMENTS_DIR: dir }), 60_000);
    for (const run of [repro, list]) {
      const output = run.stdout + run.stderr;
      expect(run.code, output).toBe(2);
      expect(output).toContain(`local.env: ${row.variable} — `);
      expect(output).toContain(row.says);
      expect(output).not.toMatch(STACK);
      for (const s of FUZZ_SECRETS) expect(output).not.toContain(s);
    }
    expect(repro.results).toBeNull();
  });
}

/** How the loader shows a path to a run started in ROOT: relative inside it, else absolute (REPORTS_DIR may be elsewhere). */
const shownFromRoot = (dir: string) => (path.relative(ROOT, dir).startsWith('..') ? dir : path.relative(ROOT, dir));

test('issue 14: dev-login with a 2-character password stops at load with exit 2, before any request', async () => {
  const listeners = await startCountingListeners();
  try {
    const env = (password: string) => ({
      'dev-login.env': [
        'TWIN=off',
        `FRONTEND_URL=${listeners.httpUrl}`,
        `AUTH_URL=${listeners.httpUrl}`,
        `BACKEND_URL=${listeners.tcpUrl}`,
        'TOKEN_SOURCE=dev-login',
        'DEV_LOGIN_EMAIL=dev-login@example.com',
        'HTTP_TIMEOUT_MS=2000',
        'HANDSHAKE_BUDGET_MS=2000',
        '',
      ].join('\n'),
      'dev-login.local.env': `DEV_LOGIN_PASSWORD=${password}\n`,
    });
    const short = envDirWith('dev-login-short', env(fuzzSecret(2)));
    const run = await runRepro(test.info(), 'dev-login-short', { env: { ENVIRONMENTS_DIR: short }, args: ['--project=dev-login', '--grep', 'a token is obtained'], timeoutMs: 60_000, stopsAtLoad: true });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'Stopped before any test: the environment files have 1 problem.',
      `  - ${shownFromRoot(short)}/dev-login.local.env: DEV_LOGIN_PASSWORD — must be at least ${MIN_SECRET_LENGTH} characters: the redactor cannot scrub a shorter secret from reports without mangling ordinary text; use a longer secret (for the twin, any throwaway value of ${MIN_SECRET_LENGTH}+ characters in local.env), or another TOKEN_SOURCE (got "***", 2 chars)`,
    ]);
    expect(run.results).toBeNull();
    expect(listeners.connections()).toEqual({ http: 0, tcp: 0 });

    // The same listeners do count: with a long enough password the same run reaches them.
    const long = envDirWith('dev-login-long', env('long-enough-dev-password'));
    const reached = await runRepro(test.info(), 'dev-login-long', { env: { ENVIRONMENTS_DIR: long }, args: ['--project=dev-login', '--grep', 'a token is obtained', '--no-allure'], timeoutMs: 150_000 });
    expect(listeners.connections().http, reached.stdout + reached.stderr).toBeGreaterThan(0);
  } finally {
    await listeners.close();
  }
});

test('issue 13.2: a broken staging.env does not stop --project=local, and stops --project=staging', async () => {
  const example = fs.readFileSync(path.join(path.dirname(BASE_FILE), 'staging.env.example'), 'utf8');
  const dir = envDirWith('broken-staging', { 'local.env': BASE, 'staging.env': example });
  const env = cleanEnv({ ENVIRONMENTS_DIR: dir });
  const list = (args: string[]) => runScript(process.execPath, [playwrightCli, 'test', ...args, '--list'], env, 60_000);

  const local = await list(['--project=local']);
  expect(local.code, local.stdout + local.stderr).toBe(0);
  expect(local.stdout).toContain('[local] › e2e/valid-jwt.spec.ts');
  expect(local.stderr).toContain('Warning: environment "staging" is not selected and has 1 problem(s); its project is left out of this run:');
  expect(local.stderr).toContain('staging.env: JWT_SECRET — required by TOKEN_SOURCE=mint; set STAGING_JWT_SECRET');

  const unit = await list(['--project=unit', 'tests/environments']);
  expect(unit.code, unit.stdout + unit.stderr).toBe(0);

  for (const args of [['--project=staging'], []]) {
    const run = await list(args);
    expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(2);
    expect(run.stderr).toContain('Stopped before any test: the environment files have 1 problem.');
  }

  // A real run of the selected project: the twin, not the broken file, decides the outcome.
  const run = await runScript(process.execPath, [playwrightCli, 'test', '--project=local', ...SUBSET], cleanEnv({ ENVIRONMENTS_DIR: dir, REPORTS_DIR: test.info().outputPath('broken-staging', 'reports') }), 240_000);
  expect(run.code, run.stdout + run.stderr).toBe(0);
});
