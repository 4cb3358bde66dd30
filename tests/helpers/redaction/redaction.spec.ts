import { test, expect } from '@playwright/test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createRedactor, fingerprint, MIN_SECRET_LENGTH, SecretTooShortError } from '../../../helpers/redaction/redaction';

const SECRET = 'twin-jwt-secret-0123456789abcdefghij';
const BYPASS = 'bypass-key-5f3a9c';
const SPECIAL = 'p@ss word&key=1/2+3';
const b64url = (s: string) => Buffer.from(s).toString('base64url');
// Built at run time so no JWT-shaped literal sits in the repository (same value as a literal).
const JWT = [b64url('{"alg":"HS256","typ":"JWT"}'), b64url('{"sub":"user-1","aud":"netra-platform"}'), 'c2lnbmF0dXJlLWJ5dGVz_-x'].join('.');
const ALG_NONE = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const fp = fingerprint;

const redactor = createRedactor([SECRET, BYPASS, SPECIAL]);

/** [what, input, expected output] — one pattern a row. */
const rows: Array<[string, string, string]> = [
  ['a known secret', `secret is ${SECRET}.`, `secret is ${fp(SECRET)}.`],
  ['a known secret in base64', `x ${b64(SECRET)} y`, `x ${fp(SECRET)} y`],
  ['a known secret in base64url', `x ${b64url(SECRET)} y`, `x ${fp(SECRET)} y`],
  ['a known secret URL-encoded', `?k=${encodeURIComponent(SPECIAL)}&n=1`, `?k=${fp(SPECIAL)}&n=1`],
  ['a JWT anywhere', `token ${JWT} end`, `token ${fp(JWT)} end`],
  ['an alg:none JWT (empty signature)', `got ${ALG_NONE} here`, `got ${fp(ALG_NONE)} here`],
  ['an alg:none JWT at a sentence end', `got ${ALG_NONE}`, `got ${fp(ALG_NONE)}`],
  ['a base64url JWT on its own', `x ${b64url(JWT)} y`, `x ${fp(JWT)} y`],
  ['the jwt. subprotocol entry', `sec-websocket-protocol: jwt-auth, jwt.${b64url(JWT)}`, `sec-websocket-protocol: jwt-auth, jwt.${fp(JWT)}`],
  ['the jwt-auth. subprotocol entry', `jwt-auth.${JWT}`, `jwt-auth.${fp(JWT)}`],
  ['the bearer. subprotocol entry (opaque)', 'bearer.opaque-token-42, x', `bearer.${fp('opaque-token-42')}, x`],
  ['Authorization: Bearer', `Authorization: Bearer ${JWT}`, `Authorization: Bearer ${fp(JWT)}`],
  ['Authorization: Basic', 'authorization: Basic dXNlcjpwYXNzd29yZA==', `authorization: Basic ${fp('dXNlcjpwYXNzd29yZA==')}`],
  ['Authorization without a scheme', 'Authorization: opaque-token-42', `Authorization: ${fp('opaque-token-42')}`],
  ['Authorization as a JSON key', '{"authorization":"Bearer opaque-token-42"}', `{"authorization":"Bearer ${fp('opaque-token-42')}"}`],
  ['bare Bearer', 'sent Bearer opaque-token-42 to it', `sent Bearer ${fp('opaque-token-42')} to it`],
  ['Cookie pairs', 'Cookie: sid=abc123; theme=dark', `Cookie: sid=${fp('abc123')}; theme=${fp('dark')}`],
  ['Set-Cookie value, attributes kept', 'Set-Cookie: sid=xyz987; Path=/; HttpOnly', `Set-Cookie: sid=${fp('xyz987')}; Path=/; HttpOnly`],
  ['X-Service-Secret', 'X-Service-Secret: some-service-secret', `X-Service-Secret: ${fp('some-service-secret')}`],
  ['X-E2E-Bypass-Key (known)', `x-e2e-bypass-key: ${BYPASS}`, `x-e2e-bypass-key: ${fp(BYPASS)}`],
  ['X-E2E-Bypass-Key (unknown)', '"X-E2E-Bypass-Key":"other-key-1"', `"X-E2E-Bypass-Key":"${fp('other-key-1')}"`],
  ['JSON access_token', '{"access_token":"opaque-1","token_type":"Bearer","expires_in":900}', `{"access_token":"${fp('opaque-1')}","token_type":"Bearer","expires_in":900}`],
  ['JSON refresh_token', '{"refresh_token": "r-2"}', `{"refresh_token": "${fp('r-2')}"}`],
  ['JSON token', '{"token":"t-3","token_type":"access"}', `{"token":"${fp('t-3')}","token_type":"access"}`],
  ['JSON password', '{"email":"a@example.com","password":"hunter2!"}', `{"email":"a@example.com","password":"${fp('hunter2!')}"}`],
  ['JSON secret', '{"secret":"s-4"}', `{"secret":"${fp('s-4')}"}`],
  ['a token query parameter', 'wss://api.example.com/ws?room=7&token=opaque-5', `wss://api.example.com/ws?room=7&token=${fp('opaque-5')}`],
];

