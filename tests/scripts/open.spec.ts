// `npm run open`: the manual reproduction. Headless, it proves the chat page opened with the
// suite's token in localStorage (same fingerprint) and its socket connected; bad input is one
// line and exit 2.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cleanEnv, ROOT, runScript } from '../support/run-script';

/** As package.json's "open" script starts it. */
const LAUNCH = path.join(ROOT, 'scripts', 'launch.cjs');
const open = (args: string[], env: Record<string, string> = {}) => runScript(process.execPath, [LAUNCH, 'open', ...args], cleanEnv(env), 60_000);

test('headless against the twin: the token is in place and the socket connects, exit 0', async () => {
  const run = await open(['--project=local', '--headless']);
  expect(run.code, run.stderr).toBe(0);
  const injected = run.stdout.match(/localStorage\["jwt_token"\] = token (‹fp:[0-9a-f]{8}›)/)?.[1];
  expect(injected).toBeTruthy();
  expect(run.stdout).toContain(`open: page localStorage holds ${injected} (matches)`);
  expect(run.stdout).toMatch(/open: socket connected: ws:\/\/127\.0\.0\.1:\d+\/ws/);
  // The token itself never: only its fingerprint.
  expect(run.stdout + run.stderr).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
});

test('over TLS (the twin with its own CA): the browser trusts it as the suite does, and the wss socket connects', async () => {
  const run = await open(['--project=local', '--headless'], { TWIN_TLS: '1' });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/open: socket connected: wss:\/\/127\.0\.0\.1:\d+\/ws/);
});

test('an unknown environment: one line, exit 2', async () => {
  const run = await open(['--project=nope', '--headless']);
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('no environment "nope"')]);
});

test('no browser: one line, exit 2', async () => {
  const run = await open(['--headless'], { CHROMIUM_PATH: path.join(ROOT, 'no-such-chromium') });
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('CHROMIUM_PATH=')]);
});
