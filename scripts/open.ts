// `npm run open -- --project=<env>`: manual reproduction. Opens the env's chat page in Chromium
// with a valid token in localStorage, exactly as the suite does (same env loading, same twin
// start, same token source, token through storageState), prints what it injected (the token's
// fingerprint only) and leaves the browser to the operator until it is closed or Ctrl-C.
//
//   --project=NAME   environment (environments/NAME.env); default local (the embedded twin)
//   --headless       no window: check the page holds the token and its socket connects, then exit
// Exit: 0 done (headless: token in place and socket connected), 1 the socket did not connect,
//       2 bad input (unknown env, broken env file, no browser, no token).
import { parseArgs } from 'node:util';
import { type Browser, chromium } from '@playwright/test';
import { EnvironmentError, type LoadedEnvironment, loadEnvironment } from '../environments/load';
import { BrowserNotFoundError, resolveChromium } from '../helpers/target/browser-path';
import { twinEnvFor } from '../helpers/fixtures/target-fixtures';
import { createRedactor, fingerprint } from '../helpers/redaction/redaction';
import { resolveTarget } from '../helpers/target/resolve-target';
import { obtainToken } from '../helpers/tokens/token-sources';
import { type SpawnedTwin, spawnTwin } from '../twin/spawn';
import { trustArgs } from '../helpers/target/browser-trust';

export const USAGE = 'Usage: npm run open -- [--project=NAME] [--headless]';

/** A problem the operator fixes (not a crash): printed as one line, exit 2. */
class InputError extends Error {}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

function loadOrExplain(name: string): LoadedEnvironment {
  try {
    return loadEnvironment(name);
  } catch (error) {
    if (error instanceof EnvironmentError) throw new InputError(oneLine(error));
    throw error;
  }
}

function browserOrExplain(headless: boolean): string {
  try {
    return resolveChromium(process.env, {}, { headless });
  } catch (error) {
    if (error instanceof BrowserNotFoundError) throw new InputError(oneLine(error));
    throw error;
  }
}

/** Resolves when the operator closes the browser or presses Ctrl-C. */
function untilClosed(browser: Browser): Promise<void> {
  return new Promise((resolve) => {
    browser.once('disconnected', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { project: { type: 'string', short: 'p', default: 'local' }, headless: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = loadOrExplain(values.project);
  const executablePath = browserOrExplain(values.headless);
  let twin: SpawnedTwin | null = null;
  let browser: Browser | null = null;
  try {
    // The same twin the suite's worker starts for an embedded env; a staging is never started.
    if (env.settings.TWIN === 'embedded') twin = await spawnTwin(twinEnvFor(env));
    const target = resolveTarget(env.name, env.settings, twin ?? undefined);
    const redactor = createRedactor(target.secrets);
    const obtained = await obtainToken(target);
    if (!obtained.token) throw new InputError(`no token from ${obtained.fact.source}: ${redactor.redact(obtained.fact.problem ?? 'unknown problem')}`);
    redactor.remember(obtained.token);
    const key = target.settings.TOKEN_STORAGE_KEY;
    const pageUrl = new URL(target.settings.FRONTEND_CHAT_PATH, target.frontendUrl).href;

    // The same trust as the suite's browser: CA_FILE's certificates and the twin's published leaf.
    browser = await chromium.launch({ executablePath, headless: values.headless, args: ['--disable-gpu', ...trustArgs(target.ca, twin?.spki)] });
    const context = await browser.newContext({
      // The token enters as the suite's does: storageState, before any page script runs.
      storageState: { cookies: [], origins: [{ origin: new URL(target.frontendUrl).origin, localStorage: [{ name: key, value: obtained.token }] }] },
    });
    const page = await context.newPage();
    const budget = { timeout: target.settings.HANDSHAKE_BUDGET_MS };
    // The first frame is awaited from the moment the socket appears: the welcome frame may come before the checks below.
    const socket = page.waitForEvent('websocket', budget).then((ws) => ({ ws, frame: ws.waitForEvent('framereceived', budget).then(() => true, () => false) }));
    await page.goto(pageUrl, { waitUntil: 'domcontentloaded', timeout: target.settings.HTTP_TIMEOUT_MS });
    console.log(`open: ${env.name}: ${pageUrl}`);
    console.log(`open: localStorage["${key}"] = token ${fingerprint(obtained.token)} (source ${obtained.fact.source}${obtained.fact.expiresAt ? `, expires ${obtained.fact.expiresAt}` : ''})`);

    if (!values.headless) {
      socket.catch(() => undefined);
      console.log('open: close the browser window, or press Ctrl-C, to end.');
      await untilClosed(browser);
      return 0;
    }
    // Headless (the self-test): the token is in place, and the page's socket connects.
    const stored = await page.evaluate((k) => window.localStorage.getItem(k), key);
    const inPlace = stored !== null && fingerprint(stored) === fingerprint(obtained.token);
    console.log(`open: page localStorage holds ${stored === null ? 'no token' : fingerprint(stored)}${inPlace ? ' (matches)' : ' (DOES NOT match)'}`);
    const opened = await socket.catch(() => null);
    const ws = opened?.ws;
    const frame = opened ? await opened.frame : false;
    console.log(frame ? `open: socket connected: ${redactor.redact(ws?.url() ?? '')}` : 'open: the socket did not connect');
    return inPlace && frame ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await twin?.stop();
  }
}

/** The command: main, then exit with its code (scripts/launch.cjs calls this; so does running this file). */
export function cli(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const known = error instanceof InputError || (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_'));
      console.error(`open: ${known ? oneLine(error) : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}

if (require.main === module) cli(process.argv.slice(2));
