import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EnvironmentError, environmentNames, loadEnvironment, loadEnvironmentSet, loadEnvironments } from '../../environments/load';
import { MIN_SECRET_LENGTH } from '../../helpers/redaction/redaction';

const REAL_DIR = path.join(__dirname, '..', '..', 'environments');
const SECRET = 'mint-secret-for-load-tests-only-0123456789';
const URLS = 'FRONTEND_URL=https://app.staging.example.com\nBACKEND_URL=https://api.staging.example.com\nAUTH_URL=https://auth.staging.example.com\n';

let dirs: string[] = [];
function envDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-load-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
test.afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function envError(run: () => unknown): EnvironmentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return error as EnvironmentError;
  }
  throw new Error('expected an EnvironmentError');
}

test('lists every problem of every file in one error, secrets masked', () => {
  const shortSecret = 'abcdefghijyz';
  const committedKey = 'committed-bypass-key-123456';
  const dir = envDir({
    'staging.env': `TWIN=off\nFRONTEND_URL=not-a-url\nTOKEN_SOURCE=magic\nJWT_SECRT=whatever\nE2E_BYPASS_KEY=${committedKey}\n`,
    'staging.local.env': `JWT_SECRET=${shortSecret}\n`,
  });
  const error = envError(() => loadEnvironments(dir, {}));
  expect(error.code).toBe('ERR_ENV_INVALID');
  expect(error.message).toBe(
    [
      'Stopped before any test: the environment files have 7 problems.',
      `  - ${dir}/staging.env: JWT_SECRT — unknown variable; did you mean JWT_SECRET?`,
      `  - ${dir}/staging.env: E2E_BYPASS_KEY — a secret must not sit in a committed-style file: move E2E_BYPASS_KEY to staging.local.env or STAGING_E2E_BYPASS_KEY`,
      `  - ${dir}/staging.env: FRONTEND_URL — expected an http:// or https:// URL (got "not-a-url")`,
      `  - ${dir}/staging.env: BACKEND_URL — required when TWIN=off`,
      `  - ${dir}/staging.env: AUTH_URL — required when TWIN=off`,
      `  - ${dir}/staging.env: TOKEN_SOURCE — expected one of mint | e2e-endpoint | dev-login | static (got "magic")`,
      `  - ${dir}/staging.local.env: JWT_SECRET — must be at least 32 characters (got "ab…yz", 12 chars)`,
    ].join('\n'),
  );
  expect(error.message).not.toContain(shortSecret);
  expect(error.message).not.toContain(committedKey);
  expect(error.problems.map((p) => p.variable)).toEqual(['JWT_SECRT', 'E2E_BYPASS_KEY', 'FRONTEND_URL', 'BACKEND_URL', 'AUTH_URL', 'TOKEN_SOURCE', 'JWT_SECRET']);
});

test('problems of several environments come in one error, one line each', () => {
  const dir = envDir({ 'alpha.env': `${URLS}TOKEN_SOURCE=static\n`, 'beta.env': `${URLS}HTTP_TIMEOUT_MS=soon\n` });
  const error = envError(() => loadEnvironments(dir, { ALPHA_JWT_SECRET: SECRET, BETA_JWT_SECRET: SECRET }));
  expect(error.message.split('\n')).toEqual([
    'Stopped before any test: the environment files have 2 problems.',
    `  - ${dir}/alpha.env: STATIC_TOKEN — required by TOKEN_SOURCE=static; set ALPHA_STATIC_TOKEN or put STATIC_TOKEN in ${dir}/alpha.local.env`,
    `  - ${dir}/beta.env: HTTP_TIMEOUT_MS — expected a number (got "soon")`,
  ]);
});

test('a missing secret says where to put it', () => {
  const dir = envDir({ 'staging.env': URLS });
  const error = envError(() => loadEnvironment('staging', dir, {}));
  expect(error.problems).toEqual([
    {
      source: `${dir}/staging.env`,
      variable: 'JWT_SECRET',
      message: `required by TOKEN_SOURCE=mint; set STAGING_JWT_SECRET or put JWT_SECRET in ${dir}/staging.local.env`,
    },
  ]);
});