/** Text that must come out exactly as it went in. */
const ordinary = [
  'wss://api.staging.example.com/ws?room=42&lang=en',
  'HTTP 403 Forbidden in 12 ms, Server uvicorn, body {"detail":"WebSocket authentication failed"}',
  'Error during WebSocket handshake: Unexpected response code: 403',
  'The bearer of this letter; Bearer authentication is required; see jwt.io',
  'sec-websocket-protocol: jwt-auth',
  '{"token_type":"Bearer","expires_in":900,"valid":false,"error":"invalid_token"}',
  'Verdict [authorization-header-stripped] at edge: something strips Authorization (X-Service-ID / X-Service-Secret).',
  '2026-01-01T00:00:00.000Z 1234567890 3.14159 9f86d081-884c-4d63-9c8e-6a5c3f1e0a2b',
  'Cookie handling: none',
  '{"password":""}',
];

test.describe('redact: one row per pattern', () => {
  for (const [what, input, output] of rows) {
    test(what, () => {
      expect(redactor.redact(input)).toBe(output);
    });
  }
});

test.describe('redact: ordinary text is left alone', () => {
  for (const text of ordinary) test(text.slice(0, 60), () => expect(redactor.redact(text)).toBe(text));
});

test('redact is idempotent on every row', () => {
  for (const [, input] of rows) {
    const once = redactor.redact(input);
    expect(redactor.redact(once), input).toBe(once);
  }
});

test('a secret that is hex never matches inside an earlier fingerprint', () => {
  const r = createRedactor(['abcdef', 'my-secret-token']);
  const once = r.redact('my-secret-token and abcdef');
  expect(once).toBe(`${fp('my-secret-token')} and ${fp('abcdef')}`);
  // Whatever hex the fingerprints hold, a second pass changes nothing.
  const hexInside = createRedactor([fp('my-secret-token').slice(4, 10)]);
  expect(hexInside.redact(once)).toBe(once);
});

test('a known secret inside JSON, escaped', () => {
  const quoted = 'q"uo\\te-secret';
  const r = createRedactor([quoted]);
  expect(r.redact(JSON.stringify({ k: quoted }))).toBe(`{"k":"${fp(quoted)}"}`);
});

