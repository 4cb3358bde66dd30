import { expect, test } from '@playwright/test';
import { REFUSAL_BODY } from '../../twin/backend';
import { mintJwt } from '../../twin/jwt';
import { type RunningTwin, startTwin } from '../../twin/start';
import { getJson, JWT, twinOptions } from './support/settings';
import { browserProtocols, handshake } from './support/ws-client';

let twin: RunningTwin;
let token: string;
test.beforeAll(async () => {
  twin = await startTwin(twinOptions());
  token = await mintJwt(JWT, { sub: 'user-1', email: 'u1@example.com', permissions: ['read'], lifetimeSeconds: 600 });
});
test.afterAll(async () => twin.stop());

const chat = JSON.stringify({ type: 'user_message', payload: { content: 'hello twin' } });

test('a valid token via subprotocols connects: jwt-auth echoed, welcome frame, echo round trip', async () => {
  const out = await handshake(twin.wsUrl, { protocols: browserProtocols(token), send: chat });
  expect([out.kind, out.status, out.protocol, out.headers.server]).toEqual(['open', 101, 'jwt-auth', 'uvicorn']);
  expect(JSON.parse(out.frames[0] ?? '{}')).toMatchObject({ type: 'connection_established', payload: { user_id: 'user-1' } });
  expect(JSON.parse(out.frames[1] ?? '{}')).toEqual({ type: 'agent_response', payload: { content: 'hello twin' } });
  expect(out.close).toEqual({ code: 1000, reason: '' });
});

test('a valid token via Authorization: Bearer connects without subprotocols', async () => {
  const out = await handshake(twin.wsUrl, { headers: { authorization: `Bearer ${token}` } });
  expect([out.kind, out.status, out.protocol]).toEqual(['open', 101, '']);
  expect(JSON.parse(out.frames[0] ?? '{}').type).toBe('connection_established');
});

const subprotocolRows: Array<[string, (t: string) => string[], string]> = [
  ['jwt-auth.<raw token>', (t) => ['jwt-auth', `jwt-auth.${t}`], 'jwt-auth'],
  ['bearer.<base64url token>', (t) => ['bearer', `bearer.${Buffer.from(t).toString('base64url')}`], 'bearer'],
];
for (const [name, protocols, echoed] of subprotocolRows) {
  test(`a valid token in a ${name} entry connects and ${echoed} is echoed`, async () => {
    const out = await handshake(twin.wsUrl, { protocols: protocols(token) });
    expect([out.kind, out.protocol]).toEqual(['open', echoed]);
  });
}

test('offered subprotocols the server does not speak: 101 with no subprotocol echoed', async () => {
  const out = await handshake(twin.wsUrl, { protocols: ['chat.v2'], headers: { authorization: `Bearer ${token}` } });
  // ws aborts its own handshake when the server echoes nothing; the twin accepted (101) first.
  expect([out.status, out.error?.message]).toEqual([101, 'Server sent no subprotocol']);
});

const refusedRows: Array<[string, () => { protocols?: string[]; headers?: Record<string, string> }]> = [
  ['a garbage token', () => ({ protocols: browserProtocols('abc.def.ghi') })],
  ['no token at all', () => ({})],
  ['a token in the query string (not a transport here)', () => ({})],
];
for (const [name, opts] of refusedRows) {
  test(`${name} is refused before accept: HTTP 403 with the app's JSON body`, async () => {
    const url = name.includes('query') ? `${twin.wsUrl}?token=${token}` : twin.wsUrl;
    const out = await handshake(url, opts());
    expect([out.kind, out.status, out.headers.server, out.headers['content-type'], out.body]).toEqual(['refused', 403, 'uvicorn', 'application/json', REFUSAL_BODY]);
  });
}

test('health and dependencies status: the Auth Service check is listed and healthy', async () => {
  expect((await getJson(`${twin.backendUrl}/health`)).status).toBe(200);
  const deps = await getJson(`${twin.backendUrl}/api/system/dependencies/status`);
  expect(deps.json.checks).toEqual([expect.objectContaining({ name: 'Auth Service', status: 'healthy', healthy: true, url: `${twin.authUrl}/health` })]);
});
