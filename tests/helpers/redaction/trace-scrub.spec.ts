// A real Chromium trace of a page whose WebSocket offers the token as a subprotocol: Playwright
// writes the upgrade's headers into trace.network. After scrubTrace no entry holds the token in
// any form, its fingerprint is there instead, and every other entry is byte for byte the same.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { SignJWT } from 'jose';
import { WebSocketServer } from 'ws';
import yauzl from 'yauzl';
import { createRedactor } from '../../../helpers/redaction/redaction';
import { scrubTrace } from '../../../helpers/redaction/trace-scrub';

const SECRET = 'trace-scrub-test-secret-0123456789abcdef';

// The test records its own trace; the config's `trace` mode would already have started one on the context.
test.use({ trace: 'off' });

async function entries(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(fs.readFileSync(file), { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return out;
}

test('a browser trace keeps the handshake, not the token it carried', async ({ browser }, testInfo) => {
  const token = await new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(SECRET));
  const subprotocol = `jwt.${Buffer.from(token).toString('base64url')}`;
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<script>const ws = new WebSocket('ws://' + location.host + '/ws', ['jwt-auth', localStorage.getItem('t')]);
      ws.onopen = () => { document.title = 'open'; };</script>`);
  });
  const wss = new WebSocketServer({ server, handleProtocols: () => 'jwt-auth' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ storageState: { cookies: [], origins: [{ origin, localStorage: [{ name: 't', value: subprotocol }] }] } });
  const tracePath = testInfo.outputPath('trace.zip');
  try {
    await context.tracing.start({ screenshots: true, snapshots: true });
    const page = await context.newPage();
    await page.goto(origin);
    await expect(page).toHaveTitle('open');
    await context.tracing.stop({ path: tracePath });
  } finally {
    await context.close();
    wss.close();
    await new Promise((resolve) => server.close(resolve));
  }

  const before = await entries(tracePath);
  const network = before.get('trace.network')?.toString('utf8') ?? '';
  // The premise: Playwright does write the token into the trace.
  expect(network).toContain(subprotocol);

  const redactor = createRedactor([SECRET]);
  const result = await scrubTrace(tracePath, (text) => redactor.redact(text));
  const after = await entries(tracePath);

  expect([...after.keys()]).toEqual([...before.keys()]);
  expect(result).toEqual({ entries: before.size, changed: 1 });
  for (const [name, data] of after) {
    const text = data.toString('latin1');
    for (const form of [token, token.split('.').slice(0, 2).join('.'), subprotocol]) expect(text, name).not.toContain(form);
    if (name !== 'trace.network') expect(data.equals(before.get(name) as Buffer), `${name} unchanged`).toBe(true);
  }
  expect(after.get('trace.network')?.toString('utf8')).toContain(`jwt.${redactor.fingerprint(token)}`);
});