test('a CI secret that expands to an empty string counts as unset', () => {
  const dir = envDir({ 'staging.env': URLS });
  const error = envError(() => loadEnvironment('staging', dir, { STAGING_JWT_SECRET: '' }));
  expect(error.problems.map((p) => p.message)).toEqual([`required by TOKEN_SOURCE=mint; set STAGING_JWT_SECRET or put JWT_SECRET in ${dir}/staging.local.env`]);
});

const layering = [
  { title: 'the file alone', local: '', env: {}, value: 'from-file', source: 'staging.env' },
  { title: 'local file over the file', local: 'JWT_ISSUER=from-local\n', env: {}, value: 'from-local', source: 'staging.local.env' },
  {
    title: 'prefixed process variable over both',
    local: 'JWT_ISSUER=from-local\n',
    env: { STAGING_JWT_ISSUER: 'from-process' },
    value: 'from-process',
    source: 'process env STAGING_JWT_ISSUER',
  },
  { title: 'unprefixed process variable ignored', local: '', env: { JWT_ISSUER: 'from-process' }, value: 'from-file', source: 'staging.env' },
  { title: 'empty local value does not unset', local: 'JWT_ISSUER=\n', env: {}, value: 'from-file', source: 'staging.env' },
];
for (const row of layering) {
  test(`layering: ${row.title}`, () => {
    const dir = envDir({ 'staging.env': `${URLS}JWT_ISSUER=from-file\n`, ...(row.local ? { 'staging.local.env': row.local } : {}) });
    const env = loadEnvironment('staging', dir, { STAGING_JWT_SECRET: SECRET, ...row.env });
    expect(env.settings.JWT_ISSUER).toBe(row.value);
    expect(env.sources.JWT_ISSUER).toBe(row.source.startsWith('process') ? row.source : `${dir}/${row.source}`);
    expect(env.sources.JWT_SECRET).toBe('process env STAGING_JWT_SECRET');
  });
}

test("one environment's process variable never reaches another", () => {
  const dir = envDir({ 'staging.env': URLS, 'qa-eu.env': URLS });
  const error = envError(() => loadEnvironments(dir, { STAGING_JWT_SECRET: SECRET }));
  expect(error.problems).toEqual([
    {
      source: `${dir}/qa-eu.env`,
      variable: 'JWT_SECRET',
      message: `required by TOKEN_SOURCE=mint; set QA_EU_JWT_SECRET or put JWT_SECRET in ${dir}/qa-eu.local.env`,
    },
  ]);
  const both = loadEnvironments(dir, { STAGING_JWT_SECRET: SECRET, QA_EU_JWT_SECRET: `${SECRET}-qa` });
  expect(both.map((e) => [e.name, e.settings.JWT_SECRET])).toEqual([
    ['qa-eu', `${SECRET}-qa`],
    ['staging', SECRET],
  ]);
});

test('a secret value never appears, even under a non-secret variable', () => {
  const dir = envDir({ 'staging.env': `${URLS}TEST_USER_EMAIL=${SECRET}\n` });
  const error = envError(() => loadEnvironment('staging', dir, { STAGING_JWT_SECRET: SECRET }));
  expect(error.message).not.toContain(SECRET);
  expect(error.problems).toEqual([{ source: `${dir}/staging.env`, variable: 'TEST_USER_EMAIL', message: 'Invalid email address (got "mi…89")' }]);
});

