// The uvicorn-websockets flavour's frontend in real Chromium: a React-style page whose habits
// differ from the contract page's — without a token it still opens the socket, offering only
// `jwt-auth`, and the backend refuses it; with one it connects and chats.
import { type Browser, expect, test } from '@playwright/test';
import { mintJwt } from '../../twin/jwt';
import { type RunningTwin, startTwin } from '../../twin/start';
import { JWT, twinOptions } from './support/settings';

/** Opens the page and records, over CDP, the subprotocols each socket offered (the page cannot be asked). */
async function openServicePage(browser: Browser, twin: RunningTwin, token: string | null) {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: token ? [{ origin: twin.frontendUrl, localStorage: [{ name: 'jwt_token', value: token }] }] : [] },
  });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  const offered: string[] = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Network.webSocketWillSendHandshakeRequest', (event) => {
    const headers = event.request.headers as Record<string, string>;
    offered.push(headers['Sec-WebSocket-Protocol'] ?? headers['sec-websocket-protocol'] ?? '');
  });
  await cdp.send('Network.enable');
  await page.goto(twin.frontendUrl);
  return { context, page, consoleLines, offered };
}

test.describe('flavour uvicorn-websockets: the service page', () => {
  let twin: RunningTwin;
  const twinLog: string[] = [];
  test.beforeAll(async () => {
    twin = await startTwin(twinOptions({ flavour: 'uvicorn-websockets', log: (line) => twinLog.push(line) }));
  });
  test.afterAll(async () => twin.stop());

  test('without a token it opens the socket offering only jwt-auth, and the backend refuses it (missing token)', async ({ browser }) => {
    const { context, page, consoleLines, offered } = await openServicePage(browser, twin, null);
    try {
      await expect.poll(() => consoleLines.filter((l) => l.startsWith('warning: [WebSocketService] Disconnected {"code":1006')).length).toBeGreaterThan(0);
      expect(offered[0]).toBe('jwt-auth');
      expect(twinLog.filter((l) => l.includes('/ws refused with HTTP 403 (missing_token'))).not.toEqual([]);
      expect(consoleLines).toContain(`info: [WebSocketService] Connecting {"url":"${twin.wsUrl}","authenticated":false}`);
      await expect(page.locator('[data-testid="ws-status"]')).toHaveText(/^(Disconnected|Reconnecting…)$/);
      expect(consoleLines.filter((l) => l.includes('no token available'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('with a token it connects ("Connected") and a chat message comes back', async ({ browser }) => {
    const token = await mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
    const { context, page, consoleLines, offered } = await openServicePage(browser, twin, token);
    try {
      await expect(page.locator('[data-testid="ws-status"]')).toHaveText('Connected');
      expect(offered).toEqual([`jwt-auth, jwt.${Buffer.from(token).toString('base64url')}`]);
      await page.locator('[data-testid="chat-input"]').fill('hello from the service page');
      await page.locator('[data-testid="chat-send"]').click();
      await expect(page.locator('[data-testid="chat-messages"] li')).toHaveText(['hello from the service page']);
      expect(consoleLines.filter((l) => l.includes(token))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
