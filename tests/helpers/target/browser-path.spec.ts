import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { BrowserNotFoundError, DEBIAN_CHROMIUM, DEBIAN_HEADLESS_SHELL, ensureChromium, resolveChromium } from '../../../helpers/target/browser-path';

// Real temp files stand in for the four places a browser can be; nothing of fs is mocked.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-path-'));
const explicit = path.join(dir, 'explicit-chrome');
const playwright = path.join(dir, 'playwright-chrome');
const debian = path.join(dir, 'debian-chromium');
const shell = path.join(dir, 'debian-headless-shell');
const missing = path.join(dir, 'missing');

// The project is fully parallel: each test is a group of its own, with its own beforeAll/afterAll,
// in a worker that loaded this file once. So the files are made before every group and removed
// after it, not once at load (a worker's second test would find them gone).
test.beforeAll(() => {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of [explicit, playwright, debian, shell]) fs.writeFileSync(file, '');
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const INSTALL_HINT =
  ': run `apt-get install -y chromium-headless-shell` (Debian) or `npx playwright install chromium`, or set CHROMIUM_PATH';

interface Row {
  title: string;
  env: NodeJS.ProcessEnv;
  playwright: string | null;
  debian: string;
  /** Debian's headless shell; absent unless a row gives one. */
  shell?: string;
  headless?: boolean;
}
const where = (row: Row) => ({ playwright: row.playwright, debian: row.debian, debianHeadlessShell: row.shell ?? `${missing}-shell` });

const found: (Row & { expected: string })[] = [
  { title: 'CHROMIUM_PATH wins over every fallback', env: { CHROMIUM_PATH: explicit }, playwright, debian, shell, expected: explicit },
  { title: "Playwright's download comes before Debian's", env: {}, playwright, debian, shell, expected: playwright },
  { title: "Debian's headless shell before its full binary, for a headless run", env: {}, playwright: missing, debian, shell, expected: shell },
  { title: "Debian's full binary for a headed run, the shell present", env: {}, playwright: missing, debian, shell, headless: false, expected: debian },
  { title: "Debian's full binary when Playwright's is absent", env: {}, playwright: missing, debian, expected: debian },
  { title: "Debian's full binary when Playwright names none", env: {}, playwright: null, debian, expected: debian },
  { title: 'an empty CHROMIUM_PATH counts as unset', env: { CHROMIUM_PATH: '  ' }, playwright: missing, debian, expected: debian },
];
for (const row of found) {
  test(`resolves: ${row.title}`, () => {
    expect(resolveChromium(row.env, where(row), { headless: row.headless })).toBe(row.expected);
  });
}

const failing: (Row & { message: string; checked: string[] })[] = [
  {
    title: 'CHROMIUM_PATH names a missing file, even with fallbacks present',
    env: { CHROMIUM_PATH: missing },
    playwright,
    debian,
    message: `CHROMIUM_PATH=${missing} does not exist or is not a file: fix or unset CHROMIUM_PATH`,
    checked: [missing],
  },
  {
    title: 'CHROMIUM_PATH names a directory',
    env: { CHROMIUM_PATH: dir },
    playwright,
    debian,
    message: `CHROMIUM_PATH=${dir} does not exist or is not a file: fix or unset CHROMIUM_PATH`,
    checked: [dir],
  },
  {
    title: 'nothing anywhere',
    env: {},
    playwright: missing,
    debian: `${missing}-2`,
    message: `No Chromium found (looked at ${missing}, ${missing}-shell, ${missing}-2)${INSTALL_HINT}`,
    checked: [missing, `${missing}-shell`, `${missing}-2`],
  },
  {
    title: 'nothing for a headed run: the headless shell does not count, and the hint names the full build',
    env: {},
    playwright: missing,
    debian: `${missing}-2`,
    shell,
    headless: false,
    message: `No Chromium found (looked at ${missing}, ${missing}-2): run \`apt-get install -y chromium\` (Debian) or \`npx playwright install chromium\`, or set CHROMIUM_PATH`,
    checked: [missing, `${missing}-2`],
  },
];
// ensureChromium (repro's check before the run) says yes exactly when resolveChromium finds one,
// and fails with the same error when it finds none.
for (const row of found.filter((r) => r.headless !== false)) {
  test(`there is a browser: ${row.title}`, () => {
    expect(() => ensureChromium(row.env, where(row))).not.toThrow();
  });
}
test("there is a browser: Playwright's download alone", () => {
  expect(() => ensureChromium({}, { playwright, debian: missing, debianHeadlessShell: missing })).not.toThrow();
});
test("there is a browser: Debian's headless shell alone", () => {
  expect(() => ensureChromium({}, { playwright: missing, debian: missing, debianHeadlessShell: shell })).not.toThrow();
});

const checks = [
  ['resolveChromium', resolveChromium],
  ['ensureChromium', ensureChromium],
] as const;
for (const row of failing) for (const [name, check] of checks) {
  // ensureChromium answers for a headless run only.
  if (name === 'ensureChromium' && row.headless === false) continue;
  test(`fails (${name}): ${row.title}`, () => {
    let error: unknown;
    try {
      if (name === 'resolveChromium') resolveChromium(row.env, where(row), { headless: row.headless });
      else check(row.env, where(row));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    const e = error as BrowserNotFoundError;
    expect(e.code).toBe('ERR_NO_BROWSER');
    expect(e.name).toBe('BrowserNotFoundError');
    expect(e.message).toBe(row.message);
    expect(e.message).not.toContain('\n');
    expect(e.checked).toEqual(row.checked);
  });
}

test('defaults: the real locations, in order, on this machine', () => {
  const downloaded = chromium.executablePath();
  const debian = [DEBIAN_HEADLESS_SHELL, DEBIAN_CHROMIUM].find((p) => fs.existsSync(p));
  const expected = fs.existsSync(downloaded) ? downloaded : debian;
  test.skip(!expected, 'no Chromium on this machine: the suite cannot run here either');
  expect(resolveChromium({})).toBe(expected);
});

test('scripts/find-chromium.sh (the lookup before node_modules exists) finds what resolveChromium finds', () => {
  const script = path.join(__dirname, '..', '..', '..', 'scripts', 'find-chromium.sh');
  expect(fs.readFileSync(script, 'utf8')).toContain(`${DEBIAN_HEADLESS_SHELL} ${DEBIAN_CHROMIUM}`);
  const found = execFileSync('sh', [script], { encoding: 'utf8', env: { ...process.env, CHROMIUM_PATH: '' } }).trim();
  expect(fs.realpathSync(found)).toBe(fs.realpathSync(resolveChromium({ ...process.env, CHROMIUM_PATH: '' })));
});