const unknownNames = [
  { line: 'BAKEND_URL=https://api.staging.example.com', message: 'unknown variable; did you mean BACKEND_URL?' },
  { line: 'STAGING_JWT_ISSUER=x', message: 'unknown variable; did you mean JWT_ISSUER? (the STAGING_ prefix is for process variables only)' },
  { line: 'FAVOURITE_COLOUR=blue', message: 'unknown variable (environments/schema.ts lists the known ones)' },
];
for (const row of unknownNames) {
  test(`unknown variable: ${row.line.split('=')[0]}`, () => {
    const dir = envDir({ 'staging.env': `${URLS}${row.line}\n` });
    const error = envError(() => loadEnvironment('staging', dir, { STAGING_JWT_SECRET: SECRET }));
    expect(error.problems).toEqual([{ source: `${dir}/staging.env`, variable: row.line.split('=')[0], message: row.message }]);
  });
}

test('empty means unset, unless empty has a meaning for that variable', () => {
  const dir = envDir({ 'local.env': `TWIN=embedded\nFRONTEND_URL=\nDEPENDENCIES_STATUS_PATH=\nJWT_SECRET=${SECRET}\n` });
  const env = loadEnvironment('local', dir, {});
  expect(env.settings.FRONTEND_URL).toBeUndefined();
  expect(env.settings.DEPENDENCIES_STATUS_PATH).toBe('');
});

const folderProblems = [
  { title: 'missing folder', files: null, message: 'the environments folder does not exist (set ENVIRONMENTS_DIR to the folder holding NAME.env files)' },
  { title: 'empty folder', files: { 'README.md': 'x' }, message: 'no NAME.env file here: restore local.env, or copy staging.env.example to staging.env' },
];
for (const row of folderProblems) {
  test(`a ${row.title} is a clear error`, () => {
    const dir = row.files ? envDir(row.files) : path.join(envDir({}), 'nope');
    const error = envError(() => loadEnvironments(dir, {}));
    expect(error.problems).toEqual([{ source: dir, message: row.message }]);
  });
}

test('bad environment names and orphan local files are problems', () => {
  const dir = envDir({ 'Staging.env': URLS, 'stagng.local.env': 'JWT_ISSUER=x\n', 'local.env': `TWIN=embedded\nJWT_SECRET=${SECRET}\n` });
  const error = envError(() => loadEnvironments(dir, {}));
  expect(error.problems).toEqual([
    { source: `${dir}/Staging.env`, message: 'environment name "Staging" must match /^[a-z][a-z0-9-]*$/ (lower-case letters, digits, dashes)' },
    { source: `${dir}/stagng.local.env`, message: 'no stagng.env to layer it on: add stagng.env or rename this file' },
  ]);
});

test('the default folder comes from ENVIRONMENTS_DIR', () => {
  const dir = envDir({ 'alpha.env': 'TWIN=embedded\n', 'beta.env': 'x', 'alpha.local.env': `JWT_SECRET=${SECRET}\n`, 'staging.env.example': '' });
  expect(environmentNames(undefined, { ENVIRONMENTS_DIR: dir })).toEqual(['alpha', 'beta']);
  expect(loadEnvironment('alpha', undefined, { ENVIRONMENTS_DIR: dir }).file).toBe(`${dir}/alpha.env`);
});

test('an unknown environment name lists the known ones', () => {
  const dir = envDir({ 'local.env': `TWIN=embedded\nJWT_SECRET=${SECRET}\n` });
  const error = envError(() => loadEnvironment('stagin', dir, {}));
  expect(error.problems).toEqual([{ source: dir, message: `no environment "stagin": expected ${dir}/stagin.env (known: local)` }]);
});