test('a real jose-signed JWT and its base64url form in the subprotocol header', async () => {
  const key = new TextEncoder().encode(SECRET);
  const jwt = await new SignJWT({ token_type: 'access', email: 'qa@example.com' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('user-7')
    .setIssuer('netra-auth-service')
    .setAudience('netra-platform')
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(key);
  const headers = `GET /ws HTTP/1.1\r\nSec-WebSocket-Protocol: jwt-auth, jwt.${b64url(jwt)}\r\nAuthorization: Bearer ${jwt}\r\n`;
  const out = redactor.redact(headers);
  expect(out).toBe(`GET /ws HTTP/1.1\r\nSec-WebSocket-Protocol: jwt-auth, jwt.${fp(jwt)}\r\nAuthorization: Bearer ${fp(jwt)}\r\n`);
  for (const part of jwt.split('.')) expect(out).not.toContain(part);
  expect(out).not.toContain(b64url(jwt).slice(0, 20));
});

test('a jose alg:none token is caught by its shape alone', () => {
  const token = new UnsecuredJWT({ sub: 'user-7', token_type: 'access' }).setIssuedAt().setExpirationTime('30m').encode();
  expect(token.endsWith('.')).toBe(true);
  expect(redactor.redact(`forged: ${token}`)).toBe(`forged: ${fp(token)}`);
});

test('remember() adds forged tokens, with all their encodings', () => {
  const r = createRedactor([SECRET]);
  const forged = 'not-a-jwt';
  expect(r.redact(`t=${forged}`)).toBe(`t=${forged}`);
  r.remember(forged);
  r.remember('');
  expect(r.redact(`t=${forged} b=${b64url(forged)}`)).toBe(`t=${fp(forged)} b=${fp(forged)}`);
});

test('fingerprints are stable, short and differ between tokens', () => {
  expect(fp(JWT)).toMatch(/^‹fp:[0-9a-f]{8}›$/);
  expect(fp(JWT)).toBe(fp(JWT));
  expect(createRedactor([]).fingerprint(JWT)).toBe(fp(JWT));
  expect(fp(JWT)).not.toBe(fp(ALG_NONE));
  // sha256("abc") starts ba7816bf.
  expect(fp('abc')).toBe('‹fp:ba7816bf›');
});

test.describe('createRedactor refuses secrets too short to scrub', () => {
  for (const short of ['', 'a', 'abcde']) {
    test(`${short.length} characters`, () => {
      let thrown: unknown;
      try {
        createRedactor(['long-enough-secret', short]);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(SecretTooShortError);
      const err = thrown as SecretTooShortError;
      expect(err.code).toBe('ERR_SECRET_TOO_SHORT');
      expect(err.message).toBe(
        `redaction: a secret of ${short.length} character(s) is too short to scrub safely (minimum ${MIN_SECRET_LENGTH}); use a longer secret`,
      );
    });
  }
  test('remember() applies the same rule', () => {
    expect(() => createRedactor([]).remember('abc')).toThrow(SecretTooShortError);
  });
  test(`${MIN_SECRET_LENGTH} characters are accepted`, () => {
    expect(createRedactor(['abc123']).redact('x abc123 y')).toBe(`x ${fp('abc123')} y`);
  });
});

test.describe('redactDeep', () => {
  test('walks records: strings, arrays, header maps, and secret-holding keys', () => {
    const record = {
      channel: 'raw',
      status: 403,
      ok: false,
      nothing: null,
      requestHeaders: {
        Authorization: 'Bearer opaque-token-42',
        'X-Service-Secret': 'svc',
        cookie: 'sid=abc123',
        'sec-websocket-protocol': `jwt-auth, jwt.${b64url(JWT)}`,
      },
      offeredSubprotocols: ['jwt-auth', `jwt.${b64url(JWT)}`],
      frames: [{ direction: 'received', atMs: 3, data: `{"access_token":"${JWT}"}` }],
      env: { JWT_SECRET: 'whatever-it-is', password: 'pw' },
    };
    const copy = structuredClone(record);
    const out = redactor.redactDeep(record);
    expect(out).toEqual({
      channel: 'raw',
      status: 403,
      ok: false,
      nothing: null,
      requestHeaders: {
        Authorization: `Bearer ${fp('opaque-token-42')}`,
        'X-Service-Secret': fp('svc'),
        cookie: `sid=${fp('abc123')}`,
        'sec-websocket-protocol': `jwt-auth, jwt.${fp(JWT)}`,
      },
      offeredSubprotocols: ['jwt-auth', `jwt.${fp(JWT)}`],
      frames: [{ direction: 'received', atMs: 3, data: `{"access_token":"${fp(JWT)}"}` }],
      env: { JWT_SECRET: fp('whatever-it-is'), password: fp('pw') },
    });
    expect(record, 'the input is not mutated').toEqual(copy);
    expect(redactor.redactDeep(out), 'idempotent').toEqual(out);
  });

  test('redacts keys that hold a secret', () => {
    expect(redactor.redactDeep({ [JWT]: 1, [SECRET]: 'x' })).toEqual({ [fp(JWT)]: 1, [fp(SECRET)]: 'x' });
  });

  test('leaves non-plain objects alone', () => {
    const buf = Buffer.from('binary');
    expect(redactor.redactDeep({ buf }).buf).toBe(buf);
  });
});

test('a text redacted before remember() is redacted again after it (the cache is not stale)', () => {
  const r = createRedactor([]);
  const token = 'not-a-jwt-but-a-forged-token';
  const line = `malformed token: ${token}`;
  expect(r.redact(line)).toBe(line);
  r.remember(token);
  expect(r.redact(line)).toBe(`malformed token: ${fingerprint(token)}`);
});
