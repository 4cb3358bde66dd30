// scripts/launch.cjs, as package.json's scripts use it: the operator scripts from their esbuild
// bundle must say and do exactly what they say and do through tsx (its fallback), paths included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cleanEnv, ROOT, runScript } from '../support/run-script';

const LAUNCH = path.join(ROOT, 'scripts', 'launch.cjs');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'ws-auth-repro');

/** Commands whose answers depend on paths the sources compute from __dirname (environments/, Allure's CLI). */
const COMMANDS: Array<{ title: string; argv: string[] }> = [
  { title: 'repro --help', argv: ['repro', '--help'] },
  // environments/load.ts lists the environments beside it: the bundle must find the same folder.
  { title: 'repro --project=nope (lists the environments it has)', argv: ['repro', '--project=nope'] },
  // report.ts finds Allure's CLI from node_modules; with no results it says so, exit 2.
  { title: 'report with no allure-results', argv: ['report'] },
  { title: 'open --project=nope', argv: ['open', '--project=nope'] },
];

for (const { title, argv } of COMMANDS) {
  test(`${title}: the same exit code and output from the bundle as through tsx`, async () => {
    const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launch-'));
    const env = cleanEnv({ REPORTS_DIR: reportsDir });
    const bundled = await runScript(process.execPath, [LAUNCH, ...argv], env, 30_000);
    const tsx = await runScript(process.execPath, [LAUNCH, ...argv], { ...env, WS_AUTH_REPRO_NO_BUNDLE: '1' }, 30_000);
    expect(bundled.stdout.length + bundled.stderr.length, 'the command printed something').toBeGreaterThan(0);
    expect({ code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({ code: tsx.code, stdout: tsx.stdout, stderr: tsx.stderr });
  });
}

test('one bundle per state of the sources, built once and then reused as it is', async () => {
  const env = cleanEnv({ REPORTS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'launch-')) });
  const first = await runScript(process.execPath, [LAUNCH, 'repro', '--help'], env, 30_000);
  expect(first.code, first.stderr).toBe(0);
  const bundles = () => fs.readdirSync(CACHE_DIR).filter((f) => /^repro-[0-9a-f]{16}\.cjs$/.test(f));
  // Older bundles may remain for up to an hour; the newest is this checkout's.
  const newest = bundles().sort((a, b) => fs.statSync(path.join(CACHE_DIR, b)).mtimeMs - fs.statSync(path.join(CACHE_DIR, a)).mtimeMs)[0];
  expect(newest).toBeDefined();
  const stamp = fs.statSync(path.join(CACHE_DIR, newest as string)).mtimeMs;
  const second = await runScript(process.execPath, [LAUNCH, 'repro', '--help'], env, 30_000);
  expect(second.code).toBe(0);
  expect(fs.statSync(path.join(CACHE_DIR, newest as string)).mtimeMs).toBe(stamp);
});

test('an unknown script name: one line naming the ones it runs, exit 2', async () => {
  const run = await runScript(process.execPath, [LAUNCH, 'deploy'], cleanEnv({}), 30_000);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe('launch: expected one of repro, report, open (got "deploy")\n');
});

test('a launcher that cannot start its script exits 2 (a suite error, never "target failing") and says so', async () => {
  // A copy beside no sources and no node_modules: no bundle can be built, and tsx cannot be found.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'launch-alone-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync(LAUNCH, path.join(root, 'scripts', 'launch.cjs'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'compile-cache.cjs'), path.join(root, 'scripts', 'compile-cache.cjs'));
  const run = await runScript(process.execPath, [path.join(root, 'scripts', 'launch.cjs'), 'repro'], cleanEnv({}), 30_000);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^launch: could not start repro: Error: Cannot find module 'tsx\/cjs\/api'/);
});