test('the committed local.env is valid and describes the twin', () => {
  const env = loadEnvironment('local', REAL_DIR, {});
  const s = env.settings;
  expect([s.TWIN, s.TOKEN_SOURCE, s.JWT_ENV, s.SERVICE_ID]).toEqual(['embedded', 'mint', 'staging', 'netra-backend']);
  expect(s.TRANSPORTS).toEqual(['subprotocol', 'authorization-header']);
  expect([s.UI_STATUS_SELECTOR, s.UI_CONNECTED_TEXT, s.UI_INPUT_SELECTOR, s.UI_SEND_SELECTOR, s.UI_MESSAGES_SELECTOR]).toEqual([
    '#connection-status',
    'connected',
    '#message-input',
    '#send-button',
    '#messages',
  ]);
  for (const key of ['JWT_SECRET', 'SERVICE_SECRET', 'E2E_BYPASS_KEY', 'DEV_LOGIN_PASSWORD'] as const) expect(s[key]).toMatch(/^twin-only-/);
  expect(s.JWT_SECRET?.length).toBeGreaterThanOrEqual(32);
  expect(s.DEV_LOGIN_EMAIL).toBe('dev-login@example.com');
});

test("issue 14: a secret shorter than the redactor's minimum is refused at load, masked, with the way out", () => {
  const dir = envDir({ 'local.env': `TWIN=embedded\nJWT_SECRET=${SECRET}\nTOKEN_SOURCE=dev-login\nDEV_LOGIN_EMAIL=dev@example.com\nDEV_LOGIN_PASSWORD=pw\n` });
  const error = envError(() => loadEnvironment('local', dir, {}));
  expect(error.problems).toEqual([
    {
      source: `${dir}/local.env`,
      variable: 'DEV_LOGIN_PASSWORD',
      message: `must be at least ${MIN_SECRET_LENGTH} characters: the redactor cannot scrub a shorter secret from reports without mangling ordinary text; use a longer secret (for the twin, any throwaway value of ${MIN_SECRET_LENGTH}+ characters in local.env), or another TOKEN_SOURCE (got "***", 2 chars)`,
    },
  ]);
});

test('a CA_FILE that cannot be read is refused at load, not in the target fixture', () => {
  const dir = envDir({ 'local.env': `TWIN=embedded\nJWT_SECRET=${SECRET}\nCA_FILE=${path.join(os.tmpdir(), 'no-such-ca.pem')}\n` });
  const error = envError(() => loadEnvironment('local', dir, {}));
  expect(error.problems.map((p) => [p.variable, p.message.split(' (')[0]])).toEqual([['CA_FILE', 'cannot be read']]);
});

test('a stray prefixed process variable makes its environment a problem', () => {
  const dir = envDir({ 'local.env': `TWIN=embedded\nJWT_SECRET=${SECRET}\n`, 'staging.env': URLS });
  const set = loadEnvironmentSet(dir, { STAGNG_JWT_SECRET: SECRET });
  expect(set.loaded.map((e) => e.name)).toEqual(['local']);
  expect(set.broken.get('staging')?.map((p) => p.variable)).toEqual(['JWT_SECRET', 'STAGNG_JWT_SECRET']);
  expect(JSON.stringify([...set.broken])).not.toContain(SECRET);
});

test('TWIN_FAULT: a fault for the embedded twin of this env; on a real target it is refused, not ignored', () => {
  const embedded = envDir({ 'demo.env': 'TWIN=embedded\nTWIN_FAULT=missing-auth-url\n', 'demo.local.env': `JWT_SECRET=${SECRET}\n` });
  expect(loadEnvironment('demo', embedded, {}).settings.TWIN_FAULT).toBe('missing-auth-url');
  const real = envDir({ 'staging.env': `TWIN=off\n${URLS}TWIN_FAULT=hang\n`, 'staging.local.env': `JWT_SECRET=${SECRET}\n` });
  expect(envError(() => loadEnvironment('staging', real, {})).message).toContain(
    `${real}/staging.env: TWIN_FAULT — only applies with TWIN=embedded (a real staging has the faults it has)`,
  );
  const typo = envDir({ 'demo.env': 'TWIN=embedded\nTWIN_FAULT=missing-auth\n', 'demo.local.env': `JWT_SECRET=${SECRET}\n` });
  expect(envError(() => loadEnvironment('demo', typo, {})).message).toContain(`${typo}/demo.env: TWIN_FAULT — expected one of none | missing-auth-url | auth-down`);
});
