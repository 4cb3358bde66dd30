import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { cleanEnv, ROOT, runScript } from '../support/run-script';

const SCRIPT = path.join(ROOT, 'scripts', 'ensure-installed.sh');
const HINT = 'run `sudo apt-get install -y chromium-headless-shell` (Debian) or `npx playwright install chromium`, or set CHROMIUM_PATH.';
/** No browser on PATH, no Playwright download: only what the script is told. */
const BARE = { PATH: '/usr/bin:/bin', HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-home-')) };

test.describe('ensure-installed.sh', () => {
  test('CHROMIUM_PATH naming a missing file: exit 2 and the one line', async () => {
    const missing = path.join(BARE.HOME, 'no-such-chromium');
    const run = await runScript('sh', [SCRIPT], cleanEnv({ ...BARE, CHROMIUM_PATH: missing }));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`No Chromium found at CHROMIUM_PATH=${missing}: ${HINT}\n`);
    expect(run.stdout).toBe('');
  });

  test('CHROMIUM_PATH naming an executable: exit 0, silent, no npm ci', async () => {
    const fake = path.join(BARE.HOME, 'chrome');
    fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    const run = await runScript('sh', [SCRIPT], cleanEnv({ ...BARE, CHROMIUM_PATH: fake }));
    expect(run).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
  });

  test("Playwright's own download is found through PLAYWRIGHT_BROWSERS_PATH", async () => {
    const browsers = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-browsers-'));
    const chrome = path.join(browsers, 'chromium-1200', 'chrome-linux', 'chrome');
    fs.mkdirSync(path.dirname(chrome), { recursive: true });
    fs.writeFileSync(chrome, '#!/bin/sh\n', { mode: 0o755 });
    const run = await runScript('sh', [SCRIPT], cleanEnv({ ...BARE, PLAYWRIGHT_BROWSERS_PATH: browsers }));
    expect(run).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
  });
});
