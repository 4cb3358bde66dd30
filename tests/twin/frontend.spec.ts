// The twin's chat page in real Chromium: it reads the token from localStorage, offers the
// browser subprotocols, shows its status, echoes a chat message, and logs like the real one.
import { type Browser, expect, test } from '@playwright/test';
import { mintJwt } from '../../twin/jwt';
import { type RunningTwin, startTwin } from '../../twin/start';
import { JWT, twinOptions } from './support/settings';

async function openChat(browser: Browser, twin: RunningTwin, token: string | null) {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: token ? [{ origin: twin.frontendUrl, localStorage: [{ name: 'jwt_token', value: token }] }] : [] },
  });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  const sockets: string[][] = [];
  page.on('websocket', (ws) => sockets.push([ws.url()]));
  await page.goto(twin.frontendUrl);
  return { context, page, consoleLines, sockets };
}

test.describe('healthy twin', () => {
  let twin: RunningTwin;
  const twinLog: string[] = [];
  test.beforeAll(async () => {
    twin = await startTwin(twinOptions({ log: (line) => twinLog.push(line) }));
  });
  test.afterAll(async () => twin.stop());

  test('with a token the page connects and a chat message comes back from the server', async ({ browser }) => {
    const token = await mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
    const { context, page, consoleLines, sockets } = await openChat(browser, twin, token);
    try {
      await expect(page.locator('#connection-status')).toHaveText('connected');
      await page.locator('#message-input').fill('hello from chromium');
      await page.locator('#send-button').click();
      await expect(page.locator('#messages li')).toHaveText(['hello from chromium']);
      expect({ errors: consoleLines.filter((l) => l.startsWith('error')), twinLog: twinLog.filter((l) => l.includes('refused')) }).toEqual({ errors: [], twinLog: [] });
      expect(sockets).toEqual([[twin.wsUrl]]);
      expect(consoleLines.filter((l) => l.includes(token))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('without a token the page logs the skip line and opens no socket', async ({ browser }) => {
    const { context, page, consoleLines, sockets } = await openChat(browser, twin, null);
    try {
      await expect(page.locator('#connection-status')).toHaveText('no token');
      expect(consoleLines).toEqual(['warning: WebSocket connection skipped - no token available']);
      expect(sockets).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

test('origin-rejected: the browser is refused with 403 and the page logs the error and close 1006', async ({ browser }) => {
  const twin = await startTwin(twinOptions({ fault: 'origin-rejected' }));
  try {
    const token = await mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
    const { context, page, consoleLines } = await openChat(browser, twin, token);
    try {
      await expect.poll(() => consoleLines.find((l) => l.includes('Unexpected response code'))).toContain('Unexpected response code: 403');
      await expect.poll(() => consoleLines.filter((l) => l.startsWith('error: WebSocket '))).toEqual(
        expect.arrayContaining(['error: WebSocket error occurred', 'error: WebSocket connection closed {"code":1006,"reason":""}']),
      );
      await expect(page.locator('#connection-status')).not.toHaveText(/^connect/);
    } finally {
      await context.close();
    }
  } finally {
    await twin.stop();
  }
});

test('accept-then-close: the page logs the authentication failure and stops after 3 auth retries', async ({ browser }) => {
  const twin = await startTwin(twinOptions({ fault: 'accept-then-close' }));
  try {
    const token = await mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
    const { context, page, consoleLines, sockets } = await openChat(browser, twin, token);
    try {
      await expect.poll(() => consoleLines.filter((l) => l === 'error: WebSocket authentication failed').length, { timeout: 8000 }).toBe(4);
      await expect(page.locator('#connection-status')).toHaveText('auth failed');
      expect(sockets).toHaveLength(4);
    } finally {
      await context.close();
    }
  } finally {
    await twin.stop();
  }
});
