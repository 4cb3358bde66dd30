import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { envSchema } from '../../../environments/schema';
import { ProductionTargetError } from '../../../helpers/target/production-guard';
import { CaFileError, MissingEndpointError, resolveTarget, socketUrl, type TwinUrls } from '../../../helpers/target/resolve-target';

const SECRET = 'resolve-target-test-secret-000000001';
const STAGING = {
  TWIN: 'off',
  FRONTEND_URL: 'https://app.staging.example.com',
  BACKEND_URL: 'https://api.staging.example.com',
  AUTH_URL: 'https://auth.staging.example.com',
  JWT_SECRET: SECRET,
};
const settingsOf = (vars: Record<string, string>) => envSchema.parse(vars);
const TWIN: TwinUrls = {
  frontendUrl: 'http://127.0.0.1:40001',
  backendUrl: 'http://127.0.0.1:40002',
  authUrl: 'http://127.0.0.1:40003',
  wsUrl: 'ws://127.0.0.1:40002/ws',
  caPem: null,
};

const rows: Array<{ title: string; vars: Record<string, string>; twin?: TwinUrls; expected: Record<string, string> }> = [
  {
    title: 'staging URLs, ws from BACKEND_URL',
    vars: STAGING,
    expected: {
      frontendUrl: 'https://app.staging.example.com',
      backendUrl: 'https://api.staging.example.com',
      authUrl: 'https://auth.staging.example.com',
      wsUrl: 'wss://api.staging.example.com/ws',
      origin: 'https://app.staging.example.com',
    },
  },
  {
    title: 'http backend with a base path and custom WS_PATH, trailing slashes dropped',
    vars: { ...STAGING, FRONTEND_URL: 'http://app.dev.acme.io/', BACKEND_URL: 'http://api.dev.acme.io/v2/', WS_PATH: '/chat/socket' },
    expected: { frontendUrl: 'http://app.dev.acme.io', backendUrl: 'http://api.dev.acme.io/v2', wsUrl: 'ws://api.dev.acme.io/v2/chat/socket', origin: 'http://app.dev.acme.io' },
  },
  {
    title: 'WS_URL and ORIGIN win',
    vars: { ...STAGING, WS_URL: 'wss://ws.staging.example.com/live', ORIGIN: 'https://other.staging.example.com/page' },
    expected: { wsUrl: 'wss://ws.staging.example.com/live', origin: 'https://other.staging.example.com' },
  },
  {
    title: 'the twin URLs replace the settings',
    vars: { TWIN: 'embedded', JWT_SECRET: SECRET },
    twin: TWIN,
    expected: { frontendUrl: TWIN.frontendUrl, backendUrl: TWIN.backendUrl, authUrl: TWIN.authUrl, wsUrl: TWIN.wsUrl, origin: TWIN.frontendUrl },
  },
];
for (const row of rows) {
  test(`resolves: ${row.title}`, () => {
    const target = resolveTarget('staging', settingsOf(row.vars), row.twin);
    expect(target).toMatchObject({ name: 'staging', ...row.expected });
  });
}

test('socketUrl maps the scheme and drops query and hash', () => {
  expect(socketUrl('https://api.x.staging.io:8443/base?x=1#h', '/ws')).toBe('wss://api.x.staging.io:8443/base/ws');
  expect(socketUrl('http://127.0.0.1:1234', '/ws')).toBe('ws://127.0.0.1:1234/ws');
});

test('secrets lists every non-empty secret value, and only those', () => {
  const target = resolveTarget('staging', settingsOf({ ...STAGING, E2E_BYPASS_KEY: 'bypass-key-1', SERVICE_SECRET: 'svc-secret-1', JWT_ISSUER: 'issuer' }));
  expect(target.secrets).toEqual([SECRET, 'bypass-key-1', 'svc-secret-1']);
});

test('TWIN=embedded without the twin URLs is a clear error', () => {
  expect(() => resolveTarget('local', settingsOf({ TWIN: 'embedded', JWT_SECRET: SECRET }))).toThrow(
    new MissingEndpointError('Environment "local" has no FRONTEND_URL: TWIN=embedded but no twin URLs were given (start the twin first).'),
  );
});

test('refuses a production-looking host before anything else', () => {
  const vars = { ...STAGING, BACKEND_URL: 'https://api.netrasystems.ai', CA_FILE: '/nonexistent/ca.pem' };
  expect(() => resolveTarget('staging', settingsOf(vars))).toThrow(ProductionTargetError);
  expect(resolveTarget('staging', settingsOf({ ...vars, CA_FILE: '', ALLOW_PRODUCTION: 'true' })).wsUrl).toBe('wss://api.netrasystems.ai/ws');
});

test.describe('CA', () => {
  let dir = '';
  test.beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-ca-'));
  });
  test.afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  test('CA_FILE contents win over the twin CA', () => {
    fs.writeFileSync(path.join(dir, 'ca.pem'), PEM);
    const target = resolveTarget('local', settingsOf({ TWIN: 'embedded', JWT_SECRET: SECRET, CA_FILE: path.join(dir, 'ca.pem') }), { ...TWIN, caPem: 'twin' });
    expect(target.ca).toBe(PEM);
  });

  test('the twin CA is used when no CA_FILE', () => {
    expect(resolveTarget('local', settingsOf({ TWIN: 'embedded', JWT_SECRET: SECRET }), { ...TWIN, caPem: PEM }).ca).toBe(PEM);
    expect(resolveTarget('staging', settingsOf(STAGING)).ca).toBeNull();
  });

  test('a missing CA_FILE names the path', () => {
    const file = path.join(dir, 'missing.pem');
    expect(() => resolveTarget('staging', settingsOf({ ...STAGING, CA_FILE: file }))).toThrow(new CaFileError(`CA_FILE ${file} cannot be read (ENOENT).`));
  });

  test('a CA_FILE without a certificate names the path', () => {
    const file = path.join(dir, 'ca.pem');
    fs.writeFileSync(file, 'not a certificate');
    expect(() => resolveTarget('staging', settingsOf({ ...STAGING, CA_FILE: file }))).toThrow(
      new CaFileError(`CA_FILE ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`),
    );
  });
});
